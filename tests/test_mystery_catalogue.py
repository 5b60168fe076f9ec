"""Mystery shopping: the shipped checklist and scenarios, the maths a visit is scored with,
and the FILE: path: message errors for broken copies."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from qa_app.cli import commands_rubric
from qa_app.services.coaching import load_coaching_catalogue
from qa_app.services.mystery import (
    DEFAULT_CHECKLIST,
    DEFAULT_SCENARIOS,
    CatalogueError,
    check_mystery_checklist_text,
    check_mystery_scenarios_text,
    load_mystery_checklist,
    load_mystery_scenarios,
    validate_mystery_scenarios,
)
from scoring.pipeline.conversation import CHANNELS
from scoring.rubric.files import check_rubric_text, load_rubric
from scoring.rubric.score_maths import score_review

RUBRICS = Path(__file__).resolve().parent.parent / "rubrics"
SUPPORT = load_rubric(RUBRICS / "support-default.yaml")
CHECKLIST = load_mystery_checklist()
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


@pytest.fixture(scope="module")
def shipped_data() -> dict:
    return yaml.load(DEFAULT_SCENARIOS.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


@pytest.fixture()
def data(shipped_data) -> dict:
    return copy.deepcopy(shipped_data)


@pytest.fixture()
def cli() -> click.Group:
    @click.group()
    def group() -> None:
        pass

    commands_rubric.register(group)
    return group


def _perfect_visit() -> dict:
    """Every checklist item at its best level; N/A where the checklist allows it."""
    grades = {}
    for criterion in CHECKLIST.criteria():
        grades[criterion.id] = None if criterion.na_allowed else criterion.scale.max_value
    return grades


# --- the checklist -------------------------------------------------------------------------


def test_checklist_is_a_rubric_kept_out_of_the_review_queue():
    """The plain rubric checker refuses the file (so the app's rubric loader skips it), while
    the checklist loader reads it as an ordinary Rubric."""
    text = DEFAULT_CHECKLIST.read_text(encoding="utf-8")
    rubric, problems = check_rubric_text(text)
    assert rubric is None
    assert [p.path for p in problems] == ["kind"]
    assert problems[0].message.startswith("unknown key")
    assert CHECKLIST.id == "mystery-shopper-default"
    assert check_mystery_checklist_text(text) == (CHECKLIST, [])


def test_checklist_covers_what_a_programme_checks():
    ids = set(CHECKLIST.criterion_ids())
    assert {
        "greeting", "introduction", "customer_name", "clarifying_questions",
        "correct_information", "further_help", "thanks", "plain_language",
        "polite_throughout", "first_response_sla", "next_step", "identity_verification",
    } <= ids  # fmt: skip
    critical = {c.id: c.critical for c in CHECKLIST.criteria() if c.critical}
    assert critical == {
        "identity_verification": "conversation",
        "data_minimisation": "conversation",
        "correct_information": "conversation",
        "polite_throughout": "conversation",
    }
    kinds = [c.scale.kind for c in CHECKLIST.criteria()]
    assert kinds.count("pass_fail") >= 0.75 * len(kinds)


def test_checklist_topics_are_in_the_coaching_catalogue():
    catalogue = load_coaching_catalogue()
    assert {c.coaching_topic for c in CHECKLIST.criteria()} <= set(catalogue.topic_ids())


def test_a_visit_is_scored_with_the_review_maths():
    perfect = score_review(CHECKLIST, _perfect_visit())
    assert perfect.complete and perfect.overall == 100.0 and perfect.passed
    leaked = _perfect_visit() | {"identity_verification": 0}
    score = score_review(CHECKLIST, leaked)
    assert score.overall == 0.0
    assert score.zeroed_by == ("identity_verification",)
    assert score.raw_overall > 80
    assert score.passed is False
    slow = score_review(CHECKLIST, _perfect_visit() | {"first_response_sla": 0})
    assert 80 < slow.overall < 100
    assert slow.zeroed_by == ()


def test_broken_checklist_keeps_the_rubric_checker_paths():
    text = DEFAULT_CHECKLIST.read_text(encoding="utf-8")
    broken = text.replace("kind: mystery-checklist\n", "", 1).replace(
        "    weight: 20\n", "    weight: 0\n", 1
    )
    rubric, problems = check_mystery_checklist_text(broken)
    assert rubric is None
    assert [str(p) for p in problems] == [
        "kind: is required ('mystery-checklist')",
        "categories[1].weight: must be > 0",
    ]
    with pytest.raises(CatalogueError) as caught:
        load_mystery_checklist(broken)
    assert str(caught.value).startswith("invalid mystery checklist: kind: is required")


# --- the scenarios -------------------------------------------------------------------------


def test_shipped_scenarios_validate_against_their_checklist():
    scenarios = load_mystery_scenarios(rubrics=[SUPPORT, CHECKLIST])
    assert len(scenarios.scenarios) >= 6
    assert {s.channel for s in scenarios.scenarios} == set(CHANNELS)
    ids = " ".join(s.id for s in scenarios.scenarios)
    for theme in ("billing", "bug", "complaint", "cancellation", "delivery", "privacy"):
        assert theme in ids
    assert scenarios.scenario("delivery-tracking").channel == "messenger"
    assert [s.id for s in scenarios.for_channel("social")] == ["complaint-public-damaged-order"]
    with pytest.raises(KeyError):
        scenarios.scenario("nope")


def test_every_scenario_is_complete_in_both_languages():
    for scenario in load_mystery_scenarios().scenarios:
        assert scenario.checklist == CHECKLIST.id
        texts = [scenario.name, scenario.purpose, scenario.persona.name, scenario.persona.profile]
        texts += [scenario.opening, scenario.correct_answer, scenario.preparation]
        texts += [t for f in scenario.follow_ups for t in (f.when, f.say)]
        texts += [o.note for o in scenario.observe]
        for text in texts:
            assert text is not None and text.en.strip() and text.ru.strip(), scenario.id
            assert CYRILLIC.search(text.ru) and not CYRILLIC.search(text.en), scenario.id
        assert len(scenario.follow_ups) >= 2 and len(scenario.observe) >= 5, scenario.id
        observed = {o.criterion for o in scenario.observe}
        assert observed <= set(CHECKLIST.criterion_ids())
        assert "correct_information" in observed, scenario.id


BROKEN = [
    (lambda d: d.update(kind="mystery-scenario"),
     "kind: must be 'mystery-scenarios', got 'mystery-scenario'"),
    (lambda d: d["scenarios"][0]["persona"]["name"].pop("ru"),
     "scenarios[0].persona.name.ru: is required"),
    (lambda d: d["scenarios"][1].update(channel="telegram"),
     "scenarios[1].channel: unknown channel 'telegram'; known: chat, email, messenger, social, "
     "phone"),
    (lambda d: d["scenarios"][1].update(id="billing-unknown-charge"),
     "scenarios[1].id: duplicate scenario id 'billing-unknown-charge' (first at "
     "scenarios[0].id)"),
    (lambda d: d["scenarios"][2]["script"].update(follow_ups=[]),
     "scenarios[2].script.follow_ups: must be a non-empty list of follow-ups"),
    (lambda d: d["scenarios"][2]["script"].update(opener={"en": "x", "ru": "х"}),
     "scenarios[2].script.opener: unknown key (did you mean 'opening'?)"),
    (lambda d: d["scenarios"][3].update(checklist="mystery-shoper-default"),
     "scenarios[3].checklist: unknown checklist 'mystery-shoper-default' (did you mean "
     "'mystery-shopper-default'?); known: mystery-shopper-default, support-default"),
    (lambda d: d["scenarios"][4]["observe"][0].update(criterion="no_repeat_request"),
     "scenarios[4].observe[0].criterion: no criterion 'no_repeat_request' in checklist "
     "'mystery-shopper-default' (did you mean 'no_repeat_requests'?)"),
    (lambda d: d["scenarios"][4]["observe"].append(copy.deepcopy(d["scenarios"][4]["observe"][0])),
     "scenarios[4].observe[7].criterion: duplicate criterion 'no_repeat_requests' (first at "
     "scenarios[4].observe[0].criterion)"),
    (lambda d: d["scenarios"][5].pop("correct_answer"),
     "scenarios[5].correct_answer: is required"),
]  # fmt: skip


@pytest.mark.parametrize(("mutate", "expected"), BROKEN)
def test_broken_scenarios_name_path_and_problem(data, mutate, expected):
    mutate(data)
    problems = [str(p) for p in validate_mystery_scenarios(data, [SUPPORT, CHECKLIST])]
    assert expected in problems, problems


def test_scenario_text_and_loader_report_the_same_problems(data):
    data["scenarios"][0]["channel"] = "fax"
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    catalogue, problems = check_mystery_scenarios_text(text)
    assert catalogue is None
    assert [p.path for p in problems] == ["scenarios[0].channel"]
    with pytest.raises(CatalogueError) as caught:
        load_mystery_scenarios(text)
    assert caught.value.problems == problems


# --- qa-studio rubric check ----------------------------------------------------------------


def test_rubric_check_fails_on_a_broken_scenario_copy(cli, tmp_path):
    folder = tmp_path / "rubrics"
    shutil.copytree(RUBRICS, folder, ignore=shutil.ignore_patterns("*.md"))
    path = folder / "mystery-scenarios.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("channel: social", "channel: forum", 1), "utf-8")
    result = CliRunner().invoke(cli, ["rubric", "check", *sorted(map(str, folder.glob("*.yaml")))])
    assert result.exit_code == 1
    assert (
        f"{path}: scenarios[2].channel: unknown channel 'forum'; known: chat, email, messenger, "
        "social, phone"
    ) in result.output.splitlines()
    assert result.output.count("ok: ") == 3
    assert "Traceback" not in result.output


def test_rubric_check_follows_a_checklist_coaching_topic_into_the_catalogue(cli, tmp_path):
    folder = tmp_path / "rubrics"
    shutil.copytree(RUBRICS, folder, ignore=shutil.ignore_patterns("*.md"))
    path = folder / "mystery-shopper-default.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("coaching_topic: ownership", "coaching_topic: owner"), "utf-8")
    result = CliRunner().invoke(cli, ["rubric", "check", str(path)])
    assert result.exit_code == 1
    assert (
        f"{path}: categories[5].criteria[0].coaching_topic: no coaching topic 'owner' in the "
        "catalogue (did you mean 'ownership'?)"
    ) in result.output.splitlines()


def test_rubric_show_reads_the_checklist_in_russian(cli):
    result = CliRunner().invoke(cli, ["rubric", "show", str(DEFAULT_CHECKLIST), "--lang", "ru"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Чек-лист тайного покупателя (mystery-shopper-default v1;")
    assert "Корректно проверил личность [identity_verification]" in result.output

"""The coaching-topic catalogue: the shipped file, its links to rubrics and signals, and the
FILE: path: message errors a trainer gets for a broken copy."""

from __future__ import annotations

import copy
import re
import shutil
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from qa_app.cli import commands_rubric
from qa_app.services.coaching import (
    DEFAULT_CATALOGUE,
    SIGNAL_NAMES,
    CatalogueError,
    CoachingCatalogue,
    check_coaching_catalogue_text,
    check_rubric_topics,
    load_coaching_catalogue,
    validate_coaching_catalogue,
)
from qa_app.services.mystery import load_mystery_checklist
from scoring.pipeline.autoqa import AutoQAPipeline
from scoring.pipeline.conversation import Conversation, Message
from scoring.rubric.files import load_rubric, parse_rubric

RUBRICS = Path(__file__).resolve().parent.parent / "rubrics"
SUPPORT = load_rubric(RUBRICS / "support-default.yaml")
CHECKLIST = load_mystery_checklist()
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def catalogue() -> CoachingCatalogue:
    return load_coaching_catalogue(rubrics=[SUPPORT, CHECKLIST])


@pytest.fixture(scope="module")
def shipped_data() -> dict:
    return yaml.load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


@pytest.fixture()
def data(shipped_data) -> dict:
    """A fresh copy of the shipped catalogue as plain data, for tests that break one thing."""
    return copy.deepcopy(shipped_data)


@pytest.fixture()
def cli() -> click.Group:
    @click.group()
    def group() -> None:
        pass

    commands_rubric.register(group)
    return group


def _texts(topic) -> list:
    """Every bilingual text of a topic, exercises included."""
    play, sim, reading = topic.role_play, topic.simulation, topic.reading
    texts = [topic.name, topic.description, topic.why_it_matters, play.situation]
    texts += [*play.customer_lines, *play.good_answer, sim.context]
    texts += [m.text for m in sim.messages]
    texts += [t for p in sim.decision_points for t in (p.question, p.guidance)]
    for q in topic.quiz:
        texts += [q.question, q.explanation, *(o.text for o in q.options)]
    return [*texts, reading.title, reading.text]


def _words(text: str) -> int:
    return len(re.findall(r"\w+(?:[-'’]\w+)*", text))


# --- the shipped catalogue -----------------------------------------------------------------


def test_shipped_catalogue_is_valid_against_both_shipped_rubrics(catalogue):
    assert len(catalogue.topics) >= 18
    assert len(set(catalogue.topic_ids())) == len(catalogue.topics)


@pytest.mark.parametrize("rubric", [SUPPORT, CHECKLIST], ids=lambda r: r.id)
def test_every_coaching_topic_of_the_shipped_rubrics_is_in_the_catalogue(catalogue, rubric):
    slugs = {criterion.coaching_topic for criterion in rubric.criteria()}
    assert slugs <= set(catalogue.topic_ids())
    assert check_rubric_topics(rubric, catalogue.topic_ids()) == []


def test_support_default_slugs_are_exactly_the_ones_the_issue_maps(catalogue):
    expected = {
        "active-listening", "apology", "bug-reporting", "empathy-acknowledgement", "etiquette",
        "objection-handling", "ownership", "patience", "plain-language", "positive-language",
        "proactivity", "process-compliance", "product-knowledge", "professional-tone",
        "questioning", "structured-writing", "time-management", "writing-quality",
    }  # fmt: skip
    assert {c.coaching_topic for c in SUPPORT.criteria()} == expected


def test_links_work_both_ways(catalogue):
    """Each criterion is listed by the topic its coaching_topic names, in both rubrics."""
    for rubric in (SUPPORT, CHECKLIST):
        for criterion in rubric.criteria():
            topics = catalogue.topics_for_criterion(rubric.id, criterion.id)
            assert criterion.coaching_topic in [t.id for t in topics], criterion.id
    etiquette = catalogue.topic("etiquette")
    assert etiquette.criterion_ids("support-default") == (
        "greeting", "customer_name", "thanks", "proper_closing",
    )  # fmt: skip
    with pytest.raises(KeyError):
        catalogue.topic("no-such-topic")


def test_each_topic_has_all_four_exercises_in_both_languages(catalogue):
    for topic in catalogue.topics:
        assert len(topic.role_play.customer_lines) >= 2, topic.id
        assert len(topic.role_play.good_answer) >= 4, topic.id
        assert len(topic.simulation.messages) >= 3, topic.id
        assert topic.simulation.decision_points, topic.id
        assert 3 <= len(topic.quiz) <= 5, topic.id
        for text in _texts(topic):
            assert text.en.strip() and text.ru.strip(), topic.id
        ru = " ".join(t.ru for t in _texts(topic))
        en = " ".join(t.en for t in _texts(topic))
        # Russian is Russian (signal names stay latin), English has no stray Russian.
        assert len(CYRILLIC.findall(ru)) > 4 * len(LATIN.findall(ru)), topic.id
        assert len(CYRILLIC.findall(en)) < 0.01 * len(LATIN.findall(en)), topic.id


def test_readings_are_150_to_300_words_in_each_language(catalogue):
    for topic in catalogue.topics:
        for lang in ("en", "ru"):
            count = _words(topic.reading.text.get(lang))
            assert 150 <= count <= 300, (topic.id, lang, count)


def test_readings_that_quote_figures_cite_a_source(catalogue):
    for topic in catalogue.topics:
        text = topic.reading.text.en
        if re.search(r"\(\w[^)]*\b(19|20)\d\d\)|\d+%", text):
            assert topic.reading.sources, topic.id


def test_quiz_answers_point_to_existing_options(catalogue):
    for topic in catalogue.topics:
        for question in topic.quiz:
            ids = [option.id for option in question.options]
            assert len(ids) == len(set(ids)) >= 2
            assert question.answer in ids
            assert question.correct_option().id == question.answer


def test_decision_points_pause_inside_the_simulation(catalogue):
    for topic in catalogue.topics:
        sim = topic.simulation
        assert {m.role for m in sim.messages} <= {"customer", "agent"}
        assert all(1 <= p.after <= len(sim.messages) for p in sim.decision_points), topic.id


@pytest.mark.slow
def test_topic_signals_are_real_pipeline_outputs(catalogue):
    """SIGNAL_NAMES is exactly what the AutoQA pipeline reports for a conversation, so a
    topic can never point at a signal that no scorer produces."""
    t0 = datetime(2026, 3, 2, 9, 15, tzinfo=timezone(timedelta(hours=3)))
    minute = timedelta(minutes=1)
    conversation = Conversation(
        "c-1",
        "chat",
        "en",
        [
            Message("customer", "My order has not arrived and I'm really annoyed.", t0),
            Message("agent", "Hello Anna! Sorry. Could you give me the order number?", t0 + minute),
            Message("customer", "It is 4411. Thanks, it arrived now!", t0 + 9 * minute),
            Message("agent", "Glad it's solved. Have a nice day!", t0 + 10 * minute),
        ],
    )
    [scores] = AutoQAPipeline(batch_size=4).score_conversations([conversation])
    assert set(scores.signals) == set(SIGNAL_NAMES)
    used = {name for topic in catalogue.topics for name in topic.signals}
    assert used <= set(SIGNAL_NAMES)
    assert {"missed_empathy", "jargon", "rudeness", "first_response_time"} <= used


# --- broken documents ----------------------------------------------------------------------


def _topic_index(data: dict, topic_id: str) -> int:
    return next(i for i, t in enumerate(data["topics"]) if t["id"] == topic_id)


def _set(path: str, value) -> Callable[[dict], None]:
    """A mutation that sets a dotted path (``topics.0.name``) to ``value``."""

    def mutate(data: dict) -> None:
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is _DELETE:
            del node[int(last) if isinstance(node, list) else last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


_DELETE = object()


def _rename_key(data: dict) -> None:
    topic = data["topics"][1]
    topic["why_it_maters"] = topic.pop("why_it_matters")


def _unlist_greeting(data: dict) -> None:
    links = data["topics"][_topic_index(data, "etiquette")]["criteria"]["support-default"]
    links.remove("greeting")


BROKEN = [
    (_set("kind", "coaching-topic"), "kind: must be 'coaching-topics', got 'coaching-topic'"),
    (_set("version", 0), "version: must be >= 1"),
    (_set("topics.0.name.ru", _DELETE), "topics[0].name.ru: is required"),
    (_set("topics.0.description.en", "  "), "topics[0].description.en: must be non-empty text (en)"),
    (_rename_key, "topics[1].why_it_maters: unknown key (did you mean 'why_it_matters'?)"),
    (_rename_key, "topics[1].why_it_matters: is required"),
    (_set("topics.1.id", "empathy-acknowledgement"),
     "topics[1].id: duplicate topic id 'empathy-acknowledgement' (first at topics[0].id)"),
    (_set("topics.0.id", "Empathy"), "topics[0].id: must be a slug"),
    (_set("topics.0.exercises.reading", _DELETE), "topics[0].exercises.reading: is required"),
    (_set("topics.0.exercises.quiz.0.answer", "e"),
     "topics[0].exercises.quiz[0].answer: unknown option 'e'; known: a, b, c, d"),
    (_set("topics.0.exercises.quiz.0.options", [{"id": "a", "text": {"en": "x", "ru": "х"}}]),
     "topics[0].exercises.quiz[0].options: must be a list of at least 2 options"),
    (_set("topics.0.exercises.simulation.decision_points.0.after", 9),
     "topics[0].exercises.simulation.decision_points[0].after: there are only 5 messages"),
    (_set("topics.0.exercises.simulation.channel", "telegram"),
     "topics[0].exercises.simulation.channel: unknown channel 'telegram'"),
    (_set("topics.0.exercises.simulation.messages.1.role", "bot"),
     "topics[0].exercises.simulation.messages[1].role: unknown role 'bot'"),
    (_set("topics.0.exercises.role_play.customer_lines", []),
     "topics[0].exercises.role_play.customer_lines: must be a non-empty list of customer lines"),
    (_set("topics.0.signals.0", "missed_empaty"),
     "topics[0].signals[0]: unknown signal 'missed_empaty' (did you mean 'missed_empathy'?)"),
    (_set("topics.0.criteria.support-default.0", "acknowledges_feeling"),
     "topics[0].criteria.support-default[0]: no criterion 'acknowledges_feeling' in rubric "
     "'support-default' (did you mean 'acknowledges_feelings'?)"),
    (_set("topics.0.criteria", {"suport-default": ["acknowledges_feelings"]}),
     "topics[0].criteria.suport-default: unknown rubric 'suport-default' (did you mean "
     "'support-default'?); known: mystery-shopper-default, support-default"),
    (_unlist_greeting,
     "topics[13].criteria.support-default: misses 'greeting': its coaching_topic in rubric "
     "'support-default' is 'etiquette'"),
]  # fmt: skip


@pytest.mark.parametrize(("mutate", "expected"), BROKEN)
def test_broken_catalogue_names_path_and_problem(data, mutate, expected):
    mutate(data)
    problems = [str(p) for p in validate_coaching_catalogue(data, [SUPPORT, CHECKLIST])]
    assert any(p.startswith(expected) for p in problems), problems


def test_text_and_loader_report_the_same_problems(data):
    data["topics"][2]["exercises"]["quiz"][1]["answer"] = "x"
    del data["topics"][4]["why_it_matters"]["ru"]
    expected = [
        "topics[2].exercises.quiz[1].answer: unknown option 'x'; known: a, b, c",
        "topics[4].why_it_matters.ru: is required",
    ]
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    catalogue, problems = check_coaching_catalogue_text(text, [SUPPORT, CHECKLIST])
    assert catalogue is None
    assert sorted(str(p) for p in problems) == expected
    with pytest.raises(CatalogueError) as caught:
        load_coaching_catalogue(text, [SUPPORT, CHECKLIST])
    assert caught.value.problems == problems
    assert str(caught.value).startswith("invalid coaching catalogue: topics[")


def test_references_are_checked_only_when_rubrics_are_given(data):
    data["topics"][0]["criteria"]["support-default"][0] = "no_such_criterion"
    assert validate_coaching_catalogue(data) == []
    assert validate_coaching_catalogue(data, [SUPPORT, CHECKLIST]) != []


def test_yaml_errors_are_one_problem_with_line_and_column():
    catalogue, problems = check_coaching_catalogue_text("kind: coaching-topics\nkind: again\n")
    assert catalogue is None
    assert len(problems) == 1
    assert str(problems[0]).startswith("(file): YAML syntax error at line 2, column 1")
    assert "duplicate key 'kind'" in problems[0].message


def test_rubric_topic_slugs_outside_the_catalogue_point_into_the_rubric(catalogue):
    broken = yaml.safe_load((RUBRICS / "support-default.yaml").read_text(encoding="utf-8"))
    broken["categories"][4]["criteria"][1]["coaching_topic"] = "etiquete"
    problems = [str(p) for p in check_rubric_topics(parse_rubric(broken), catalogue.topic_ids())]
    assert problems == [
        "categories[4].criteria[1].coaching_topic: no coaching topic 'etiquete' in the "
        "catalogue (did you mean 'etiquette'?)"
    ]


# --- qa-studio rubric check ----------------------------------------------------------------


def test_rubric_check_accepts_every_shipped_file(cli):
    files = sorted(str(p) for p in RUBRICS.glob("*.yaml"))
    result = CliRunner().invoke(cli, ["rubric", "check", *files])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ok: coaching topics v1: 18 topics, 55 quiz questions",
        "ok: mystery scenarios v1: 6 scenarios (chat, email, messenger, phone, social)",
        "ok: mystery-shopper-default v1 (mystery checklist): 6 categories, 19 criteria",
        "ok: support-default v2: 6 categories, 25 criteria (3 conditional)",
    ]


def _copy_rubrics(tmp_path: Path) -> Path:
    target = tmp_path / "rubrics"
    shutil.copytree(RUBRICS, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def test_rubric_check_fails_on_a_broken_catalogue_copy(cli, tmp_path):
    folder = _copy_rubrics(tmp_path)
    path = folder / "coaching-topics.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("          answer: b\n", "          answer: z\n", 1), "utf-8")
    files = sorted(str(p) for p in folder.glob("*.yaml"))
    result = CliRunner().invoke(cli, ["rubric", "check", *files])
    assert result.exit_code == 1
    assert (
        f"{path}: topics[0].exercises.quiz[0].answer: unknown option 'z'; known: a, b, c, d"
        in result.output.splitlines()
    )
    assert "ok: support-default v2" in result.output
    assert "Traceback" not in result.output


def test_a_rubric_is_checked_against_the_catalogue_next_to_it(cli, tmp_path):
    folder = _copy_rubrics(tmp_path)
    rubric = folder / "support-default.yaml"
    text = rubric.read_text(encoding="utf-8")
    rubric.write_text(text.replace("coaching_topic: patience", "coaching_topic: patiense"), "utf-8")
    result = CliRunner().invoke(cli, ["rubric", "check", str(rubric)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{rubric}: categories[0].criteria[1].coaching_topic: no coaching topic 'patiense' in "
        "the catalogue (did you mean 'patience'?)"
    )
    # The catalogue lists the same criterion under 'patience'; with the rubric fixed both pass.
    rubric.write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["rubric", "check", str(folder / "coaching-topics.yaml")])
    assert result.exit_code == 0, result.output


def test_a_catalogue_alone_in_a_folder_reports_its_missing_rubrics(cli, tmp_path):
    lonely = tmp_path / "coaching-topics.yaml"
    shutil.copy(DEFAULT_CATALOGUE, lonely)
    result = CliRunner().invoke(cli, ["rubric", "check", str(lonely)])
    assert result.exit_code == 1
    assert (
        f"{lonely}: topics[0].criteria.support-default: unknown rubric 'support-default'; "
        "known: none"
    ) in result.output.splitlines()


def test_unknown_kind_is_named(cli, tmp_path):
    path = tmp_path / "odd.yaml"
    path.write_text("kind: coaching-topic\nversion: 1\ntopics: []\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["rubric", "check", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{path}: kind: unknown kind 'coaching-topic' (did you mean 'coaching-topics'?); "
        "known: coaching-topics, mystery-checklist, mystery-scenarios (a review rubric has no kind)"
    )


def test_rubric_show_refuses_a_catalogue_in_one_line(cli):
    result = CliRunner().invoke(cli, ["rubric", "show", str(DEFAULT_CATALOGUE)])
    assert result.exit_code == 1
    assert "kind: this is a coaching-topics file, not a rubric" in result.output
    assert "Traceback" not in result.output


def test_catalogue_data_is_not_mutated_by_validation(data):
    before = copy.deepcopy(data)
    validate_coaching_catalogue(data, [SUPPORT, CHECKLIST])
    assert data == before

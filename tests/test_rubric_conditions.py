"""Conditional criteria (``applies_when``): validation messages, evaluation on the facts of a
conversation, and the score maths treating "does not apply" exactly as a manual N/A."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scoring.rubric.conditions import (
    AllOf,
    AnyOf,
    ConversationFacts,
    CsatBetween,
    FactIs,
    Not,
    SignalDetected,
    parse_condition,
)
from scoring.rubric.files import load_rubric, parse_rubric, rubric_to_dict, validate_rubric
from scoring.rubric.score_maths import GradeError, score_review
from tests.test_score_maths import criterion, rubric_of

ROOT = Path(__file__).resolve().parent.parent
DEFECT = {"any": [{"signal": "defect_report"}, {"tag": ["bug", "bug_report"]}]}


def _document(condition, where: str = "criterion") -> dict:
    crit = (
        criterion("steps", "1-3", applies_when=condition)
        if where == "criterion"
        else (criterion("steps", "1-3"))
    )
    category = {"id": "bugs", "name": {"en": "b", "ru": "б"}, "criteria": [crit]}
    if where == "category":
        category["applies_when"] = condition
    return {
        "id": "demo",
        "version": 1,
        "name": {"en": "Demo", "ru": "Демо"},
        "description": {"en": "Demo", "ru": "Демо"},
        "categories": [category],
    }


def _messages(condition, where: str = "criterion") -> list[str]:
    return [str(p) for p in validate_rubric(_document(condition, where))]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (
            {"signal": "defect"},
            "categories[0].criteria[0].applies_when.signal: unknown signal 'defect' "
            "(did you mean 'defect_report'?); known: defect_report, escalation, unresolved, "
            "resolution_confirmed",
        ),
        (
            {"chanel": "chat"},
            "categories[0].criteria[0].applies_when.chanel: unknown condition "
            "(did you mean 'channel'?); known: channel, language, tag, team, signal, csat, "
            "all, any, not",
        ),
        (
            {"channel": ["chat", "telegram"]},
            "categories[0].criteria[0].applies_when.channel[1]: unknown channel 'telegram'; "
            "known: chat, email, messenger, social, phone",
        ),
        (
            {"any": []},
            "categories[0].criteria[0].applies_when.any: 'any' needs a non-empty list of "
            "conditions",
        ),
        (
            {"csat": {"min": 4, "max": 2}},
            "categories[0].criteria[0].applies_when.csat: min 4 is above max 2: no answer "
            "could match",
        ),
        (
            {"csat": {"max": 7}},
            "categories[0].criteria[0].applies_when.csat.max: must be a number from 1 to 5",
        ),
        (
            {"all": [{"tag": ""}]},
            "categories[0].criteria[0].applies_when.all[0].tag: 'tag' values must be "
            "non-empty text",
        ),
        (
            "defect_report",
            "categories[0].criteria[0].applies_when: must be a mapping of conditions, e.g. "
            "{signal: defect_report}; keys: channel, language, tag, team, signal, csat, all, "
            "any, not",
        ),
        (
            {"not": {"language": "de"}},
            "categories[0].criteria[0].applies_when.not.language: unknown language 'de'; "
            "known: en, ru",
        ),
    ],
)
def test_a_bad_condition_names_the_criterion_the_path_and_why(condition, expected):
    assert _messages(condition) == [expected]


def test_a_bad_category_condition_names_the_category():
    assert _messages({"team": []}, where="category") == [
        "categories[0].applies_when.team: 'team' needs at least one value"
    ]


def test_rubric_check_prints_the_file_with_the_problem(tmp_path):
    import click
    from click.testing import CliRunner

    from qa_app.cli import commands_rubric

    @click.group()
    def group() -> None:
        pass

    commands_rubric.register(group)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(_document({"signal": "defekt"}), allow_unicode=True))
    result = CliRunner().invoke(group, ["rubric", "check", str(path)])
    assert result.exit_code == 1
    assert f"{path}: categories[0].criteria[0].applies_when.signal: unknown signal 'defekt'" in (
        result.output
    )


def test_conditions_parse_into_their_tree_and_round_trip():
    parsed = parse_condition(
        {
            "channel": ["chat", "email"],
            "any": [{"signal": "defect_report"}, {"tag": "bug"}],
            "not": {"csat": {"max": 2}},
        }  # fmt: skip
    )
    assert parsed == AllOf(
        (
            FactIs("channel", ("chat", "email")),
            AnyOf((SignalDetected(("defect_report",)), FactIs("tag", ("bug",)))),
            Not(CsatBetween(None, 2)),
        )
    )
    rubric = parse_rubric(_document(DEFECT))
    assert parse_rubric(rubric_to_dict(rubric)) == rubric
    on_category = parse_rubric(_document(DEFECT, where="category"))
    assert parse_rubric(rubric_to_dict(on_category)) == on_category


@pytest.mark.parametrize(
    ("condition", "facts", "holds"),
    [
        ({"channel": "chat"}, ConversationFacts(channel="chat"), True),
        ({"channel": ["email", "phone"]}, ConversationFacts(channel="chat"), False),
        ({"language": "ru"}, ConversationFacts(language="ru"), True),
        ({"tag": ["bug", "x"]}, ConversationFacts(tags=frozenset({"refund", "bug"})), True),
        ({"tag": "bug"}, ConversationFacts(tags=frozenset({"refund"})), False),
        ({"team": "Tier 2"}, ConversationFacts(team="Tier 2"), True),
        ({"team": "Tier 2"}, ConversationFacts(team=None), False),
        ({"signal": "defect_report"}, ConversationFacts(signals={"defect_report": 1.0}), True),
        ({"signal": "defect_report"}, ConversationFacts(signals={"defect_report": 0.0}), False),
        ({"signal": "defect_report"}, ConversationFacts(signals={"defect_report": None}), False),
        ({"signal": "defect_report"}, ConversationFacts(), False),  # not scored yet
        ({"csat": {"min": 1, "max": 2}}, ConversationFacts(csat=2), True),
        ({"csat": {"min": 1, "max": 2}}, ConversationFacts(csat=3), False),
        ({"csat": {"min": 4}}, ConversationFacts(csat=5), True),
        ({"csat": {"max": 2}}, ConversationFacts(csat=None), False),  # no survey answer
        ({"channel": "chat", "language": "en"}, ConversationFacts("chat", "ru"), False),
        ({"all": [{"channel": "chat"}, {"language": "ru"}]}, ConversationFacts("chat", "ru"), True),
        (
            {"any": [{"channel": "email"}, {"language": "ru"}]},
            ConversationFacts("chat", "ru"),
            True,
        ),
        ({"not": {"channel": "social"}}, ConversationFacts(channel="social"), False),
        ({"not": {"channel": "social"}}, ConversationFacts(channel="chat"), True),
    ],
)
def test_conditions_evaluate_on_the_conversation_facts(condition, facts, holds):
    assert parse_condition(condition).holds(facts) is holds


# --- score maths: hand-worked -------------------------------------------------------------
#
# Two categories. "talk" (weight 3): greeting pass_fail (w1), tone 1-5 (w1).
# "bugs" (weight 1): steps 1-3 (w2, applies only to defect reports, no manual N/A allowed),
# env pass_fail (w1, na_allowed).
# Grades: greeting 1 (100), tone 4 (75), steps 1 (0), env 1 (100).
#   talk = (100 + 75) / 2 = 87.5
#   bugs, all apply     = (0*2 + 100*1) / 3 = 33.33...; overall = (87.5*3 + 33.33*1) / 4 = 73.958
#   steps auto N/A      = bugs 100 (env only);      overall = (87.5*3 + 100*1) / 4 = 90.625
#   steps and env N/A   = bugs N/A;                 overall = 87.5 (talk alone)
HAND = rubric_of(
    [
        ("talk", 3, [criterion("greeting", "pass_fail"), criterion("tone", "1-5")]),
        (
            "bugs",
            1,
            [
                criterion("steps", "1-3", 2, applies_when={"signal": "defect_report"}),
                criterion("env", "pass_fail", na_allowed=True),
            ],
        ),
    ]
)
GRADES = {"greeting": 1, "tone": 4, "steps": 1, "env": 1}


def test_hand_worked_scores_with_and_without_the_condition():
    applies = score_review(HAND, GRADES)
    assert applies.categories["bugs"].score == pytest.approx(100 / 3)
    assert applies.overall == pytest.approx((87.5 * 3 + 100 / 3) / 4)  # 73.958

    out = HAND.not_applicable(ConversationFacts(channel="social"))
    assert set(out) == {"steps"}
    auto = score_review(HAND, GRADES, not_applicable=out)
    assert auto.categories["talk"].score == pytest.approx(87.5)
    assert auto.categories["bugs"].score == pytest.approx(100.0)
    assert auto.overall == pytest.approx(90.625)
    assert auto.criteria["steps"].status == "na" and auto.criteria["steps"].auto
    assert auto.criteria["steps"].value is None and not auto.missing

    both = score_review(HAND, {**GRADES, "env": None}, not_applicable={"steps"})
    assert both.categories["bugs"].is_na
    assert both.overall == pytest.approx(87.5)

    reported = HAND.not_applicable(ConversationFacts(signals={"defect_report": 1.0}))
    assert reported == {}


def test_auto_na_scores_exactly_like_a_manual_na():
    """Where a manual N/A is allowed, the two give the same numbers, graded or not."""
    manual_rubric = rubric_of(
        [
            ("talk", 3, [criterion("greeting", "pass_fail"), criterion("tone", "1-5")]),
            (
                "bugs",
                1,
                [
                    criterion("steps", "1-3", 2, na_allowed=True),
                    criterion("env", "pass_fail", na_allowed=True),
                ],
            ),
        ]
    )
    manual = score_review(manual_rubric, {**GRADES, "steps": None})
    for grades in ({**GRADES}, {k: v for k, v in GRADES.items() if k != "steps"}):
        auto = score_review(HAND, grades, not_applicable={"steps"})
        assert auto.overall == manual.overall
        assert {k: c.score for k, c in auto.categories.items()} == {
            k: c.score for k, c in manual.categories.items()
        }


def test_an_auto_na_critical_criterion_cannot_fail_the_review():
    rubric = rubric_of(
        [
            ("talk", 1, [criterion("tone", "1-5")]),
            (
                "bugs",
                1,
                [
                    criterion(
                        "steps", "pass_fail", critical="conversation", applies_when={"tag": "bug"}
                    )
                ],
            ),  # fmt: skip
        ]
    )
    failing = {"tone": 5, "steps": 0}
    assert score_review(rubric, failing).overall == 0.0
    auto = score_review(rubric, failing, not_applicable={"steps"})
    assert auto.overall == 100.0 and not auto.critical_fails


def test_a_whole_category_out_of_scope_is_na_with_its_criteria():
    rubric = parse_rubric(_document({"channel": "phone"}, where="category"))
    out = rubric.not_applicable(ConversationFacts(channel="chat"))
    assert out == {"steps": FactIs("channel", ("phone",))}
    assert rubric.not_applicable(ConversationFacts(channel="phone")) == {}


def test_unknown_criteria_in_not_applicable_are_refused():
    with pytest.raises(GradeError, match="unknown criterion 'nope'"):
        score_review(HAND, GRADES, not_applicable={"nope"})


def test_the_default_rubric_asks_bug_questions_only_about_defects():
    rubric = load_rubric(ROOT / "rubrics" / "support-default.yaml")
    bug = {"bug_reproduction_steps", "expected_vs_actual", "environment_and_contacts"}
    refund_on_social = ConversationFacts(
        channel="social", language="en", tags=frozenset({"refund"}),
        signals={"defect_report": 0.0},
    )  # fmt: skip
    assert set(rubric.not_applicable(refund_on_social)) == bug
    crash = ConversationFacts(channel="chat", language="ru", signals={"defect_report": 1.0})
    assert rubric.not_applicable(crash) == {}
    tagged = ConversationFacts(channel="email", tags=frozenset({"bug"}))
    assert rubric.not_applicable(tagged) == {}


def test_a_changed_shipped_rubric_becomes_a_new_version_unless_edited_in_the_app(db_url, tmp_path):
    """Databases made before the bug-report criteria became conditional get version 2 of
    the default rubric on the next start; reviews of version 1 keep it."""
    from qa_app.services.actor import Actor
    from qa_app.services.rubrics import store
    from qa_app.storage import db as storage_db
    from qa_app.storage.models import User

    shipped = (ROOT / "rubrics" / "support-default.yaml").read_text(encoding="utf-8")
    condition = (
        "        applies_when:            # only where the customer reports a defect\n"
        "          any:\n"
        "            - signal: defect_report\n"
        "            - tag: [bug, bug_report]\n"
    )
    old_text = shipped.replace("version: 2", "version: 1", 1).replace(condition, "")
    assert "applies_when" not in old_text
    (tmp_path / "support-default.yaml").write_text(old_text, encoding="utf-8")
    with storage_db.unit_of_work(db_url) as session:
        assert store.ensure_default_rubric(session, tmp_path) == ["support-default"]
        first = store.active_version(session, "support-default")
        assert not first.rubric.has_conditions()
    with storage_db.unit_of_work(db_url) as session:  # unchanged file: nothing new
        assert store.ensure_default_rubric(session, tmp_path) == []
    (tmp_path / "support-default.yaml").write_text(shipped, encoding="utf-8")
    with storage_db.unit_of_work(db_url) as session:
        assert store.ensure_default_rubric(session, tmp_path) == ["support-default"]
        latest = store.active_version(session, "support-default")
        assert latest.version == 2 and len(latest.rubric.conditional_criteria()) == 3
        assert latest.change_note == "updated from support-default.yaml (file version 2)"
        assert not store.get_version(session, first.version_id).rubric.has_conditions()
        assert store.ensure_default_rubric(session, tmp_path) == []
    # Edited in the app: the file no longer overwrites it.
    with storage_db.unit_of_work(db_url) as session:
        admin = User(username="admin", password_hash="x", role="admin")
        session.add(admin)
        session.flush()
        lead = Actor(admin.id, "admin", "admin", None, None, "en")
        store.save_rubric(session, lead, shipped.replace("passing_score: 80", "passing_score: 75"),
                          "our pass mark")  # fmt: skip
    (tmp_path / "support-default.yaml").write_text(old_text, encoding="utf-8")
    with storage_db.unit_of_work(db_url) as session:
        assert store.ensure_default_rubric(session, tmp_path) == []
        assert store.active_version(session, "support-default").change_note == "our pass mark"

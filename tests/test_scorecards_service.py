"""Scorecard figures on both databases, with answers worked out by hand, and who may read
whose scorecard (the service refuses; hiding a page is not the guard)."""

from __future__ import annotations

from datetime import date

import pytest

from qa_app.services import scorecards
from qa_app.services.errors import InvalidInput, NotFound, PermissionDenied
from qa_app.storage.db import unit_of_work
from tests.scorecard_fixtures import NOW, seed_operation

MARCH = scorecards.Period(date(2026, 3, 1), date(2026, 3, 20))


@pytest.fixture
def op(db_url):
    return seed_operation(db_url)


def _card(op, actor, who="anna", period=MARCH):
    with unit_of_work(op.url) as session:
        return scorecards.build_scorecard(session, actor, op.agent_ids[who], period, now=NOW)


def test_quality_score_has_its_n_and_hand_worked_interval(op):
    card = _card(op, op.lead)
    # 60, 70, 80, 90: mean 75; variance (500 + 1 * 15^2) / (3 + 1) = 181.25 on 4 df;
    # half-width t(0.975, 4) * sqrt(181.25 / 4) = 2.776445 * 6.731456 = 18.6893.
    assert card.quality.n == 4 and card.quality.estimate == pytest.approx(75.0)
    assert card.quality.low == pytest.approx(75 - 18.6893, abs=1e-3)
    assert card.quality.high == pytest.approx(75 + 18.6893, abs=1e-3)
    assert card.critical.n == 4 and card.critical.estimate == 0.0
    assert card.target == 80
    # the rest of Tier 1 is boris (50, 100); carl is in another team
    assert card.team_quality.n == 2 and card.team_quality.estimate == pytest.approx(75.0)


def test_criteria_from_grouped_grade_counts(op):
    card = _card(op, op.lead)
    rows = card.criteria.set_index("criterion_id")
    # politeness 2, 2, 3, 3 on the 1-3 scale -> 50, 50, 100, 100
    assert rows.loc["politeness", "mean"] == pytest.approx(75.0)
    assert rows.loc["politeness", "n"] == 4
    assert rows.loc["greeting", "mean"] == pytest.approx(100.0)
    assert rows.loc["correct_info", "critical_fails"] == 0
    carl = _card(op, op.lead, "carl").criteria.set_index("criterion_id")
    assert carl.loc["correct_info", "critical_fails"] == 1
    assert card.criterion_name("politeness", "ru") == "Вежливость"


def test_trend_marks_weeks_the_period_cuts_or_that_are_not_over(op):
    weeks = _card(op, op.lead).trend
    assert weeks["week"].tolist() == ["2026-W09", "2026-W10", "2026-W11", "2026-W12"]
    assert weeks["n"].tolist() == [0, 4, 0, 0]
    # W09 began before 1 March, W12 ends on 22 March, after the period and after "today"
    assert weeks["partial"].tolist() == [True, False, False, True]


def test_distribution_survey_fcr_and_service(op):
    card = _card(op, op.lead)
    assert dict(zip(card.distribution["low"], card.distribution["n"], strict=True))[60.0] == 1
    assert card.distribution["n"].sum() == 4
    # CSAT answers 5, 4, 2 of 4 conversations: 2 satisfied of 3 responses
    assert card.csat.responses == 3 and card.csat.contacts == 4
    assert card.csat.estimate.estimate == pytest.approx(2 / 3)
    assert "too_few_responses" in {w.code for w in card.csat.warnings}
    # nobody came back within 7 days and nothing was escalated: 4 of 4
    assert (card.fcr.n, card.fcr.estimate) == (4, 1.0)
    service = card.service.set_index("channel")
    assert service.loc["chat", "conversations"] == 2
    assert service.loc["chat", "sla_share"] == 1.0  # 1 and 2 minutes against 15
    assert set(card.channels["channel"]) == {"chat", "email"}


def test_csi_beside_csat_with_responses_rate_attributes_and_warnings(op):
    card = _card(op, op.lead)
    # indices 87.5, 75, 18.75 (tests/scorecard_fixtures.py): CSI 60.42 from 3 of 4
    assert card.csi.estimate.estimate == pytest.approx(181.25 / 3)
    assert (card.csi.responses, card.csi.contacts, card.csi.response_rate) == (3, 4, 0.75)
    assert [w.code for w in card.csi.warnings] == ["too_few_responses"]
    table = card.csi.attributes.set_index("attribute")
    assert table.loc["speed", "satisfaction"] == pytest.approx(200 / 3)
    assert table.loc["courtesy", "satisfaction"] == pytest.approx(125 / 3)
    assert table.loc["speed", "weight_share"] == pytest.approx(0.75)
    # boris's conversations have no survey: no CSI, not a zero
    other = _card(op, op.lead, "boris")
    assert other.csi.responses == 0 and not other.csi.estimate.defined
    assert other.csi.attributes.empty


def test_signals_are_kept_apart_and_examples_carry_comments(op):
    card = _card(op, op.lead)
    signals = card.signals.set_index("signal")
    assert signals.loc["politeness", "n"] == 4
    assert signals.loc["politeness", "value"] == pytest.approx(0.5 + 0.05 * 1.5)
    assert signals.loc["escalation", "value"] == 0.0
    assert card.best[0].score == 90.0 and card.worst[0].score == 60.0
    assert card.worst[0].comments == (("", "=comment 0"),)


def test_findings_compare_with_the_target(op):
    card = _card(op, op.lead)
    kinds = {(f.criterion_id, f.kind, f.against) for f in card.findings}
    # greeting: 100, 100, 100, 100 -> interval well above the target of 80
    assert ("greeting", "strength", "target") in kinds


def test_agent_reads_only_their_own_scorecard(op):
    assert _card(op, op.anna).agent_id == op.agent_ids["anna"]
    with pytest.raises(PermissionDenied):
        _card(op, op.anna, "boris")
    with unit_of_work(op.url) as session:
        assert scorecards.readable_agent_ids(session, op.anna) == [op.agent_ids["anna"]]


def test_leads_and_trainers_read_only_their_teams(op):
    assert _card(op, op.trainer_t1, "boris").agent_id == op.agent_ids["boris"]
    with pytest.raises(PermissionDenied):
        _card(op, op.trainer_t1, "carl")
    with pytest.raises(PermissionDenied):
        _card(op, op.lead_t2, "anna")
    with pytest.raises(PermissionDenied):
        _card(op, op.reviewer)
    with unit_of_work(op.url) as session:
        assert set(scorecards.readable_agent_ids(session, op.lead)) == set(op.agent_ids.values())
        assert scorecards.readable_agent_ids(session, op.lead_t2) == [op.agent_ids["carl"]]
        with pytest.raises(NotFound):
            scorecards.build_scorecard(session, op.lead, 999_999, MARCH, now=NOW)


def test_periods_parse_and_refuse_nonsense():
    assert scorecards.Period.parse("2026-02") == scorecards.Period(
        date(2026, 2, 1), date(2026, 2, 28)
    )
    assert scorecards.Period.parse("2026-03-01..2026-03-20") == MARCH
    assert MARCH.previous() == scorecards.Period(date(2026, 2, 9), date(2026, 2, 28))
    for bad in ("March", "2026-13", "2026-03-20..2026-03-01"):
        with pytest.raises(InvalidInput):
            scorecards.Period.parse(bad)


def _board(op, actor, **filters):
    with unit_of_work(op.url) as session:
        return scorecards.build_team_dashboard(
            session, actor, scorecards.TeamFilters(MARCH, **filters), now=NOW
        )


def test_team_dashboard_rows_shrink_and_refuse_to_rank_small_samples(op):
    board = _board(op, op.lead)
    rows = board.rows.set_index("login")
    assert set(rows.index) == {"anna", "boris", "carl"}
    assert rows.loc["anna", "n"] == 4 and rows.loc["anna", "raw"] == pytest.approx(75.0)
    assert rows.loc["carl", "raw"] == pytest.approx(40.0)
    # nobody has the minimum of 5 reviews: listed, never ranked
    assert not rows["rankable"].any() and rows["rank"].isna().all()
    assert board.min_reviews_to_rank is None or board.min_reviews_to_rank >= 5
    # shrinkage pulls toward the team mean, never past it
    mean = board.team_mean.estimate
    for login in rows.index:
        raw, shrunk = rows.loc[login, "raw"], rows.loc[login, "shrunk"]
        assert min(raw, mean) - 1e-9 <= shrunk <= max(raw, mean) + 1e-9
    assert rows.loc["anna", "conversations"] == 4
    assert rows.loc["anna", "coverage"] == pytest.approx(1.0)
    assert board.heat.loc["Анна Петрова", "politeness"] == pytest.approx(75.0)
    assert board.heat_n.loc["Анна Петрова", "politeness"] == 4
    assert board.waits["n"].sum() == 7


def test_team_dashboard_filters_and_roles(op):
    chat = _board(op, op.lead, channels=("chat",)).rows.set_index("login")
    assert chat.loc["anna", "n"] == 2  # her two e-mail reviews are filtered out
    only_t1 = _board(op, op.lead, team_ids=(op.team_ids["t1"],)).rows
    assert set(only_t1["login"]) == {"anna", "boris"}
    assert set(_board(op, op.lead_t2).rows["login"]) == {"carl"}
    with pytest.raises(PermissionDenied):
        _board(op, op.lead_t2, team_ids=(op.team_ids["t1"],))
    for actor in (op.trainer_t1, op.anna, op.reviewer):
        with pytest.raises(PermissionDenied):
            _board(op, actor)


def test_cached_frames_follow_a_new_review(op):
    assert _card(op, op.lead).quality.n == 4
    from qa_app.storage.models import Review

    with unit_of_work(op.url) as session:
        first = session.get(Review, 1)
        session.add(Review(conversation_id=first.conversation_id, reviewer_id=first.reviewer_id,
                           rubric_version_id=first.rubric_version_id, status="submitted",
                           overall_score=100.0))  # fmt: skip
    again = _card(op, op.lead)
    assert again.quality.n == 5 and again.quality.estimate == pytest.approx(80.0)

"""Spreading picks over reviewers by capacity (pure), and the fair order a cap cuts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from qa_app.services.sampling.spread import Seat, spread
from qa_app.services.sampling.strategies import Candidate, choose


def test_each_pick_goes_to_the_reviewer_with_most_room_and_nobody_over_capacity():
    seats = [Seat(1, capacity=5, open=0), Seat(2, capacity=2, open=0)]
    result = spread(list(range(10)), seats, seen=set(), cap=True)
    assert result.per_reviewer == {1: 5, 2: 2}
    assert result.left_out_capacity == 3
    # the room left evens out (ties go to the first reviewer), then both are full
    assert [rid for _i, rid in result.assigned] == [1, 1, 1, 1, 2, 1, 2]


def test_override_spreads_the_overflow_evenly():
    seats = [Seat(1, capacity=3), Seat(2, capacity=1)]
    capped = spread(list(range(8)), seats, set(), cap=True)
    wanted = spread(list(range(8)), seats, set(), cap=False)
    assert capped.per_reviewer == {1: 3, 2: 1} and capped.left_out_capacity == 4
    assert wanted.per_reviewer == {1: 5, 2: 3} and wanted.left_out_capacity == 0


def test_reviewers_without_a_goal_balance_by_open_queue_and_take_the_rest():
    seats = [Seat(1, capacity=None, open=4), Seat(2, capacity=None, open=0)]
    assert spread(list(range(4)), seats, set()).per_reviewer == {1: 0, 2: 4}
    mixed = [Seat(1, capacity=2), Seat(2, capacity=None, open=10)]
    result = spread(list(range(5)), mixed, set(), cap=True)
    assert result.per_reviewer == {1: 2, 2: 3} and result.left_out_capacity == 0


def test_nobody_gets_a_conversation_they_have_seen():
    seats = [Seat(1, capacity=None), Seat(2, capacity=None)]
    result = spread([10, 11], seats, seen={(1, 10), (2, 10), (2, 11)})
    assert result.assigned == ((1, 1),) and result.left_out_seen == 1


def _candidates(agents: int, per_agent: int) -> list[Candidate]:
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    out = []
    for a in range(agents):
        for n in range(per_agent):
            i = a * 100 + n
            out.append(
                Candidate(i, f"c-{i}", f"agent{a}", "t", "chat", "en", start + timedelta(hours=n))
            )
    return out


def test_fair_order_lets_a_cap_cut_every_agent_evenly():
    picks = choose("stratified", _candidates(4, 10), per_agent_week=3, size=None, seed=1)
    assert len(picks) == 12
    first_eight = [p.candidate.agent for p in picks[:8]]
    assert sorted(first_eight) == sorted([f"agent{a}" for a in range(4)] * 2)
    result = spread([p.candidate.conversation_id for p in picks], [Seat(1, capacity=8)], set())
    kept = {picks[i].candidate.agent for i, _rid in result.assigned}
    assert kept == {f"agent{a}" for a in range(4)}


def test_whole_window_quota_ignores_iso_weeks():
    pool = _candidates(1, 3)
    shifted = [
        Candidate(
            c.conversation_id + 50,
            c.external_id + "w",
            c.agent,
            "t",
            "chat",
            "en",
            c.started_at + timedelta(days=7),
        )
        for c in pool
    ]
    per_week = choose("stratified", pool + shifted, per_agent_week=2, size=None, seed=3)
    per_run = choose(
        "stratified", pool + shifted, per_agent_week=2, size=None, seed=3, whole_window=True
    )
    assert len(per_week) == 4 and len(per_run) == 2

"""Per-agent signal distributions of the Automatic scoring page: the summary the charts draw
(quartiles, whiskers, points, means) and the data stamps under which the app keeps it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from review_fixtures import seed_workflow
from sqlalchemy import update

from qa_app.services import autoqa, database
from qa_app.services.autoqa.distributions import MAX_OUTLIERS, summarise
from qa_app.services.errors import PermissionDenied
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import Agent, AutoScore, AutoScoreRun


def _frame(agent: str, signal: str, values) -> pd.DataFrame:
    return pd.DataFrame({"agent": agent, "signal": signal, "value": list(values)})


def test_small_groups_keep_every_value_and_large_ones_their_box():
    rng = np.random.default_rng(3)
    many = np.concatenate([rng.normal(0.6, 0.1, 2000), [5.0, -4.0]])
    frame = pd.concat([_frame("Anna", "empathy", [0.2, 0.4, 0.9]), _frame("Bob", "empathy", many)])
    summary = summarise(frame).set_index("agent")
    anna, bob = summary.loc["Anna"], summary.loc["Bob"]
    assert anna["n"] == 3 and anna["points"] == [0.2, 0.4, 0.9]
    assert anna["median"] == pytest.approx(0.4) and anna["mean"] == pytest.approx(0.5)
    q1, median, q3 = np.quantile(many, [0.25, 0.5, 0.75])
    assert (bob["q1"], bob["median"], bob["q3"]) == pytest.approx((q1, median, q3))
    reach = 1.5 * (q3 - q1)
    inside = many[(many >= q1 - reach) & (many <= q3 + reach)]
    assert (bob["lowerfence"], bob["upperfence"]) == pytest.approx((inside.min(), inside.max()))
    assert {5.0, -4.0} <= set(bob["points"]) and len(bob["points"]) <= MAX_OUTLIERS
    assert all(p < bob["lowerfence"] or p > bob["upperfence"] for p in bob["points"])


def test_outliers_are_capped_furthest_first():
    values = [0.5] * 500 + [float(v) for v in range(10, 10 + 2 * MAX_OUTLIERS)]
    (row,) = summarise(_frame("Anna", "clarity", values)).itertuples()
    assert len(row.points) == MAX_OUTLIERS and max(row.points) == 10 + 2 * MAX_OUTLIERS - 1
    assert min(row.points) >= 10 + MAX_OUTLIERS


def _add_signal(url: str, conversation_id: int, task: str, value: float) -> None:
    with unit_of_work(url) as session:
        session.add(AutoScore(conversation_id=conversation_id, message_id=None, task=task,
                              scorer_version="t", score=value, evidence=[]))  # fmt: skip
        session.add(AutoScoreRun(conversation_id=conversation_id, pipeline_version="v-test",
                                 content_hash="h"))  # fmt: skip


def _stamps(flow) -> tuple[str, str]:
    screen = autoqa.autoqa_screen(database.unit_of_work(flow.url), flow.lead, "v-test")
    return screen.distribution_stamp, screen.agreement_stamp


def test_screen_reads_per_agent_summary_and_stamps_move_with_the_data(db_url):
    flow = seed_workflow(db_url, conversations=4)
    before = _stamps(flow)
    assert before == _stamps(flow)  # nothing changed: the app keeps its summary
    for cid, value in zip(flow.conversation_ids, (0.2, 0.4, 0.6, 0.8), strict=True):
        _add_signal(db_url, cid, "empathy", value)
    scored = _stamps(flow)
    assert scored[0] != before[0] and scored[1] != before[1]  # a scoring run moves both
    summary = autoqa.signal_distribution_screen(
        database.unit_of_work(db_url), signals=("empathy", "clarity")
    )
    by_agent = summary.set_index("agent")
    assert set(by_agent.index) == {"Anna Petrova", "Bob Smith"}
    assert by_agent.loc["Anna Petrova", "points"] == [0.2, 0.6]  # conversations 0 and 2
    assert by_agent.loc["Bob Smith", "mean"] == pytest.approx(0.6)
    with unit_of_work(db_url) as session:  # a renamed agent changes the charts' labels
        session.execute(update(Agent).where(Agent.login == "b.smith").values(display_name="Bo"))
    renamed = _stamps(flow)
    assert renamed[0] != scored[0] and renamed[1] == scored[1]


def test_agents_cannot_read_the_distributions(db_url):
    flow = seed_workflow(db_url, conversations=2)
    with pytest.raises(PermissionDenied):
        autoqa.signal_distribution_screen(database.unit_of_work(db_url), flow.agents[0])

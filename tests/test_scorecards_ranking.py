"""The ranking check against known quality, and the command that prints it."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from qa_app.cli import cli
from qa_app.demo.grades import persona_true_quality
from qa_app.services import scorecards
from qa_app.services.scorecards.ranking_check import draw_counts
from qa_app.storage.db import unit_of_work
from tests.scorecard_fixtures import seed_operation


def test_ranking_check_on_known_quality(sqlite_url):
    seed_operation(sqlite_url)
    truth = {"anna": 80.0, "boris": 70.0, "carl": 40.0}  # raw means 75, 75, 40
    with unit_of_work(sqlite_url) as session:
        check = scorecards.check_ranking(session, truth, draws=20, seed=1)
    assert (check.agents, check.reviews) == (3, 7)
    # raw means tie anna and boris: ranks (1.5, 1.5, 3) against (1, 2, 3) -> r = 0.866
    assert check.raw_all == pytest.approx(0.8660, abs=1e-3)
    drawn = (check.raw_drawn, check.shrunk_drawn, check.pooled_drawn, check.difference)
    assert all(d.low <= d.mean <= d.high for d in drawn)
    assert check.difference.mean == pytest.approx(check.shrunk_drawn.mean - check.raw_drawn.mean)
    assert 0.0 <= check.shrunk_better_share <= 1.0 and 1 <= check.counts_low <= check.counts_high
    with unit_of_work(sqlite_url) as session, pytest.raises(ValueError):
        scorecards.check_ranking(session, {"anna": 1.0}, draws=5)


def test_drawn_months_give_part_timers_and_the_new_hire_fewer_reviews():
    rng = np.random.default_rng(3)
    available = {1: 40, 2: 40, 3: 40}
    months = [draw_counts(rng, available, new_hires={3}) for _ in range(4000)]
    mean = {k: np.mean([m[k] for m in months]) for k in available}
    # full time 12, part time (a quarter of the months) 0.4 x 12: 0.75 x 12 + 0.25 x 4.8 = 10.2
    assert mean[1] == pytest.approx(10.2, abs=0.2) and mean[2] == pytest.approx(10.2, abs=0.2)
    assert mean[3] == pytest.approx(6.0, abs=0.2)  # the new hire: half a month
    assert min(m[k] for m in months for k in available) >= 1
    assert max(draw_counts(rng, {1: 3}, ())[1] for _ in range(200)) == 3  # never more than exist


def test_persona_truth_orders_the_demo_personas():
    truth = persona_true_quality()
    assert len(truth) == 16
    assert truth["e.kuznetsova"] > truth["a.petrova"] > truth["t.baker"]  # resolver, warm, curt
    assert truth["t.baker"] == truth["d.smirnov"]  # the same persona


def test_stats_ranking_prints_simulation_and_demo_figures(sqlite_url):
    done = CliRunner().invoke(cli, ["--db", sqlite_url, "stats", "ranking", "--teams", "10",
                                    "--draws", "10"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "coverage of t interval" in done.output
    assert "Spearman with truth, shrunk vs raw mean" in done.output
    assert "demo personas: skipped (no conversations loaded" in done.output

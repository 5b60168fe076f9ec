"""The ranking check against known quality, and the command that prints it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qa_app.cli import cli
from qa_app.demo.grades import persona_true_quality
from qa_app.services import scorecards
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
    assert -1.0 <= check.shrunk_drawn <= 1.0 and 0.0 <= check.shrunk_better_share <= 1.0
    with unit_of_work(sqlite_url) as session, pytest.raises(ValueError):
        scorecards.check_ranking(session, {"anna": 1.0}, draws=5)


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

"""The statistics checked against simulated teams whose true quality is known."""

from __future__ import annotations

import numpy as np
import pytest

import scoring.stats as stats_package
from scoring.stats.simulation import (
    interval_coverage,
    ranking_accuracy,
    simulate_team,
    simulation_report,
)


def test_simulated_team_is_reproducible_and_realistic() -> None:
    first = simulate_team(np.random.default_rng(4), agents=30)
    again = simulate_team(np.random.default_rng(4), agents=30)
    assert list(first.scores) == list(again.scores)
    for key, values in first.scores.items():
        assert np.array_equal(values, again.scores[key])
        assert 2 <= values.size <= 60
        assert values.min() >= 0 and values.max() <= 100
        # true quality = 100 * (1 - 0.02) * m with m clipped to 0.40..0.97
        assert 39.2 <= first.true_quality[key] <= 95.06 + 1e-9


def test_true_quality_is_the_expected_review_score() -> None:
    team = simulate_team(np.random.default_rng(9), agents=3, min_reviews=20_000, max_reviews=20_000)
    for key, values in team.scores.items():
        assert values.mean() == pytest.approx(team.true_quality[key], abs=0.6)
    within_sd = np.mean([v.std() for v in team.scores.values()])
    assert 10 < within_sd < 22  # about 12 points from the Beta part, more with critical fails


@pytest.mark.parametrize("seed", [0, 1])
def test_mean_intervals_cover_the_true_quality_93_to_97_percent(seed: int) -> None:
    result = interval_coverage(teams=200, agents_per_team=20, seed=seed)
    assert result.agents == 4000
    assert 0.93 <= result.t <= 0.97
    # the shrunk posterior interval runs a little short (skewed scores, critical fails);
    # docs/statistics.md reports it rather than hiding it
    assert 0.91 <= result.shrunk <= 0.97
    assert result.shrunk_half_width < result.t_half_width
    assert set(result.t_by_reviews) == {"2-4", "5-9", "10-29", "30-60"}


def test_t_interval_beats_the_bootstrap_for_small_samples() -> None:
    result = interval_coverage(teams=40, agents_per_team=20, seed=2, bootstrap=True)
    assert result.bootstrap is not None and result.bootstrap_by_reviews is not None
    assert result.t_by_reviews["2-4"] > result.bootstrap_by_reviews["2-4"] + 0.15
    assert result.t > result.bootstrap


def test_ranking_by_shrunk_mean_beats_ranking_by_raw_mean() -> None:
    result = ranking_accuracy(teams=200, agents_per_team=20, seed=1)
    assert result.spearman_shrunk > result.spearman_raw
    assert result.shrunk_better_share > 0.5
    assert 0.5 < result.spearman_raw < 0.9
    # each agent's own (moderated) variance ranks better than one pooled variance: agents
    # with critical fails among good reviews have noisier means and are pulled in further
    assert result.spearman_shrunk > result.spearman_pooled > result.spearman_raw


def test_report_rows_pair_each_figure_with_its_reference() -> None:
    report = simulation_report(teams=10, agents_per_team=10, seed=3)
    rows = report.rows()
    names = [name for name, _, _ in rows]
    assert names[0] == "coverage of t interval"
    assert "coverage of percentile bootstrap" in names
    assert names[-1] == "Spearman with truth, shrunk vs raw mean"
    assert rows[-1][1:] == (report.ranking.spearman_shrunk, report.ranking.spearman_raw)
    assert all(reference == 0.95 for name, _, reference in rows if name.startswith("coverage"))
    assert report == simulation_report(teams=10, agents_per_team=10, seed=3)


def test_public_surface_is_complete() -> None:
    for name in stats_package.__all__:
        assert getattr(stats_package, name) is not None
    assert len(stats_package.__all__) == len(set(stats_package.__all__))

"""The scorecard figures on hand-made frames, with answers worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from qa_app.services import scorecards

T = pd.Timestamp("2026-03-02 09:00", tz="UTC")


def _conversations(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "started_at", "escalated", "channel",
                                        "frt"])  # fmt: skip
    return frame


def test_first_contact_resolution_counts_returns_escalations_and_open_windows():
    days = pd.Timedelta(days=1)
    mine = _conversations([
        ("a", T, False, "chat", 60.0),             # a comes back 3 days later: not resolved
        ("b", T, False, "chat", 60.0),             # b comes back after 8 days: resolved
        ("c", T, True, "chat", 60.0),              # escalated: not resolved
        ("d", T + 10 * days, False, "chat", 60.0),  # window still open on day 12: left out
        (None, T, False, "chat", 60.0),            # unknown customer: left out
    ])  # fmt: skip
    contacts = pd.DataFrame({
        "customer_id": ["a", "a", "b", "b", "c", "d"],
        "started_at": [T, T + 3 * days, T, T + 8 * days, T, T + 10 * days],
    })  # fmt: skip
    fcr = scorecards.first_contact_resolution(mine, contacts, T + 12 * days)
    assert (fcr.n, fcr.estimate) == (3, pytest.approx(1 / 3))


def test_service_by_channel_uses_each_channel_target():
    frame = _conversations([
        ("a", T, False, "chat", 600.0), ("b", T, False, "chat", 1200.0),
        ("c", T, False, "email", 3600.0), ("d", T, False, "phone", None),
    ])  # fmt: skip
    service = scorecards.service_by_channel(frame).set_index("channel")
    # chat target 15 min: 10 min met, 20 min missed; e-mail target 2 h: 1 h met
    assert service.loc["chat", "sla_share"] == 0.5 and service.loc["chat", "sla_n"] == 2
    assert service.loc["chat", "frt_median_min"] == pytest.approx(15.0)
    assert service.loc["email", "sla_share"] == 1.0
    assert service.loc["phone", "sla_n"] == 0 and pd.isna(service.loc["phone", "sla_share"])


def test_distribution_puts_100_in_the_last_band_and_counts_every_review():
    dist = scorecards.score_distribution(pd.Series([0.0, 9.9, 10.0, 55.0, 100.0]))
    assert dist["n"].tolist() == [2, 1, 0, 0, 0, 1, 0, 0, 0, 1]
    assert dist["band"].iloc[-1] == "90–100"


def test_signal_summary_means_scores_and_shares_flags():
    signals = pd.DataFrame({"politeness": [0.2, 0.4, None], "escalation": [1.0, 0.0, 0.0]})
    table = scorecards.signal_summary(signals).set_index("signal")
    assert table.loc["politeness", "n"] == 2
    assert table.loc["politeness", "value"] == pytest.approx(0.3)
    assert table.loc["escalation", "value"] == pytest.approx(1 / 3)
    assert table.loc["escalation", "kind"] == "share"


def test_category_score_weights_criterion_means():
    criteria = pd.DataFrame({"category_id": ["x", "x", "y"], "weight": [3.0, 1.0, 1.0],
                             "mean": [100.0, 20.0, 50.0], "n": [4, 6, 5]})  # fmt: skip
    categories = scorecards.category_scores(criteria).set_index("category_id")
    assert categories.loc["x", "mean"] == pytest.approx((300 + 20) / 4)
    assert categories.loc["x", "n"] == 4

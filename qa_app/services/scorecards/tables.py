"""The scorecard and team figures as plain tables in the user's language: the one source
of the PDF, XLSX and CSV exports, so a file shows exactly what the page shows."""

from __future__ import annotations

import math

import pandas as pd

from qa_app.i18n import t, t_or
from qa_app.services.scorecards.figures import SurveyFigure
from qa_app.services.scorecards.scorecard import Scorecard
from qa_app.services.scorecards.team import TeamDashboard
from scoring.stats import Estimate


def _r(value: float, digits: int = 1) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), digits)


def figure_row(label: str, e: Estimate, *, percent: bool = False) -> dict:
    scale = 100.0 if percent else 1.0
    return {"figure": label, "value": _r(e.estimate * scale), "low": _r(e.low * scale),
            "high": _r(e.high * scale), "n": e.n}  # fmt: skip


def summary_table(card: Scorecard, lang: str) -> pd.DataFrame:
    """Headline figures: quality, critical failures, team, CSAT, NPS, FCR (percent 0-100)."""
    rows = [
        figure_row(t("scorecards.metric.quality", lang), card.quality),
        figure_row(t("scorecards.metric.critical", lang) + " %", card.critical, percent=True),
        figure_row(t("scorecards.metric.rest_of_team", lang), card.team_quality),
        figure_row(t("scorecards.metric.csat", lang) + " %", card.csat.estimate, percent=True),
        figure_row(t("scorecards.metric.nps", lang), card.nps.estimate),
        figure_row(t("scorecards.metric.csi", lang), card.csi.estimate),
        figure_row(t("scorecards.metric.fcr", lang) + " %", card.fcr, percent=True),
    ]
    return _headed(pd.DataFrame(rows), lang)


def survey_rows(card: Scorecard) -> list[tuple[str, SurveyFigure, bool]]:
    """(metric key, figure, is a share) of CSAT, NPS and CSI, in the page's order."""
    return [("csat", card.csat, True), ("nps", card.nps, False), ("csi", card.csi, False)]


def survey_table(card: Scorecard, lang: str, warning_text) -> pd.DataFrame:
    """CSAT, NPS and CSI with responses, conversations, response rate and the warnings
    (``warning_text(warning, lang)`` words them), as the page shows them."""
    rows = []
    for key, figure, share in survey_rows(card):
        label = t(f"scorecards.metric.{key}", lang) + (" %" if share else "")
        rate = figure.response_rate
        rows.append({
            **figure_row(label, figure.estimate, percent=share),
            "responses": figure.responses, "contacts": figure.contacts,
            "rate": None if rate is None else _r(100 * rate),
            "warnings": " ".join(warning_text(w, lang) for w in figure.warnings),
        })  # fmt: skip
    frame = pd.DataFrame(rows).astype({"responses": "Int64", "contacts": "Int64"})
    return _headed(frame, lang).rename(columns={
        "responses": t("export.col.responses", lang),
        "contacts": t("scorecards.col.conversations", lang),
        "rate": t("export.col.response_rate", lang), "warnings": t("export.col.warnings", lang),
    })  # fmt: skip


def csi_attribute_table(card: Scorecard, lang: str) -> pd.DataFrame:
    """The CSI's attributes: n, mean satisfaction 0-100, importance weight, weight share."""
    a = card.csi.attributes
    if a.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        t("scorecards.col.attribute", lang): [attribute_name(x, lang) for x in a["attribute"]],
        "n": a["n"],
        t("scorecards.col.satisfaction", lang): [_r(v) for v in a["satisfaction"]],
        t("scorecards.col.importance", lang): [_r(v, 2) for v in a["importance"]],
        t("scorecards.col.weight_share", lang): [_r(100 * v) for v in a["weight_share"]],
    })  # fmt: skip


def attribute_name(attribute: str, lang: str) -> str:
    """A survey attribute in ``lang`` when the catalogue knows it, else as imported."""
    return t_or(f"scorecards.csi.attribute.{attribute}", lang, attribute)


def _headed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(columns={
        "figure": t("export.col.figure", lang), "value": t("scorecards.col.value", lang),
        "low": t("export.col.low", lang), "high": t("export.col.high", lang),
    })  # fmt: skip


def criteria_table(card: Scorecard, lang: str) -> pd.DataFrame:
    c = card.criteria
    return pd.DataFrame({
        t("scorecards.col.category", lang): [card.criterion_name(i, lang) for i in c["category_id"]],
        t("scorecards.col.criterion", lang): [card.criterion_name(i, lang) for i in c["criterion_id"]],
        t("scorecards.col.score", lang): [_r(v) for v in c["mean"]],
        t("export.col.low", lang): [_r(v) for v in c["low"]],
        t("export.col.high", lang): [_r(v) for v in c["high"]],
        "n": c["n"],
        t("scorecards.col.critical_fails", lang): c["critical_fails"],
    })  # fmt: skip


def trend_table(weeks: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("team.col.week", lang): weeks["week"], "n": weeks["n"],
        t("scorecards.col.score", lang): [_r(v) for v in weeks["mean"]],
        t("export.col.low", lang): [_r(v) for v in weeks["low"]],
        t("export.col.high", lang): [_r(v) for v in weeks["high"]],
        t("scorecards.partial_week", lang): [t("export.yes", lang) if p else "" for p in
                                             weeks["partial"]],
    })  # fmt: skip


def purged_table(weeks: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The weeks a retention purge deleted (``purged.purged_weeks``), page and export alike."""
    if weeks.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        t("scorecards.purged.col.week", lang): weeks["week"],
        t("scorecards.purged.col.conversations", lang): weeks["conversations"],
        t("scorecards.purged.col.reviews", lang): weeks["reviews"],
        t("scorecards.purged.col.score", lang): [_r(v) for v in weeks["score"]],
        t("scorecards.purged.col.csat", lang): [_r(v, 0) for v in weeks["csat"]],
        "CSAT n": weeks["csat_n"],
        t("scorecards.purged.col.nps", lang): [_r(v, 0) for v in weeks["nps"]],
        "NPS n": weeks["nps_n"],
    })  # fmt: skip


def service_table(card: Scorecard, lang: str) -> pd.DataFrame:
    s = card.service
    if s.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        t("scorecards.col.channel", lang): [t(f"overview.channel.{c}", lang) for c in s["channel"]],
        t("scorecards.col.conversations", lang): s["conversations"],
        t("scorecards.col.frt", lang): [_r(v) for v in s["frt_median_min"]],
        t("scorecards.col.sla_target", lang): [_r(v, 0) for v in s["sla_target_min"]],
        t("scorecards.col.sla", lang) + " %": [_r(100 * v) for v in s["sla_share"]],
        "n": s["sla_n"],
    })  # fmt: skip


def signals_table(card: Scorecard, lang: str) -> pd.DataFrame:
    s = card.signals
    scale = [100.0 if k == "share" else 1.0 for k in s["kind"]]
    return pd.DataFrame({
        t("scorecards.col.signal", lang): [t(f"scorecards.signal.{n}", lang) for n in s["signal"]],
        t("scorecards.col.value", lang): [_r(v * k, 2) for v, k in zip(s["value"], scale, strict=True)],
        t("export.col.low", lang): [_r(v * k, 2) for v, k in zip(s["low"], scale, strict=True)],
        t("export.col.high", lang): [_r(v * k, 2) for v, k in zip(s["high"], scale, strict=True)],
        "n": s["n"],
    })  # fmt: skip


def reviews_table(reviews: pd.DataFrame, names: dict[int, str], lang: str) -> pd.DataFrame:
    """One row per counted review: what the reviews export holds."""
    return pd.DataFrame({
        t("export.col.review", lang): reviews["review_id"],
        t("export.col.conversation", lang): reviews["external_id"],
        t("team.col.agent", lang): reviews["agent_id"].map(names),
        t("scorecards.col.channel", lang): [t(f"overview.channel.{c}", lang)
                                            for c in reviews["channel"]],
        t("export.col.started", lang): reviews["started_at"].dt.tz_convert("UTC")
        .dt.tz_localize(None),
        t("scorecards.col.score", lang): [_r(v) for v in reviews["score"]],
        t("scorecards.metric.critical", lang): [t("export.yes", lang) if f else ""
                                                for f in reviews["critical_fail"]],
    })  # fmt: skip


def team_table(board: TeamDashboard, lang: str) -> pd.DataFrame:
    r = board.rows
    return pd.DataFrame({
        t("team.col.rank", lang): [str(int(k)) if ok and not pd.isna(k) else t("team.too_few", lang)
                                   for k, ok in zip(r["rank"], r["rankable"], strict=True)],
        t("team.col.agent", lang): r["name"], t("team.col.team", lang): r["team"],
        t("team.col.score", lang): [_r(v) for v in r["shrunk"]],
        t("export.col.low", lang): [_r(v) for v in r["low"]],
        t("export.col.high", lang): [_r(v) for v in r["high"]],
        t("team.col.raw", lang): [_r(v) for v in r["raw"]], "n": r["n"],
        t("team.col.trend", lang): [_r(v) for v in r["trend_change"]],
        t("scorecards.col.conversations", lang): r["conversations"],
        t("team.col.coverage", lang) + " %": [_r(100 * v) for v in r["coverage"]],
        t("team.col.outlier", lang): [t(f"team.outlier.{o}", lang) if o else "" for o in r["outlier"]],
    })  # fmt: skip

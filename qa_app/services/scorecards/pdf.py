"""The scorecard and team reports as PDF: key figures with n and intervals, the charts as
images (matplotlib, DejaVu Sans, so Cyrillic renders), tables, and plain-text comments."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from qa_app import reports
from qa_app.i18n import t
from qa_app.i18n.numbers import decimal
from qa_app.services.scorecards import tables
from qa_app.services.scorecards.scorecard import Scorecard
from qa_app.services.scorecards.team import TeamDashboard
from scoring.stats import Estimate

MAX_COMMENT = 400


def _num(value: float, lang: str, digits: int = 1) -> str:
    return "—" if value != value else decimal(value, lang, digits)


def _figure(label: str, e: Estimate, lang: str, *, percent: bool = False) -> reports.KeyFigure:
    scale, unit = (100.0, "%") if percent else (1.0, "")
    if not e.defined:
        return reports.KeyFigure(label, "—", t("scorecards.no_data", lang, n=e.n))
    caption = t("export.interval", lang, low=_num(e.low * scale, lang),
                high=_num(e.high * scale, lang), n=e.n)  # fmt: skip
    return reports.KeyFigure(label, _num(e.estimate * scale, lang) + unit, caption)


def survey_warning(warning, lang: str) -> str:
    """A survey warning in ``lang``: rates as percentages, counts as whole numbers."""
    if warning.threshold < 1:
        value, threshold = f"{100 * warning.value:.0f}%", f"{100 * warning.threshold:.0f}%"
    else:
        value, threshold = f"{warning.value:.0f}", f"{warning.threshold:.0f}"
    return t(f"scorecards.survey.{warning.code}", lang, value=value, threshold=threshold)


def _table(report: reports.PdfReport, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    columns = [reports.Column(str(c), digits=1) for c in frame.columns]
    report.table(columns, frame.itertuples(index=False, name=None))


def _charts(report: reports.PdfReport, card: Scorecard, lang: str) -> None:
    c = card.criteria
    if not c.empty:
        report.image(reports.criteria_chart(
            [card.criterion_name(i, lang) for i in c["criterion_id"]], c["mean"].tolist(),
            c["low"].tolist(), c["high"].tolist(), targets=card.target,
            target_label=t("scorecards.target", lang), title=t("scorecards.chart.criteria", lang),
            x_label=t("scorecards.axis.score", lang), lang=lang,
        ))  # fmt: skip
    weeks = card.trend
    if not weeks.empty and weeks["n"].sum():
        report.image(reports.trend_chart(
            list(weeks["week_start"]), [None if v != v else v for v in weeks["mean"]],
            [None if v != v else v for v in weeks["low"]],
            [None if v != v else v for v in weeks["high"]],
            title=t("scorecards.chart.trend", lang), y_label=t("scorecards.axis.score", lang),
            band_label=t("scorecards.band", lang), target=card.target,
            target_label=t("scorecards.target", lang), lang=lang,
        ), width_mm=150)  # fmt: skip
        if weeks["partial"].any():
            report.paragraph(t("scorecards.partial_note", lang))
    if card.quality.n:
        report.image(reports.histogram_chart(
            card.reviews["score"].tolist(), bins=list(range(0, 101, 10)), value_range=(0, 100),
            title=t("scorecards.chart.distribution", lang, n=card.quality.n),
            x_label=t("scorecards.axis.score", lang), y_label=t("scorecards.axis.reviews", lang),
            lang=lang,
        ), width_mm=150)  # fmt: skip


def scorecard_pdf(card: Scorecard, lang: str, now: datetime, author: str) -> bytes:
    report = reports.PdfReport(generated_at=now, lang=lang, author=author,
                               footer=t("export.footer", lang))  # fmt: skip
    report.title(f"{t('scorecards.title', lang)}: {card.agent_name}")
    report.subtitle(t("export.subtitle", lang, team=card.team_name or "—",
                      start=card.period.start.isoformat(), end=card.period.end.isoformat()))  # fmt: skip
    report.key_figures([
        _figure(t("scorecards.metric.quality", lang), card.quality, lang),
        _figure(t("scorecards.metric.critical", lang), card.critical, lang, percent=True),
        _figure(t("scorecards.metric.rest_of_team", lang), card.team_quality, lang),
        _figure(t("scorecards.metric.csat", lang), card.csat.estimate, lang, percent=True),
        _figure(t("scorecards.metric.nps", lang), card.nps.estimate, lang),
        _figure(t("scorecards.metric.csi", lang), card.csi.estimate, lang),
        _figure(t("scorecards.metric.fcr", lang), card.fcr, lang, percent=True),
    ])  # fmt: skip
    _surveys(report, card, lang)
    report.heading(t("scorecards.tab.quality", lang))
    _charts(report, card, lang)
    _table(report, tables.criteria_table(card, lang))
    report.paragraph(t("scorecards.critical_note", lang))
    report.heading(t("scorecards.tab.service", lang))
    _table(report, tables.service_table(card, lang))
    report.heading(t("scorecards.tab.signals", lang))
    report.paragraph(t("scorecards.signals_note", lang))
    _table(report, tables.signals_table(card, lang))
    _purged(report, card.purged, lang)
    _findings(report, card, lang)
    _examples(report, card, lang)
    return report.to_bytes()


def _surveys(report: reports.PdfReport, card: Scorecard, lang: str) -> None:
    """Responses, rate and warnings of CSAT, NPS and CSI, then the CSI's attributes."""
    for key, figure, _ in tables.survey_rows(card):
        label = t(f"scorecards.metric.{key}", lang)
        rate = figure.response_rate
        report.paragraph(f"{label}: " + t(
            "scorecards.responses", lang, n=figure.responses, contacts=figure.contacts,
            rate="—" if rate is None else f"{_num(100 * rate, lang, 0)}%"))  # fmt: skip
        for warning in figure.warnings:
            report.paragraph(f"⚠ {label}: {survey_warning(warning, lang)}")
    report.paragraph(t("scorecards.csi_note", lang))
    _table(report, tables.csi_attribute_table(card, lang))


def _findings(report: reports.PdfReport, card: Scorecard, lang: str) -> None:
    report.heading(t("scorecards.tab.findings", lang))
    for kind in ("strength", "area"):
        report.heading(t(f"scorecards.findings.{kind}", lang), level=2)
        items = [f for f in card.findings if f.kind == kind][:5]
        if not items:
            report.paragraph(t(f"scorecards.findings.none_{kind}", lang))
        for f in items:
            report.paragraph("• " + t(
                f"scorecards.finding.{f.kind}.{f.against}", lang,
                criterion=card.criterion_name(f.criterion_id, lang), value=_num(f.mean, lang),
                low=_num(f.low, lang), high=_num(f.high, lang),
                reference=_num(f.reference, lang), n=f.n))  # fmt: skip


def _examples(report: reports.PdfReport, card: Scorecard, lang: str) -> None:
    for key, examples in (("best", card.best), ("worst", card.worst)):
        report.heading(t(f"scorecards.examples.{key}", lang), level=2)
        for e in examples:
            report.paragraph(t("scorecards.examples.line", lang, id=e.external_id,
                               channel=t(f"overview.channel.{e.channel}", lang),
                               day=e.started_at.date().isoformat(), score=_num(e.score, lang)))  # fmt: skip
            texts = [card.comment_text(c, lang) for c in e.comments]
            for text in texts or [t("scorecards.examples.no_comment", lang)]:
                report.paragraph("    " + text[:MAX_COMMENT])


def team_pdf(board: TeamDashboard, table: pd.DataFrame, lang: str, now: datetime,
             author: str) -> bytes:  # fmt: skip
    report = reports.PdfReport(generated_at=now, lang=lang, author=author, landscape=True,
                               footer=t("export.footer", lang))  # fmt: skip
    period = board.filters.period
    report.title(t("team.title", lang))
    report.subtitle(t("export.subtitle", lang, team="", start=period.start.isoformat(),
                      end=period.end.isoformat()).lstrip(" ·"))  # fmt: skip
    minimum = board.min_reviews_to_rank
    report.key_figures([
        _figure(t("team.metric.team_mean", lang), board.team_mean, lang),
        reports.KeyFigure(t("team.metric.ranked", lang),
                          f"{int(board.rows['rankable'].sum())} / {len(board.rows)}"),
        reports.KeyFigure(t("team.metric.minimum", lang), "—" if minimum is None else str(minimum)),
    ])  # fmt: skip
    _table(report, table)
    report.paragraph(t("team.table_note", lang))
    weeks = board.trend
    if not weeks.empty and weeks["n"].sum():
        report.image(reports.trend_chart(
            list(weeks["week_start"]), [None if v != v else v for v in weeks["mean"]],
            [None if v != v else v for v in weeks["low"]],
            [None if v != v else v for v in weeks["high"]],
            title=t("team.chart.trend", lang), y_label=t("scorecards.axis.score", lang),
            band_label=t("scorecards.band", lang), lang=lang,
        ), width_mm=170)  # fmt: skip
    _purged(report, board.purged, lang)
    return report.to_bytes()


def _purged(report: reports.PdfReport, weeks: pd.DataFrame, lang: str) -> None:
    """The weeks a retention purge deleted, as the page lists them; nothing when none."""
    if weeks.empty:
        return
    report.heading(t("scorecards.purged.title", lang))
    report.paragraph(t("scorecards.purged.caption", lang))
    _table(report, tables.purged_table(weeks, lang))

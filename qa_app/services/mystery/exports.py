"""The mystery-shopper report as PDF (DejaVu, so Cyrillic stays intact) and XLSX (every
cell through ``safe_cell``: a shopper's comment "=HYPERLINK(...)" stays text). Each export
is audited: who exported which period, in which format."""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd
from sqlalchemy.orm import Session

from qa_app import reports as exports
from qa_app.i18n import t
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput
from qa_app.services.mystery.reports import MysteryReport, ReportFilter, mystery_report
from qa_app.services.permissions import require

FORMATS = ("pdf", "xlsx")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _num(value: float | None) -> float | None:
    return (
        None
        if value is None or (isinstance(value, float) and math.isnan(value))
        else round(value, 1)
    )


def _few(flag: bool, lang: str) -> str:
    return t("mystery.report.too_few_short", lang) if flag else ""


def group_table(frame: pd.DataFrame, lang: str, title_key: str) -> pd.DataFrame:
    """A compliance-by-group frame with translated headers (screen, PDF and XLSX share it)."""
    return pd.DataFrame(
        {
            t(title_key, lang): frame["group"].astype(str),
            t("mystery.col.compliance", lang): frame["compliance"].map(_num),
            t("mystery.col.low", lang): frame["low"].map(_num),
            t("mystery.col.high", lang): frame["high"].map(_num),
            t("mystery.col.score", lang): frame["score"].map(_num),
            t("mystery.col.n", lang): frame["n"],
            t("mystery.col.note", lang): frame["too_few"].map(lambda f: _few(f, lang)),
        }
    )


def items_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("mystery.col.item", lang): frame["item"],
            t("mystery.col.category", lang): frame["category"],
            t("mystery.col.compliance", lang): frame["compliance"].map(_num),
            t("mystery.col.low", lang): frame["low"].map(_num),
            t("mystery.col.high", lang): frame["high"].map(_num),
            t("mystery.col.n", lang): frame["n"],
            t("mystery.col.note", lang): frame["too_few"].map(lambda f: _few(f, lang)),
        }
    )


def worst_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("mystery.col.item", lang): frame["item"],
            t("mystery.col.compliance", lang): frame["compliance"].map(_num),
            t("mystery.col.n", lang): frame["n"],
            t("mystery.col.examples", lang): frame["examples"].map(lambda c: " | ".join(c)),
        }
    )


def sla_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            t("mystery.col.channel", lang): frame["channel"].map(
                lambda c: t(f"overview.channel.{c}", lang)
            ),
            t("mystery.col.frt_median", lang): frame["first_response_median"].map(_num),
            t("mystery.col.frt_target", lang): frame["first_response_target"].map(_num),
            t("mystery.col.frt_within", lang): frame["first_response_within"].map(_num),
            t("mystery.col.res_median", lang): frame["resolution_median"].map(_num),
            t("mystery.col.res_target", lang): frame["resolution_target"].map(_num),
            t("mystery.col.res_within", lang): frame["resolution_within"].map(_num),
            t("mystery.col.n", lang): frame["n"],
            t("mystery.col.note", lang): frame["too_few"].map(lambda f: _few(f, lang)),
        }
    )


def gap_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    def note(row) -> str:
        if row["too_few"]:
            return t("mystery.report.too_few_short", lang)
        return t("mystery.report.disagree", lang) if row["disagree"] else ""

    return pd.DataFrame(
        {
            t("mystery.col.agent", lang): frame["agent"],
            t("mystery.col.mystery_score", lang): frame["mystery_score"].map(_num),
            t("mystery.col.mystery_n", lang): frame["mystery_n"],
            t("mystery.col.qa_score", lang): frame["qa_score"].map(_num),
            t("mystery.col.qa_n", lang): frame["qa_n"],
            t("mystery.col.gap", lang): frame["gap"].map(_num),
            t("mystery.col.note", lang): frame.apply(note, axis=1) if len(frame) else [],
        }
    )


def over_time_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("mystery.col.month", lang): frame["period"].map(lambda d: d.strftime("%Y-%m")),
            t("mystery.col.compliance", lang): frame["compliance"].map(_num),
            t("mystery.col.low", lang): frame["low"].map(_num),
            t("mystery.col.high", lang): frame["high"].map(_num),
            t("mystery.col.n", lang): frame["n"],
            t("mystery.col.note", lang): frame["too_few"].map(lambda f: _few(f, lang)),
        }
    )


def weekday_hour_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """First-response median minutes by weekday (rows) and hour (columns)."""
    if frame.empty:
        return pd.DataFrame()
    pivot = frame.pivot_table(index="weekday", columns="hour", values="first_response_median")
    pivot.index = [t(f"mystery.weekday.{WEEKDAYS[d]}", lang) for d in pivot.index]
    pivot.columns = [f"{h:02d}" for h in pivot.columns]
    return pivot.round(0)


def _channels(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.assign(group=frame["group"].map(lambda c: t(f"overview.channel.{c}", lang)))


def sections(report: MysteryReport, lang: str, gap: bool = True) -> list[tuple[str, pd.DataFrame]]:
    """The report's tables in order, each with its translated title."""
    tables = [
        ("mystery.report.by_channel", group_table(_channels(report.by_channel, lang), lang, "mystery.col.channel_group")),
        ("mystery.report.items", items_table(report.items, lang)),
        ("mystery.report.worst", worst_table(report.worst, lang)),
        ("mystery.report.by_team", group_table(report.by_team, lang, "mystery.col.team")),
        ("mystery.report.by_agent", group_table(report.by_agent, lang, "mystery.col.agent")),
        ("mystery.report.by_scenario", group_table(report.by_scenario, lang, "mystery.col.scenario")),
        ("mystery.report.over_time", over_time_table(report.over_time, lang)),
        ("mystery.report.sla", sla_table(report.sla, lang)),
        ("mystery.report.weekday_hour", weekday_hour_table(report.weekday_hour, lang).reset_index(names=t("mystery.col.weekday", lang))),
    ]  # fmt: skip
    if gap:
        tables.append(("mystery.report.gap", gap_table(report.gap, lang)))
    return [(t(key, lang), frame) for key, frame in tables]


def _figure(estimate, percent: bool, lang: str) -> tuple[str, str]:
    if not estimate.defined:
        return "—", t("mystery.report.n", lang, n=estimate.n)
    scale = 100.0 if percent else 1.0
    value = f"{estimate.estimate * scale:.0f}%" if percent else f"{estimate.estimate:.0f}"
    caption = t(
        "mystery.report.ci", lang, n=estimate.n,
        low=f"{estimate.low * scale:.0f}", high=f"{estimate.high * scale:.0f}",
    )  # fmt: skip
    return value, caption


def key_figures(report: MysteryReport, lang: str) -> list[tuple[str, str, str]]:
    """(label, value, caption) of the headline numbers."""
    compliance = _figure(report.compliance, False, lang)
    return [
        (t("mystery.report.compliance", lang), compliance[0] + ("%" if report.compliance.defined else ""), compliance[1]),
        (t("mystery.report.score", lang), *_figure(report.score, False, lang)),
        (t("mystery.report.pass_rate", lang), *_figure(report.pass_rate, True, lang)),
        (t("mystery.report.visits", lang), str(report.visits),
         t("mystery.report.too_few", lang, n=10) if report.visits < 10 else ""),
    ]  # fmt: skip


def _pdf(report: MysteryReport, lang: str, now: datetime, author: str, gap: bool) -> bytes:
    pdf = exports.PdfReport(generated_at=now, lang=lang, author=author, landscape=True)
    pdf.title(t("mystery.report.pdf_title", lang))
    pdf.subtitle(
        t(
            "mystery.report.period",
            lang,
            start=report.filters.start.isoformat(),
            end=report.filters.end.isoformat(),
        )
    )
    pdf.key_figures([exports.KeyFigure(*figure) for figure in key_figures(report, lang)])
    for title, frame in sections(report, lang, gap):
        pdf.heading(title)
        if frame.empty:
            pdf.paragraph(t("mystery.report.no_data", lang))
            continue
        pdf.table(
            [str(c) for c in frame.columns],
            frame.astype(object).where(frame.notna(), None).values.tolist(),
        )
    return pdf.to_bytes()


def _xlsx(report: MysteryReport, lang: str, now: datetime, author: str, gap: bool) -> bytes:
    labels = exports.MetaLabels(
        sheet=t("mystery.meta.sheet", lang), exported_by=t("mystery.meta.exported_by", lang),
        exported_at=t("mystery.meta.exported_at", lang), timezone=t("mystery.meta.timezone", lang),
        period=t("mystery.meta.period", lang), filters=t("mystery.meta.filters", lang),
    )  # fmt: skip
    channel = report.filters.channel
    info = exports.ExportInfo(
        title=t("mystery.report.pdf_title", lang), exported_by=author, exported_at=now, labels=labels,
        period=(report.filters.start, report.filters.end),
        filters={t("mystery.col.channel", lang): t(f"overview.channel.{channel}", lang) if channel else "—"},
    )  # fmt: skip
    sheets = [
        exports.Sheet(name=title[:31], data=frame) for title, frame in sections(report, lang, gap)
    ]
    return exports.to_xlsx_bytes(sheets, info)


def export_report(
    session: Session,
    actor: Actor,
    filters: ReportFilter,
    fmt: str,
    lang: str = "en",
    *,
    now: datetime | None = None,
) -> bytes:
    """The report of the visits ``actor`` may see, as PDF or XLSX bytes; audited."""
    require(actor, "mystery.export")
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}", key="mystery.export.format", fmt=fmt)
    moment = utc_now(now)
    report = mystery_report(session, actor, filters, lang)
    render = _pdf if fmt == "pdf" else _xlsx
    data = render(report, lang, moment, actor.username, True)
    record_event(
        session, actor, "mystery.report_exported", "mystery_report", fmt, now=now,
        start=filters.start.isoformat(), end=filters.end.isoformat(),
        channel=filters.channel or "", visits=report.visits,
    )  # fmt: skip
    return data

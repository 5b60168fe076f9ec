"""Scorecard, team and review exports (PDF, XLSX, CSV), role-checked like the pages and
written to the audit log. Each export rebuilds the figures through the same service the
page reads (``build_scorecard`` / ``build_team_dashboard``), so the numbers are the page's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy.orm import Session

from qa_app import reports
from qa_app.i18n import t
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.scorecards import tables
from qa_app.services.scorecards.access import require_agent, team_ids_for
from qa_app.services.scorecards.frames import review_frame
from qa_app.services.scorecards.lookups import agent_directory
from qa_app.services.scorecards.pdf import scorecard_pdf, survey_warning, team_pdf
from qa_app.services.scorecards.period import Period, Scope
from qa_app.services.scorecards.scorecard import build_scorecard
from qa_app.services.scorecards.team import TeamFilters, build_team_dashboard
from qa_app.services.use_case import atomic

FORMATS = ("pdf", "xlsx", "csv")
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


@dataclass(frozen=True)
class ExportFile:
    file_name: str
    mime: str
    data: bytes


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput(
            f"format {fmt!r} is not one of {', '.join(FORMATS)}",
            key="export.error.format", format=fmt, formats=", ".join(FORMATS),
        )  # fmt: skip


def _info(actor: Actor, title: str, period: Period, lang: str, now: datetime, **filters):
    labels = reports.MetaLabels(*(t(f"export.meta.{k}", lang) for k in (
        "sheet", "exported_by", "exported_at", "timezone", "period", "filters")))  # fmt: skip
    return reports.ExportInfo(title, actor.username, now, labels, (period.start, period.end),
                              {k: v for k, v in filters.items() if v})  # fmt: skip


def _sheets(named: list[tuple[str, pd.DataFrame]]) -> list[reports.Sheet]:
    return [reports.Sheet(name[:31], frame) for name, frame in named if not frame.empty]


def export_scorecard(
    session: Session, actor: Actor, agent_id: int, period: Period, fmt: str,
    lang: str = "en", *, now: datetime | None = None,
) -> ExportFile:  # fmt: skip
    """One agent's scorecard as a file; refused exactly as the page is refused."""
    _check_format(fmt)
    moment = utc_now(now)
    card = build_scorecard(session, actor, agent_id, period, now=moment)
    name = f"scorecard-{card.agent_login}-{period.start}-{period.end}.{fmt}"
    if fmt == "pdf":
        data = scorecard_pdf(card, lang, moment, actor.username)
    else:
        summary = tables.summary_table(card, lang)
        criteria = tables.criteria_table(card, lang)
        surveys = tables.survey_table(card, lang, survey_warning)
        named = [
            (t("export.sheet.summary", lang), summary),
            (t("export.sheet.criteria", lang), criteria),
            (t("export.sheet.trend", lang), tables.trend_table(card.trend, lang)),
            (t("scorecards.purged.title", lang), tables.purged_table(card.purged, lang)),
            (t("export.sheet.service", lang), tables.service_table(card, lang)),
            (t("export.sheet.surveys", lang), surveys),
            (t("export.sheet.csi", lang), tables.csi_attribute_table(card, lang)),
            (t("export.sheet.signals", lang), tables.signals_table(card, lang)),
            (t("export.sheet.reviews", lang), tables.reviews_table(
                card.reviews, {card.agent_id: card.agent_name}, lang)),
        ]  # fmt: skip
        info = _info(actor, t("scorecards.title", lang) + f": {card.agent_name}", period, lang,
                     moment, agent=card.agent_login)  # fmt: skip
        data = (reports.to_xlsx_bytes(_sheets(named), info) if fmt == "xlsx"
                else reports.to_csv_bytes(pd.concat([summary, criteria, surveys],
                                                    ignore_index=True)))  # fmt: skip
    record_event(session, actor, "export.scorecard", "agent", card.agent_id, now=moment,
                 format=fmt, period=period.label(), file=name)  # fmt: skip
    return ExportFile(name, MIME[fmt], data)


def export_team(
    session: Session, actor: Actor, filters: TeamFilters, fmt: str, lang: str = "en",
    *, now: datetime | None = None,
) -> ExportFile:  # fmt: skip
    """The team dashboard as a file (leads only, their own team when they have one)."""
    _check_format(fmt)
    moment = utc_now(now)
    board = build_team_dashboard(session, actor, filters, now=moment)
    period = filters.period
    name = f"team-{period.start}-{period.end}.{fmt}"
    table = tables.team_table(board, lang)
    if fmt == "pdf":
        data = team_pdf(board, table, lang, moment, actor.username)
    elif fmt == "xlsx":
        heat = (
            board.heat.round(1).reset_index().rename(columns={"agent": t("team.col.agent", lang)})
        )
        named = [(t("team.title", lang), table), (t("team.tab.heat", lang), heat),
                 (t("team.tab.trend", lang), tables.trend_table(board.trend, lang)),
                 (t("scorecards.purged.title", lang), tables.purged_table(board.purged, lang))]  # fmt: skip
        info = _info(actor, t("team.title", lang), period, lang, moment,
                     channels=", ".join(filters.channels), languages=", ".join(filters.languages))  # fmt: skip
        data = reports.to_xlsx_bytes(_sheets(named), info)
    else:
        data = reports.to_csv_bytes(table)
    record_event(session, actor, "export.team", "team", ",".join(map(str, filters.team_ids)),
                 now=moment, format=fmt, period=period.label(), file=name)  # fmt: skip
    return ExportFile(name, MIME[fmt], data)


def export_reviews(
    session: Session, actor: Actor, period: Period, fmt: str, lang: str = "en",
    *, agent_id: int | None = None, now: datetime | None = None,
) -> ExportFile:  # fmt: skip
    """Counted reviews and their scores: one agent's (as their scorecard allows) or, for a
    lead, every agent of their teams."""
    _check_format(fmt)
    if fmt == "pdf":
        raise InvalidInput("reviews export as CSV or XLSX", key="export.error.reviews_pdf")
    moment = utc_now(now)
    if agent_id is not None:
        scope = Scope(agent_ids=(require_agent(session, actor, agent_id).id,))
    else:
        scope = Scope(team_ids=team_ids_for(actor, ()))
    reviews = review_frame(session, period, scope)
    reviews = reviews[~reviews["calibration"]]
    directory = agent_directory(session)
    names = {int(r.agent_id): r.name or r.login for r in directory.itertuples()}
    table = tables.reviews_table(reviews, names, lang)
    name = f"reviews-{period.start}-{period.end}.{fmt}"
    info = _info(actor, t("export.sheet.reviews", lang), period, lang, moment)
    data = (reports.to_xlsx_bytes([reports.Sheet(t("export.sheet.reviews", lang), table)], info)
            if fmt == "xlsx" else reports.to_csv_bytes(table))  # fmt: skip
    record_event(session, actor, "export.reviews", "agent", agent_id or "", now=moment,
                 format=fmt, period=period.label(), rows=len(table), file=name)  # fmt: skip
    return ExportFile(name, MIME[fmt], data)


do_export_scorecard = atomic(export_scorecard)
do_export_team = atomic(export_team)
do_export_reviews = atomic(export_reviews)


KINDS = ("scorecard", "team", "reviews")


def export_as_user(
    session: Session, username: str, kind: str, fmt: str, period: Period, *,
    agent_login: str | None = None, lang: str | None = None, now: datetime | None = None,
) -> ExportFile:  # fmt: skip
    """The command line's export: acting as ``username`` (checked exactly as that user's
    page would be), for an agent given by login; audited under that user."""
    from qa_app.services import accounts

    user = accounts.find_user(session, username)
    if user is None or not user.is_active:
        raise NotFound(f"no active user {username!r}", key="export.error.no_user", user=username)
    actor = accounts.actor_for(user)
    lang = lang or actor.language
    agent_id = _agent_by_login(session, agent_login) if agent_login else None
    if kind == "scorecard":
        if agent_id is None:
            agent_id = actor.agent_id
        if agent_id is None:
            raise InvalidInput("a scorecard export needs --agent", key="export.error.need_agent")
        return export_scorecard(session, actor, agent_id, period, fmt, lang, now=now)
    if kind == "team":
        return export_team(session, actor, TeamFilters(period), fmt, lang, now=now)
    if kind == "reviews":
        return export_reviews(session, actor, period, fmt, lang, agent_id=agent_id, now=now)
    raise InvalidInput(f"unknown export {kind!r}", key="export.error.kind", kind=kind)


def _agent_by_login(session: Session, login: str) -> int:
    from sqlalchemy import func, select

    from qa_app.storage.models import Agent

    found = session.scalar(select(Agent.id).where(func.lower(Agent.login) == login.lower()))
    if found is None:
        raise NotFound(f"no agent {login!r}", key="export.error.no_agent_login", login=login)
    return found


do_export_as_user = atomic(export_as_user)

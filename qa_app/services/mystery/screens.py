"""What the mystery-shopper pages draw, each read in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.mystery.checklist import available_checklists, checklist_by_id
from qa_app.services.mystery.editing import may_edit
from qa_app.services.mystery.reports import MysteryReport, ReportFilter, mystery_report
from qa_app.services.mystery.scenarios import ScenarioInfo, local, scenario_infos
from qa_app.services.mystery.visibility import may_record, visible, visible_visit
from qa_app.services.mystery.visit_files import AttachmentFile, read_attachment
from qa_app.services.permissions import can, require
from qa_app.storage.models import (
    Agent,
    Conversation,
    MysteryAttachment,
    MysteryScenario,
    MysteryVisit,
    Team,
    User,
)
from qa_app.storage.uow import UnitOfWork

LIST_LIMIT = 500


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    criterion_id: str
    name: str
    category: str
    description: str
    levels: tuple[tuple[float, str], ...]
    na_allowed: bool


@dataclass(frozen=True, slots=True)
class ScenariosScreen:
    scenarios: list[ScenarioInfo]
    checklists: list[str]


@dataclass(frozen=True, slots=True)
class VisitRow:
    id: int
    contacted_at: datetime
    scenario: str
    channel: str
    agent: str
    team: str
    shopper: str
    score: float | None
    passed: bool | None
    published: bool
    attachments: int


@dataclass(frozen=True, slots=True)
class AnswerView:
    item: str
    value: str
    not_applicable: bool
    failed: bool
    comment: str


@dataclass(frozen=True, slots=True)
class AttachmentView:
    id: int
    name: str
    content_type: str
    size_bytes: int


@dataclass(frozen=True, slots=True)
class EditableVisit:
    """What the correction form starts from: the visit as stored, at ``lock_version``."""

    lock_version: int
    scenario_id: int
    scenario: str
    shopper: str
    agent_login: str
    team: str
    contacted_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    summary: str
    transcript: str
    conversation: str
    #: criterion id -> (level, not applicable, comment)
    answers: dict[str, tuple[float | None, bool, str]]
    items: list[ChecklistItem]


@dataclass(frozen=True, slots=True)
class VisitDetail:
    row: VisitRow
    first_response_at: datetime | None
    resolved_at: datetime | None
    summary: str
    transcript: str
    conversation: str
    answers: list[AnswerView]
    attachments: list[AttachmentView]
    #: The bytes of the one attachment asked for (a download or a preview), else None.
    opened: AttachmentFile | None = None
    #: Set when the actor may correct this visit now (the form's starting point).
    editable: EditableVisit | None = None


@dataclass(frozen=True, slots=True)
class VisitsScreen:
    visits: list[VisitRow]
    total: int
    scenarios: list[ScenarioInfo] = field(default_factory=list)
    checklists: dict[str, list[ChecklistItem]] = field(default_factory=dict)
    shoppers: list[str] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    detail: VisitDetail | None = None
    may_record: bool = False
    may_record_any: bool = False
    may_publish: bool = False
    may_import: bool = False
    #: Whether visits name their shopper (programme staff only).
    names_shopper: bool = False


def checklist_items(checklist_id: str, lang: str) -> list[ChecklistItem]:
    """The form's items of a checklist, in checklist order, texts in ``lang``."""
    rubric = checklist_by_id(checklist_id)
    return [
        ChecklistItem(
            criterion_id=c.id,
            name=c.name.get(lang),
            category=category.name.get(lang),
            description=c.description.get(lang),
            levels=tuple((lvl.value, lvl.label.get(lang)) for lvl in c.scale.levels),
            na_allowed=c.na_allowed,
        )
        for category in rubric.categories
        for c in category.criteria
    ]


def scenarios_screen(uow: UnitOfWork, actor: Actor, lang: str) -> ScenariosScreen:
    require(actor, "mystery.scenario_manage")
    with uow:
        return ScenariosScreen(scenario_infos(uow.session, lang), sorted(available_checklists()))


def _rows(session: Session, actor: Actor, lang: str, visit_id: int | None = None) -> list[VisitRow]:
    attachments = (
        select(func.count()).where(MysteryAttachment.visit_id == MysteryVisit.id).scalar_subquery()
    )
    stmt = (
        select(
            MysteryVisit, MysteryScenario.name, Agent.display_name, Agent.login, Team.name,
            User.username, attachments,
        )
        .join(MysteryScenario, MysteryScenario.id == MysteryVisit.scenario_id)
        .outerjoin(Agent, Agent.id == MysteryVisit.agent_id)
        .outerjoin(Team, Team.id == MysteryVisit.team_id)
        .outerjoin(User, User.id == MysteryVisit.shopper_id)
        .order_by(MysteryVisit.contacted_at.desc(), MysteryVisit.id.desc())
    )  # fmt: skip
    stmt = stmt.where(MysteryVisit.id == visit_id) if visit_id else stmt.limit(LIST_LIMIT)
    # Who the shopper was stays with the programme's staff: an agent who learnt it would
    # know the next contact from that person is staged; a shopper knows it is themselves.
    names_shopper = can(actor, "mystery.read_any")
    return [
        VisitRow(
            v.id,
            v.contacted_at,
            local(name, lang),
            v.channel,
            display or login or "",
            team or "",
            (shopper or "") if names_shopper else "",
            v.overall_score,
            v.passed,
            v.published,
            count,
        )  # fmt: skip
        for v, name, display, login, team, shopper, count in session.execute(visible(stmt, actor))
    ]


def _detail(
    session: Session, actor: Actor, visit_id: int, lang: str, attachment_id: int | None = None
) -> VisitDetail:
    visit = visible_visit(session, actor, visit_id)
    rubric = checklist_by_id(visit.checklist)
    names = {c.id: c for c in rubric.criteria()}
    answers = []
    for a in sorted(
        visit.answers,
        key=lambda a: list(names).index(a.criterion_id) if a.criterion_id in names else 999,
    ):
        criterion = names.get(a.criterion_id)
        label = ""
        if criterion is not None and a.value is not None:
            try:
                label = criterion.scale.level(a.value).label.get(lang)
            except KeyError:
                label = f"{a.value:g}"
        answers.append(
            AnswerView(criterion.name.get(lang) if criterion else a.criterion_id, label,
                       a.not_applicable, a.failed, a.comment)
        )  # fmt: skip
    files = list(
        session.scalars(
            select(MysteryAttachment)
            .where(MysteryAttachment.visit_id == visit.id)
            .order_by(MysteryAttachment.id)
        )
    )
    wanted = attachment_id if attachment_id in {f.id for f in files} else None
    conversation = (
        session.get(Conversation, visit.conversation_id) if visit.conversation_id else None
    )
    editable = may_edit(actor, visit)
    return VisitDetail(
        editable=_editable_view(session, visit, lang, conversation) if editable else None,
        opened=read_attachment(session, actor, wanted) if wanted else None,
        row=_rows(session, actor, lang, visit.id)[0],
        first_response_at=visit.first_response_at,
        resolved_at=visit.resolved_at,
        summary=visit.summary,
        transcript=visit.transcript,
        conversation=conversation.external_id if conversation else "",
        answers=answers,
        attachments=[
            AttachmentView(f.id, f.original_name, f.content_type, f.size_bytes) for f in files
        ],
    )


def _editable_view(
    session: Session, visit: MysteryVisit, lang: str, conversation: Conversation | None
) -> EditableVisit:
    agent = session.get(Agent, visit.agent_id) if visit.agent_id else None
    team = session.get(Team, visit.team_id) if visit.team_id else None
    shopper = session.get(User, visit.shopper_id) if visit.shopper_id else None
    scenario = session.get(MysteryScenario, visit.scenario_id)
    return EditableVisit(
        lock_version=visit.lock_version,
        scenario_id=visit.scenario_id,
        scenario=local(scenario.name, lang),
        shopper=shopper.username if shopper else "",
        agent_login=agent.login if agent else "",
        team=team.name if team else "",
        contacted_at=visit.contacted_at,
        first_response_at=visit.first_response_at,
        resolved_at=visit.resolved_at,
        summary=visit.summary,
        transcript=visit.transcript,
        conversation=conversation.external_id if conversation else "",
        answers={a.criterion_id: (a.value, a.not_applicable, a.comment) for a in visit.answers},
        items=checklist_items(visit.checklist, lang),
    )


def visits_screen(
    uow: UnitOfWork,
    actor: Actor,
    lang: str,
    visit_id: int | None = None,
    attachment_id: int | None = None,
) -> VisitsScreen:
    """The visits the actor may see (newest first), the chosen one in full (with the bytes
    of ``attachment_id`` when it is one of its files), and what the recording form needs
    when the actor may record."""
    with uow:
        session = uow.session
        rows = _rows(session, actor, lang)
        total = session.scalar(visible(select(func.count(MysteryVisit.id)), actor)) or 0
        chosen = visit_id if visit_id in {r.id for r in rows} else (rows[0].id if rows else None)
        detail = _detail(session, actor, chosen, lang, attachment_id) if chosen else None
        recording = may_record(actor)
        any_shopper = can(actor, "mystery.record_any")
        scenarios = scenario_infos(session, lang, active_only=True) if recording else []
        return VisitsScreen(
            visits=rows,
            total=total,
            scenarios=scenarios,
            checklists={s.checklist: checklist_items(s.checklist, lang) for s in scenarios},
            shoppers=list(session.scalars(select(User.username).where(User.is_active.is_(True)).order_by(User.username)))
            if any_shopper else [],
            agents=list(session.scalars(select(Agent.login).order_by(Agent.login))) if recording else [],
            teams=list(session.scalars(select(Team.name).order_by(Team.name))) if recording else [],
            detail=detail,
            may_record=recording,
            may_record_any=any_shopper,
            may_publish=can(actor, "mystery.publish"),
            may_import=can(actor, "mystery.import"),
            names_shopper=can(actor, "mystery.read_any"),
        )  # fmt: skip


def attachment_file(uow: UnitOfWork, actor: Actor, attachment_id: int) -> AttachmentFile:
    """An attachment's bytes for a download, if the actor may see its visit."""
    with uow:
        return read_attachment(uow.session, actor, attachment_id)


@dataclass(frozen=True, slots=True)
class ReportScreen:
    report: MysteryReport
    may_export: bool
    shows_gap: bool
    #: The day of the latest visit the actor may see (any period), so an empty period can
    #: point at where the visits are; None when there is none.
    last_visit_day: date | None = None


def report_screen(uow: UnitOfWork, actor: Actor, filters: ReportFilter, lang: str) -> ReportScreen:
    """The report page: the figures of the visits the actor may see in the period."""
    require(actor, "page.mystery_reports")
    with uow:
        report = mystery_report(uow.session, actor, filters, lang)
        last = uow.session.scalar(visible(select(func.max(MysteryVisit.contacted_at)), actor))
    shows_gap = can(actor, "mystery.read_any") or can(actor, "mystery.read_published_own")
    return ReportScreen(
        report, can(actor, "mystery.export"), shows_gap, last.date() if last else None
    )

"""The notable-conversations list: outliers and risks, each with the reason it stands out,
ranked, paged and filterable, and sent to review in one step.

Fast on a large corpus because the database does the first cut: one query keeps only the
unassigned conversations whose reasons could weigh enough (the weights of every reason it
can see, computed in SQL with the signals read out of the stored JSON), or whose customer
wrote three or more times in the period. The exact rules (``outliers.notable_reasons``)
then run in Python on what is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.conversations import channel_sla
from qa_app.services.errors import Conflict, InvalidInput
from qa_app.services.permissions import require
from qa_app.services.sampling.candidates import (
    REPEAT_WINDOW,
    SampleRequest,
    any_of,
    load_candidates,
)
from qa_app.services.sampling.filters import (
    ConversationFilters,
    handle_minutes,
    signal_value,
    validate_filters,
)
from qa_app.services.sampling.outliers import (
    DETRACTOR_UP_TO,
    LONG_HANDLE_TIMES,
    LOW_CSAT_UP_TO,
    MIN_NOTABILITY,
    REPEAT_FROM_PRIOR,
    SLOW_FIRST_RESPONSE_TIMES,
    WEIGHTS,
    Reason,
    is_notable,
    notability,
    notable_reasons,
)
from qa_app.services.sampling.plans import (
    SamplePlan,
    active_reviewers,
    assign_picks,
    insert_assignments,
    record_override,
)
from qa_app.services.sampling.strategies import (
    MISSED_EMPATHY_FROM,
    NEGATIVE_SENTIMENT_BELOW,
    RUDENESS_FROM,
    Pick,
)
from qa_app.storage.models import CHANNELS, Conversation

PAGE_SIZE = 25
MAX_PAGE_SIZE = 200
MAX_SEND = 500
REASONS = tuple(WEIGHTS)


@dataclass(frozen=True, slots=True)
class NotableConversation:
    conversation_id: int
    external_id: str
    agent: str
    team: str
    channel: str
    language: str
    started_at: datetime
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class NotablePage:
    items: tuple[NotableConversation, ...]
    total: int
    page: int
    page_size: int
    #: How many conversations (of the whole list, before the reason filter) show each reason.
    reason_counts: dict[str, int]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True, slots=True)
class SendResult:
    sample: SamplePlan
    created: int
    #: Chosen conversations that someone else assigned meanwhile (left alone).
    taken: int


def _times_target(column, which: str, times: float):
    """``column >= times x the channel's target`` (seconds); channels without one never."""
    targets = {c: getattr(channel_sla(c), which) for c in CHANNELS}
    limits = {c: t * times for c, t in targets.items() if t}
    return column >= case(limits, value=Conversation.channel, else_=None)


def _frequent_customers(filters: ConversationFilters):
    """Customers with at least three contacts in the period (widened by the repeat window):
    a superset of those whose conversation is a 3rd contact within 7 days."""
    query = select(Conversation.customer_id).where(Conversation.customer_id.is_not(None))
    if filters.date_from:
        start = datetime.combine(filters.date_from, time.min, UTC) - REPEAT_WINDOW
        query = query.where(Conversation.started_at >= start)
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, UTC)
        query = query.where(Conversation.started_at < end)
    having = func.count() >= REPEAT_FROM_PRIOR + 1
    return query.group_by(Conversation.customer_id).having(having)


def _weight_in_sql():
    """The notability the database can see (every reason but repeat contact), never below
    the exact one: low CSAT counts 3 with or without the slow first response."""
    conditions = [
        (Conversation.csat <= LOW_CSAT_UP_TO, WEIGHTS["low_csat"]),
        (Conversation.nps <= DETRACTOR_UP_TO, WEIGHTS["detractor"]),
        (and_(Conversation.escalated.is_(True), Conversation.status != "resolved"),
         WEIGHTS["escalated_unresolved"]),
        (signal_value("rudeness") >= RUDENESS_FROM, WEIGHTS["rudeness"]),
        (signal_value("missed_empathy") >= MISSED_EMPATHY_FROM, WEIGHTS["missed_empathy"]),
        (signal_value("sentiment_end") < NEGATIVE_SENTIMENT_BELOW, WEIGHTS["negative_ending"]),
        (_times_target(Conversation.first_response_seconds, "first_response",
                       SLOW_FIRST_RESPONSE_TIMES), WEIGHTS["slow_first_response"]),
        (_times_target(handle_minutes() * 60, "handle", LONG_HANDLE_TIMES), WEIGHTS["long_handle"]),
    ]  # fmt: skip
    return sum((case((condition, weight), else_=0.0) for condition, weight in conditions), 0.0)


def _could_stand_out(filters: ConversationFilters) -> list:
    """The database's first cut: enough weight, or a customer who wrote three times."""
    return any_of(
        [
            _weight_in_sql() >= MIN_NOTABILITY,
            Conversation.customer_id.in_(_frequent_customers(filters)),
        ]
    )


def _ranked(session: Session, filters: ConversationFilters) -> list[NotableConversation]:
    found = []
    for c in load_candidates(session, filters, extra=_could_stand_out(filters)):
        reasons = notable_reasons(c)
        if is_notable(reasons):
            found.append(
                NotableConversation(
                    c.conversation_id,
                    c.external_id,
                    c.agent,
                    c.team,
                    c.channel,
                    c.language,
                    c.started_at,
                    notability(reasons),
                    reasons,
                )
            )
    found.sort(key=lambda n: (-n.score, -n.started_at.timestamp(), n.conversation_id))
    return found


def notable_conversations(
    session: Session,
    actor: Actor,
    filters: ConversationFilters,
    *,
    reason: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> NotablePage:
    """Unassigned conversations that stand out, most notable first, one page of them;
    ``reason`` keeps only those showing that reason."""
    require(actor, "sampling.notable")
    validate_filters(filters)
    if reason is not None and reason not in REASONS:
        raise InvalidInput(
            f"unknown reason {reason!r}", key="sampling.error.notable_reason", reason=reason
        )
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput("page out of range", key="sampling.error.page", most=MAX_PAGE_SIZE)
    ranked = _ranked(session, filters)
    counts = {code: 0 for code in REASONS}
    for item in ranked:
        for r in item.reasons:
            counts[r.code] += 1
    if reason is not None:
        ranked = [n for n in ranked if any(r.code == reason for r in n.reasons)]
    start = (page - 1) * page_size
    return NotablePage(
        tuple(ranked[start : start + page_size]), len(ranked), page, page_size, counts
    )


def _free_picks(session: Session, wanted: list[int]) -> list[Pick]:
    """The chosen conversations still in no queue, in the lead's order, with their reasons
    as the pick's reasons (the queue page words them)."""
    extra = [Conversation.id.in_(wanted)]
    free = {
        c.conversation_id: c for c in load_candidates(session, ConversationFilters(), extra=extra)
    }
    if not free:
        raise Conflict(
            "every chosen conversation is already assigned", key="sampling.error.notable_taken"
        )
    return [
        Pick(free[i], tuple(r.code for r in notable_reasons(free[i])) or ("notable",))
        for i in wanted
        if i in free
    ]


def send_to_review(
    session: Session,
    actor: Actor,
    conversation_ids: list[int],
    reviewers: tuple[str, ...],
    *,
    now: datetime,
    override: bool = False,
    blind: bool = False,
    rubric_slug: str | None = None,
) -> SendResult:
    """Queue the chosen notable conversations: to one reviewer, or spread over several by
    capacity (capped unless ``override``, which is audited). Conversations someone else
    assigned meanwhile are left alone and counted."""
    require(actor, "sampling.notable")
    if not conversation_ids or len(conversation_ids) > MAX_SEND:
        raise InvalidInput(
            "choose conversations to send", key="sampling.error.notable_none", most=MAX_SEND
        )
    if not reviewers:
        raise InvalidInput("choose at least one reviewer", key="sampling.error.no_reviewers")
    users = active_reviewers(session, reviewers)
    wanted = list(dict.fromkeys(conversation_ids))
    picks = _free_picks(session, wanted)
    request = SampleRequest(
        strategy="notable",
        reviewers=tuple(reviewers),
        rubric_slug=rubric_slug,
        blind=blind,
        override_capacity=override,
    )
    sample = assign_picks(session, request, picks, len(picks), users, now)
    rows = insert_assignments(session, actor, sample, "notable", now=now)
    if override:
        record_override(session, actor, sample, "notable", now=now)
    record_event(
        session,
        actor,
        "notable.sent",
        "sample",
        "notable",
        now=now,
        assignments=len(rows),
        per_reviewer=sample.per_reviewer(),
        left_out_capacity=sample.left_out_capacity,
        override=override,
    )
    return SendResult(sample, len(rows), len(wanted) - len(picks))

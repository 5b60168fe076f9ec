"""Pieces of the demo season: conversation facts, dates, disputes and calibration sessions.

Kept apart from ``demo_reviews`` (which runs the season) so each stays readable; every
change still goes through the services (disputes, calibration), so their rules hold.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from qa_app.demo.grades import (
    NOISE,
    ConversationFacts,
    comments_for,
    draft_of,
    effective_bias,
    find_marks,
    grade_conversation,
)
from qa_app.services import calibration, disputes
from qa_app.services.accounts import actor_for
from qa_app.services.actor import Actor
from qa_app.services.calibration import calibration_results
from qa_app.services.conversations import first_response_breached
from qa_app.services.reviews import submit_review
from qa_app.storage.models import (
    Agent,
    Assignment,
    Conversation,
    Message,
    Review,
    User,
)

CHUNK = 500
WEEK = timedelta(days=7)
#: The season's "today" by default: four days after the corpus's last day (its own fixed
#: dates), when the last week's reviews are written. Never the real clock, so a demo
#: database is the same on any day it is built.
SEASON_TAIL = timedelta(days=4)
CALIBRATION_WEEKS = (4, 9)
CALIBRATION_NAMES = (
    "Calibration 1: weeks 1-4 / Калибровка 1: недели 1–4",
    "Calibration 2: weeks 6-9 / Калибровка 2: недели 6–9",
)
CLOSE_NOTES = (
    "Strict and lenient readings of empathy and resolution discussed; descriptors re-read "
    "together. / Обсудили строгие и мягкие прочтения эмпатии и решения вопроса, заново "
    "разобрали описания уровней.",
    "Much closer than in round 1; keep an eye on N/A for objections. / Расхождения заметно "
    "меньше, чем в первом раунде; следим за N/A в работе с возражениями.",
)
CONSENSUS_NOTE = {
    "en": "Agreed: the transcript matches this level's descriptor.",
    "ru": "Договорились: переписка соответствует описанию этого уровня.",
}
REASON = {
    "en": "I disagree with the grade for “{criterion}”: the transcript shows it was done. "
    "Please have another look.",
    "ru": "Прошу пересмотреть оценку по критерию «{criterion}»: в переписке видно, что это "
    "было сделано.",
}
ACCEPT = {
    "en": "You are right, this was missed on the first reading. Grade corrected.",
    "ru": "Вы правы, при первой проверке это было упущено. Оценка исправлена.",
}
REJECT = {
    "en": "The grade stays: the rubric asks for more than the transcript shows. Let's go "
    "through it at the next coaching session.",
    "ru": "Оценка остаётся: по форме требуется больше, чем видно в переписке. Разберём на "
    "ближайшей встрече по развитию.",
}


def _personas() -> dict[str, str]:
    try:
        from qa_app.demo.corpus.personas import AGENTS
    except ImportError:
        return {}
    return {a.login: a.persona for a in AGENTS}


def demo_reference(reference: datetime | None = None) -> datetime:
    """The moment the demo season is written as of: ``reference`` when given, else the
    default corpus's last day plus ``SEASON_TAIL`` (18:00 UTC)."""
    if reference is not None:
        if reference.tzinfo is None:
            raise ValueError("the demo's reference date needs a time zone")
        return reference
    from qa_app.demo.corpus.generator import DEFAULT_END

    return datetime.combine(DEFAULT_END, time(18, 0), UTC) + SEASON_TAIL


def corpus_start(session: Session, reference: datetime | None = None) -> datetime:
    """The first day of the corpus: week 0 of the season."""
    first = session.scalar(select(func.min(Conversation.started_at)))
    return (first or demo_reference(reference)).replace(hour=0, minute=0, second=0, microsecond=0)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _texts(session: Session, ids: list[int]) -> dict[int, dict[str, list[str]]]:
    texts: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    query = (
        select(Message.conversation_id, Message.role, Message.text)
        .where(Message.conversation_id.in_(ids))
        .order_by(Message.conversation_id, Message.seq)
    )
    for conv_id, role, text in session.execute(query):
        texts[conv_id][role].append(text or "")
    return texts


def load_facts(
    session: Session, conversation_ids: Iterable[int], find_marks: Callable
) -> dict[int, tuple[ConversationFacts, int, datetime]]:
    """conversation id -> (facts, week index, started_at) for the given conversations."""
    start = session.scalar(select(func.min(Conversation.started_at))) or demo_reference()
    last = session.scalar(select(func.max(Conversation.started_at))) or start
    # the corpus spans whole weeks; a late-night conversation may spill an hour past them
    weeks = max(1, round((last - start).total_seconds() / WEEK.total_seconds()))
    personas = _personas()
    out = {}
    for ids in _chunks(conversation_ids):
        texts = _texts(session, ids)
        query = (
            select(Conversation, Agent.login)
            .outerjoin(Agent, Agent.id == Conversation.agent_id)
            .where(Conversation.id.in_(ids))
        )
        for conv, login in session.execute(query):
            week = min(weeks - 1, (conv.started_at - start) // WEEK)
            persona = personas.get(login or "", "solid")
            agent_text = "\n".join(texts[conv.id]["agent"])
            name = (conv.customer_name or "").split()
            tags = set(conv.tags or [])
            facts = ConversationFacts(
                persona=persona,
                skill=week / max(1, weeks - 1) if persona == "new_hire" else 1.0,
                language=conv.language,
                channel=conv.channel,
                angry="complaint" in tags,
                bug="bug" in tags,
                repeat="repeat_contact" in tags,
                resolved=conv.status == "resolved",
                escalated=bool(conv.escalated),
                name_known=bool(name),
                name_used=bool(name) and name[0].lower() in agent_text.lower(),
                sla_breached=first_response_breached(conv.channel, conv.first_response_seconds),
                marks=find_marks(conv.language, agent_text, "\n".join(texts[conv.id]["customer"])),
            )
            out[conv.id] = (facts, week, conv.started_at)
    return out


def backdate_reviews(
    session: Session, review_ids: list[int], rng: random.Random, reference: datetime
) -> None:
    """Reviews are written one to four days after the conversation (never after the
    season's ``reference`` day), not all at once."""
    if not review_ids:
        return
    started = dict(
        session.execute(
            select(Review.id, Conversation.started_at)
            .join(Conversation, Conversation.id == Review.conversation_id)
            .where(Review.id.in_(review_ids))
        ).all()
    )
    rows = []
    for review_id in review_ids:
        at = min(started[review_id] + timedelta(hours=rng.uniform(20, 96)), reference)
        rows.append(
            {"rid": review_id, "at": at, "made": at - timedelta(minutes=rng.uniform(4, 25))}
        )
    table = Review.__table__
    session.execute(
        update(table)
        .where(table.c.id == bindparam("rid"))
        .values(
            submitted_at=bindparam("at"), updated_at=bindparam("at"), created_at=bindparam("made")
        ),
        rows,
    )


def _truth(season, conv_id: int) -> dict[str, float | None]:
    """What an unbiased, careful reviewer would give (no bias, no noise)."""
    facts = season.facts[conv_id][0]
    return grade_conversation(season.rubric, facts, 0.0, random.Random(0), noise=0.0)


def _agent_actor(session: Session, conv_id: int, fallback: Actor) -> Actor:
    agent_id = session.scalar(select(Conversation.agent_id).where(Conversation.id == conv_id))
    user = session.scalar(
        select(User).where(
            User.role == "agent", User.agent_id == agent_id, User.is_active.is_(True)
        )
    )
    return actor_for(user) if user is not None else fallback


def _dispute_candidates(season, review_ids: list[int]) -> tuple[list, list]:
    """One (review, criterion, proposed) per review: a grade below the truth (a fair
    dispute) or a grade that equals it (the agent still hopes for more)."""
    fair, unfounded = [], []
    for review_id in review_ids:
        review = season.session.get(Review, review_id)
        truth = _truth(season, review.conversation_id)
        below, equal = [], []
        for grade in sorted(review.grades, key=lambda g: g.criterion_id):
            right = truth.get(grade.criterion_id)
            if grade.value is None or right is None:
                continue
            criterion = season.rubric.criterion(grade.criterion_id)
            higher = [v for v in criterion.scale.values if v > grade.value]
            if right > grade.value:
                below.append((review, grade.criterion_id, right))
            elif right == grade.value and higher:
                equal.append((review, grade.criterion_id, higher[0]))
        if below:
            fair.append(season.rng.choice(below))
        elif equal:
            unfounded.append(season.rng.choice(equal))
    return fair, unfounded


def create_disputes(season, review_ids: list[int], lead: Actor, count: int) -> dict[str, int]:
    """Agents dispute ``count`` grades: about half accepted, a third rejected, two left open."""
    pool = season.rng.sample(review_ids, min(len(review_ids), count * 6))
    fair, unfounded = _dispute_candidates(season, pool)
    n_accept, n_open = count // 2, min(2, count // 4)
    chosen = [(c, "accept") for c in fair[:n_accept]]
    chosen += [(c, "reject") for c in unfounded[: count - n_accept - n_open]]
    chosen += [(c, "open") for c in unfounded[count - n_accept - n_open : count - n_accept]]
    by_id = {a.user_id: a for a in season.actors.values()}
    outcome: dict[str, int] = defaultdict(int)
    for index, ((review, criterion_id, proposed), fate) in enumerate(chosen):
        lang = season.facts[review.conversation_id][0].language
        name = season.rubric.criterion(criterion_id).name.get(lang)
        agent = _agent_actor(season.session, review.conversation_id, lead)
        raised, resolved = _dispute_times(season, review.id, index)
        dispute_id = disputes.raise_dispute(
            season.session, agent, review.id, REASON[lang].format(criterion=name),
            criterion_id, proposed, now=raised,
        )  # fmt: skip
        outcome["raised"] += 1
        if fate == "open":
            outcome["open"] += 1
            continue
        resolver = by_id.get(review.reviewer_id, lead) if index % 2 else lead
        answer = (ACCEPT if fate == "accept" else REJECT)[lang]
        disputes.resolve_dispute(
            season.session, resolver, dispute_id, fate == "accept", answer, now=resolved
        )
        outcome["accepted" if fate == "accept" else "rejected"] += 1
    return dict(outcome)


def _dispute_times(season, review_id: int, index: int) -> tuple[datetime, datetime]:
    """An agent disputes a day or two after the review; the answer follows a day later
    (spread by the dispute's position, not by the season's random stream, which the grades
    draw from). Both stay within the season."""
    submitted = season.session.scalar(select(Review.submitted_at).where(Review.id == review_id))
    raised = min(submitted + timedelta(hours=26 + 7 * (index % 4)), season.reference)
    return raised, min(raised + timedelta(hours=20 + 5 * (index % 3)), season.reference)


def _grade_calibration(season, sid: int, week: int, bias_at: Callable, graded_at: datetime) -> None:
    rows = season.session.execute(
        select(Assignment.id, Assignment.conversation_id, Assignment.reviewer_id)
        .where(Assignment.calibration_session_id == sid)
        .order_by(Assignment.id)
    ).all()
    missing = {conv for _, conv, _ in rows} - set(season.facts)
    if missing:
        season.facts.update(load_facts(season.session, missing, find_marks))
    names = {a.user_id: name for name, a in season.actors.items()}
    for assignment_id, conv_id, reviewer_id in rows:
        name = names[reviewer_id]
        facts = season.facts[conv_id][0]
        grades = grade_conversation(
            season.rubric, facts, bias_at(season.biases[name], week), season.rng, NOISE
        )
        comments = comments_for(season.rubric, grades, facts.language, season.rng)
        draft = draft_of(season.rubric, grades, comments)
        submit_review(
            season.session, season.actors[name], assignment_id, draft, None, now=graded_at
        )


def _agreed_value(item) -> float | None:
    """What the team settles on after discussion: the middle grade (N/A if most said so)."""
    values = sorted(g.value for g in item.grades if not g.not_applicable and g.value is not None)
    if len(values) * 2 < len(item.grades):
        return None
    return values[(len(values) - 1) // 2]


def create_calibrations(
    season, lead: Actor, version_id: int, sizes: tuple[int, ...], seed: int
) -> tuple[int, ...]:
    """Two finished calibration sessions: graded blind, consensus recorded, closed; each
    opened the day after its week and closed three days later (within the season)."""
    start = corpus_start(season.session, season.reference)
    created = []
    for k, size in enumerate(sizes[: len(CALIBRATION_NAMES)]):
        week = CALIBRATION_WEEKS[k]
        opened = min(start + timedelta(days=7 * week + 1, hours=9), season.reference)
        closed = min(opened + timedelta(days=3), season.reference)
        sid = calibration.create_session(
            season.session, lead, CALIBRATION_NAMES[k], sorted(season.actors),
            sample_size=size, seed=seed + k, rubric_version_id=version_id, now=opened,
        )  # fmt: skip
        _grade_calibration(
            season, sid, week, effective_bias, min(opened + timedelta(days=1), closed)
        )
        results = calibration_results(season.session, lead, sid)
        for item in results.discussion[:8]:
            value = _agreed_value(item)
            lang = season.facts[item.conversation_id][0].language
            calibration.record_consensus(
                season.session, lead, sid, item.conversation_id, item.criterion_id, value,
                CONSENSUS_NOTE[lang], now=closed,
            )  # fmt: skip
        calibration.close_session(season.session, lead, sid, CLOSE_NOTES[k], now=closed)
        created.append(sid)
    season.session.flush()
    return tuple(created)

"""Which criteria apply to a conversation: its facts read once, the rubric's conditions
evaluated on them (``scoring.rubric.conditions``).

The facts are what the rubric may test: channel, language, tags, team, the CSAT answer and
the automatic signals of the conversation's last AutoQA run. A review keeps the criteria
that were N/A automatically in its grade rows (``ReviewGrade.auto_na``), so a submitted
review is scored by what held when it was graded, not by a later rescoring.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from qa_app.storage.models import AutoScoreRun, Conversation, Review
from scoring.rubric.conditions import Condition, ConversationFacts
from scoring.rubric.files import Rubric


def _signal_values(stored: Mapping[str, Any] | None) -> dict[str, float | None]:
    """``AutoScoreRun.signals`` ({name: {value, ...}}) as {name: value}."""
    out: dict[str, float | None] = {}
    for name, doc in (stored or {}).items():
        value = doc.get("value") if isinstance(doc, Mapping) else doc
        out[name] = float(value) if isinstance(value, int | float) else None
    return out


def conversation_facts(session: Session, conversation_id: int) -> ConversationFacts:
    """What ``applies_when`` conditions may look at for one conversation."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return ConversationFacts()
    run = session.get(AutoScoreRun, conversation_id)
    return ConversationFacts(
        channel=conversation.channel,
        language=conversation.language,
        tags=frozenset(str(t) for t in conversation.tags or ()),
        team=conversation.team.name if conversation.team is not None else None,
        csat=conversation.csat,
        signals=_signal_values(run.signals if run is not None else None),
    )


def conditions_failing(
    session: Session, rubric: Rubric, conversation_id: int
) -> dict[str, Condition]:
    """Criteria of ``rubric`` whose condition does not hold now, with that condition."""
    if not rubric.has_conditions():
        return {}
    return rubric.not_applicable(conversation_facts(session, conversation_id))


def stored_auto_na(review: Review | None) -> frozenset[str]:
    """Criteria a saved review recorded as N/A automatically."""
    if review is None:
        return frozenset()
    return frozenset(g.criterion_id for g in review.grades if g.auto_na)


def reasons_for(rubric: Rubric, criterion_ids: frozenset[str]) -> dict[str, Condition]:
    """The condition behind each recorded automatic N/A (its category's when the category
    carries one, as ``Rubric.not_applicable`` reports it)."""
    out: dict[str, Condition] = {}
    for category in rubric.categories:
        for criterion in category.criteria:
            if criterion.id not in criterion_ids:
                continue
            condition = criterion.applies_when or category.applies_when
            if condition is not None:
                out[criterion.id] = condition
    return out

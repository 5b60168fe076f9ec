"""What a calibration session should discuss: the items reviewers disagree on most.

Scales differ between criteria (pass/fail, 1-3, 1-5), so disagreement is measured on each
criterion's 0-100 position. A split on whether a critical criterion failed comes first:
it swings the whole score to zero."""

from __future__ import annotations

import statistics
from itertools import combinations

from qa_app.services.calibration.result_data import SessionGrades
from qa_app.services.calibration.result_types import DiscussionItem, Grade
from qa_app.storage.models import ReviewGrade
from scoring.rubric.files import Criterion

NA_GAP = 50.0  # one reviewer said N/A, the other graded: half the scale apart


def _item_score(criterion: Criterion, by_reviewer: dict[str, ReviewGrade]) -> tuple[float, bool]:
    """Mean gap over all reviewer pairs on the 0-100 position; N/A against a grade counts
    as half the scale (they disagree whether the criterion applies), N/A against N/A as 0."""
    values = [
        None if g.not_applicable or g.value is None else criterion.scale.position(g.value)
        for g in by_reviewer.values()
    ]
    graded = sum(v is not None for v in values)
    na_split = 0 < graded < len(values)
    gaps = [
        abs(a - b) if a is not None and b is not None else (0.0 if a is b else NA_GAP)
        for a, b in combinations(values, 2)
    ]
    return (statistics.fmean(gaps) if gaps else 0.0), na_split


def _critical_split(criterion: Criterion, by_reviewer: dict[str, ReviewGrade]) -> bool:
    """Reviewers disagree whether a critical criterion failed: the score swings to zero."""
    if not criterion.critical:
        return False
    fails = {
        criterion.is_fail(g.value)
        for g in by_reviewer.values()
        if not g.not_applicable and g.value is not None
    }
    return len(fails) == 2


def discussion_items(data: SessionGrades, lang: str, limit: int) -> list[DiscussionItem]:
    items = []
    for (conv_id, crit_id), by_reviewer in data.grades.items():
        if len(by_reviewer) < 2:
            continue
        try:
            criterion = data.rubric.criterion(crit_id)
        except KeyError:
            continue
        score, na_split = _item_score(criterion, by_reviewer)
        if score <= 0:
            continue
        consensus = data.consensus.get((conv_id, crit_id))
        items.append(
            DiscussionItem(
                conversation_id=conv_id,
                external_id=data.external.get(conv_id, str(conv_id)),
                criterion_id=crit_id,
                criterion_name=criterion.name.get(lang),
                disagreement=score,
                n=len(by_reviewer),
                na_split=na_split,
                critical_split=_critical_split(criterion, by_reviewer),
                weight=criterion.weight,
                grades=tuple(
                    Grade(r, g.value, g.not_applicable, g.comment or "")
                    for r, g in sorted(by_reviewer.items())
                ),
                consensus=consensus.value if consensus else None,
                consensus_set=consensus is not None,
                consensus_notes=consensus.notes if consensus else "",
            )
        )
    items.sort(
        key=lambda i: (
            not i.critical_split,
            -i.disagreement,
            -i.weight,
            -i.n,
            i.external_id,
            i.criterion_id,
        )
    )
    return items[:limit]

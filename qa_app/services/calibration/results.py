"""What a calibration session shows: agreement per criterion, severity, what to discuss.

Grades come from submitted reviews of the session's assignments. N/A is a missing value
for the coefficients (Krippendorff's alpha is built for that). Scales differ between
criteria (pass/fail, 1-3, 1-5), so offsets and disagreement are measured on each
criterion's 0-100 position, which makes them comparable. Every figure carries its n;
undefined coefficients stay NaN with the reason, never a fake 1.0.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services import rubrics
from qa_app.services.actor import Actor
from qa_app.services.calibration.sessions import (
    GRADED,
    SessionSummary,
    check_can_view,
    get_session,
    participants,
    session_row,
)
from qa_app.services.errors import PermissionDenied
from qa_app.storage.models import (
    Assignment,
    CalibrationConsensus,
    Conversation,
    Review,
    ReviewGrade,
)
from scoring.rubric import agreement
from scoring.rubric.files import Criterion, Rubric

NA_GAP = 50.0  # one reviewer said N/A, the other graded: half the scale apart
DISCUSSION_LIMIT = 20


@dataclass(frozen=True, slots=True)
class Grade:
    reviewer: str
    value: float | None
    not_applicable: bool
    comment: str


@dataclass(frozen=True, slots=True)
class CriterionAgreement:
    """Agreement on one criterion; ``undefined`` says why coefficients are NaN, if they are."""

    criterion_id: str
    name: str
    scale: str
    n_items: int
    n_raters: int
    percent_agreement: float
    pair_kappas: dict[tuple[str, str], float]
    mean_kappa: float
    weighting: str | None
    fleiss: float
    alpha: float
    undefined: str | None


@dataclass(frozen=True, slots=True)
class ReviewerSeverity:
    """Mean offset (0-100 points) from the other reviewers on the same items; + = lenient."""

    reviewer: str
    offset: float
    n: int
    sd: float
    worst_criterion: str | None
    worst_offset: float | None


@dataclass(frozen=True, slots=True)
class ScoreSpread:
    conversation_id: int
    external_id: str
    scores: dict[str, float | None]
    spread: float | None
    n: int


@dataclass(frozen=True, slots=True)
class DiscussionItem:
    """A (conversation, criterion) where reviewers disagree, with every grade and comment."""

    conversation_id: int
    external_id: str
    criterion_id: str
    criterion_name: str
    disagreement: float
    n: int
    na_split: bool
    critical_split: bool  # some reviewers' grades fail a critical criterion, others' pass
    weight: float
    grades: tuple[Grade, ...]
    consensus: float | None
    consensus_set: bool
    consensus_notes: str


@dataclass(frozen=True, slots=True)
class ConsensusAgreement:
    """After closing: how often each reviewer matched the recorded consensus."""

    reviewer: str
    n: int
    exact: float
    mean_abs_diff: float
    offset: float


@dataclass(frozen=True, slots=True)
class CalibrationResults:
    summary: SessionSummary
    reviews: int
    overall_alpha: float
    criteria: tuple[CriterionAgreement, ...]
    severity: tuple[ReviewerSeverity, ...]
    spreads: tuple[ScoreSpread, ...]
    discussion: tuple[DiscussionItem, ...]
    consensus_agreement: tuple[ConsensusAgreement, ...]
    consensus_count: int
    assignment_for: dict[int, int]  # conversation -> the assignment to open it with


@dataclass
class _Data:
    rubric: Rubric
    grades: dict[tuple[int, str], dict[str, ReviewGrade]]
    overall: dict[int, dict[str, float | None]]
    external: dict[int, str]
    consensus: dict[tuple[int, str], CalibrationConsensus]


def _load(session: Session, session_id: int, version_id: int) -> _Data:
    names = participants(session, session_id)
    reviews = list(
        session.scalars(
            select(Review).where(
                Review.calibration_session_id == session_id, Review.status.in_(GRADED)
            )
        )
    )
    grades: dict[tuple[int, str], dict[str, ReviewGrade]] = defaultdict(dict)
    overall: dict[int, dict[str, float | None]] = defaultdict(dict)
    for review in reviews:
        reviewer = names.get(review.reviewer_id, str(review.reviewer_id))
        overall[review.conversation_id][reviewer] = review.overall_score
        for grade in review.grades:
            grades[(review.conversation_id, grade.criterion_id)][reviewer] = grade
    conv_ids = {cid for cid, _ in grades} | set(overall)
    external = (
        dict(
            session.execute(
                select(Conversation.id, Conversation.external_id).where(
                    Conversation.id.in_(conv_ids)
                )
            ).all()
        )
        if conv_ids
        else {}
    )
    consensus = {
        (c.conversation_id, c.criterion_id): c
        for c in session.scalars(
            select(CalibrationConsensus).where(CalibrationConsensus.session_id == session_id)
        )
    }
    rubric = rubrics.get_version(session, version_id).rubric
    return _Data(rubric, grades, overall, external, consensus)


def _records(data: _Data, criterion: Criterion, positions: bool) -> list[tuple]:
    out = []
    for (conv_id, crit_id), by_reviewer in data.grades.items():
        if crit_id != criterion.id:
            continue
        for reviewer, grade in by_reviewer.items():
            value = None if grade.not_applicable else grade.value
            if value is not None and positions:
                value = criterion.scale.position(value)
            out.append((conv_id, reviewer, value))
    return out


def _undefined_reason(records: list[tuple]) -> str | None:
    ratings = agreement.Ratings.from_records(records)
    pairable = ratings.pairable()
    if not pairable:
        return "fewer_than_two"
    if len({v for values in pairable.values() for v in values}) == 1:
        return "all_same"
    return None


def criterion_agreement(data: _Data, criterion: Criterion, lang: str) -> CriterionAgreement:
    records = _records(data, criterion, positions=False)
    ratings = agreement.Ratings.from_records(records)
    pairable = ratings.pairable()
    ordinal = len(criterion.scale.values) > 2
    weighting = "linear" if ordinal else None
    kappas = agreement.pairwise_kappa(ratings, weights=weighting, categories=criterion.scale.values)
    pair_kappas = {tuple(sorted((str(a), str(b)))): k for (a, b), k in kappas.items()}
    defined = [k for k in pair_kappas.values() if not math.isnan(k)]
    return CriterionAgreement(
        criterion_id=criterion.id,
        name=criterion.name.get(lang),
        scale=criterion.scale.kind,
        n_items=len(pairable),
        n_raters=len(ratings.raters),
        percent_agreement=agreement.percent_agreement(ratings),
        pair_kappas=dict(sorted(pair_kappas.items())),
        mean_kappa=statistics.fmean(defined) if defined else math.nan,
        weighting=weighting,
        fleiss=agreement.fleiss_kappa(ratings),
        alpha=agreement.krippendorff_alpha(ratings, level="ordinal"),
        undefined=_undefined_reason(records),
    )


def _all_positions(data: _Data) -> list[tuple]:
    out = []
    for criterion in data.rubric.criteria():
        out += [((conv, criterion.id), r, v) for conv, r, v in _records(data, criterion, True)]
    return out


def _overall_records(data: _Data) -> list[tuple]:
    """Each reviewer's overall score per conversation: do they agree on the final number?"""
    return [
        (conv_id, reviewer, score)
        for conv_id, scores in data.overall.items()
        for reviewer, score in scores.items()
    ]


def _severity(data: _Data, lang: str) -> list[ReviewerSeverity]:
    overall = agreement.rater_severity(_all_positions(data))
    worst: dict[str, tuple[float, str]] = {}
    for criterion in data.rubric.criteria():
        for s in agreement.rater_severity(_records(data, criterion, positions=True)):
            if s.rater not in worst or abs(s.offset) > abs(worst[s.rater][0]):
                worst[s.rater] = (s.offset, criterion.name.get(lang))
    return [
        ReviewerSeverity(
            reviewer=str(s.rater),
            offset=s.offset,
            n=s.n,
            sd=s.sd,
            worst_criterion=worst.get(s.rater, (None, None))[1],
            worst_offset=worst.get(s.rater, (None, None))[0],
        )
        for s in overall
    ]


def _spreads(data: _Data) -> list[ScoreSpread]:
    out = []
    for conv_id, scores in data.overall.items():
        values = [v for v in scores.values() if v is not None]
        spread = max(values) - min(values) if len(values) >= 2 else None
        out.append(
            ScoreSpread(
                conv_id,
                data.external.get(conv_id, str(conv_id)),
                dict(sorted(scores.items())),
                spread,
                len(values),
            )
        )
    return sorted(out, key=lambda s: (-(s.spread or -1), s.external_id))


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


def _discussion(data: _Data, lang: str, limit: int) -> list[DiscussionItem]:
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


def _consensus_agreement(data: _Data) -> list[ConsensusAgreement]:
    diffs: dict[str, list[float]] = defaultdict(list)
    for (conv_id, crit_id), decided in data.consensus.items():
        try:
            criterion = data.rubric.criterion(crit_id)
        except KeyError:
            continue
        for reviewer, grade in data.grades.get((conv_id, crit_id), {}).items():
            given = None if grade.not_applicable else grade.value
            if decided.value is None or given is None:
                if decided.value is None and given is None:
                    diffs[reviewer].append(0.0)
                continue
            diffs[reviewer].append(
                criterion.scale.position(given) - criterion.scale.position(decided.value)
            )
    return [
        ConsensusAgreement(
            reviewer=r,
            n=len(d),
            exact=sum(abs(x) < 1e-9 for x in d) / len(d),
            mean_abs_diff=statistics.fmean(abs(x) for x in d),
            offset=statistics.fmean(d),
        )
        for r, d in sorted(diffs.items())
        if d
    ]


def calibration_results(
    session: Session, actor: Actor, session_id: int, limit: int = DISCUSSION_LIMIT
) -> CalibrationResults:
    """Everything the results page shows. Reviewers only after the session is closed."""
    row = session_row(session, session_id)
    if not check_can_view(session, actor, row):
        raise PermissionDenied(
            "results are shown to reviewers once the session is closed",
            key="calibration.error.results_hidden",
            role=actor.role,
        )
    summary = get_session(session, actor, session_id)
    data = _load(session, session_id, row.rubric_version_id)
    lang = actor.language
    criteria = tuple(criterion_agreement(data, c, lang) for c in data.rubric.criteria())
    reviews = sum(len(v) for v in data.overall.values())
    return CalibrationResults(
        summary=summary,
        reviews=reviews,
        overall_alpha=agreement.krippendorff_alpha(_overall_records(data), level="interval"),
        criteria=criteria,
        severity=tuple(_severity(data, lang)),
        spreads=tuple(_spreads(data)),
        discussion=tuple(_discussion(data, lang, limit)),
        consensus_agreement=tuple(_consensus_agreement(data)),
        consensus_count=len(data.consensus),
        assignment_for=_assignment_for(session, actor, session_id),
    )


def _assignment_for(session: Session, actor: Actor, session_id: int) -> dict[int, int]:
    """Which assignment opens each conversation: the actor's own if any, else the first."""
    rows = session.execute(
        select(Assignment.conversation_id, Assignment.id, Assignment.reviewer_id)
        .where(Assignment.calibration_session_id == session_id)
        .order_by(Assignment.id)
    ).all()
    out: dict[int, int] = {}
    for conv_id, assignment_id, reviewer_id in rows:
        if conv_id not in out or reviewer_id == actor.user_id:
            out[conv_id] = assignment_id
    return out

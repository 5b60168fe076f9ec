"""What a calibration session shows: agreement per criterion, severity, what to discuss.

Grades come from submitted reviews of the session's assignments. N/A is a missing value
for the coefficients (Krippendorff's alpha is built for that). Scales differ between
criteria (pass/fail, 1-3, 1-5), so offsets and disagreement are measured on each
criterion's 0-100 position, which makes them comparable. Every figure carries its n;
undefined coefficients stay NaN with the reason, never a fake 1.0.

The values are in ``result_types``, the grades are read in ``result_data`` and the items
to discuss are chosen in ``discussion``; this module computes the figures.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.calibration.discussion import discussion_items
from qa_app.services.calibration.result_data import SessionGrades, grade_records, load_grades
from qa_app.services.calibration.result_types import (
    CalibrationResults,
    ConsensusAgreement,
    CriterionAgreement,
    ReviewerSeverity,
    ScoreSpread,
)
from qa_app.services.calibration.sessions import check_can_view, get_session, session_row
from qa_app.services.errors import PermissionDenied
from qa_app.storage.models import Assignment
from scoring.rubric import agreement
from scoring.rubric.files import Criterion

DISCUSSION_LIMIT = 20


def _undefined_reason(records: list[tuple]) -> str | None:
    ratings = agreement.Ratings.from_records(records)
    pairable = ratings.pairable()
    if not pairable:
        return "fewer_than_two"
    if len({v for values in pairable.values() for v in values}) == 1:
        return "all_same"
    return None


def criterion_agreement(data: SessionGrades, criterion: Criterion, lang: str) -> CriterionAgreement:
    records = grade_records(data, criterion, positions=False)
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


def _all_positions(data: SessionGrades) -> list[tuple]:
    out = []
    for criterion in data.rubric.criteria():
        out += [((conv, criterion.id), r, v) for conv, r, v in grade_records(data, criterion, True)]
    return out


def _overall_records(data: SessionGrades) -> list[tuple]:
    """Each reviewer's overall score per conversation: do they agree on the final number?"""
    return [
        (conv_id, reviewer, score)
        for conv_id, scores in data.overall.items()
        for reviewer, score in scores.items()
    ]


def _severity(data: SessionGrades, lang: str) -> list[ReviewerSeverity]:
    overall = agreement.rater_severity(_all_positions(data))
    worst: dict[str, tuple[float, str]] = {}
    for criterion in data.rubric.criteria():
        for s in agreement.rater_severity(grade_records(data, criterion, positions=True)):
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


def _spreads(data: SessionGrades) -> list[ScoreSpread]:
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


def _consensus_agreement(data: SessionGrades) -> list[ConsensusAgreement]:
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
    data = load_grades(session, session_id, row.rubric_version_id)
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
        discussion=tuple(discussion_items(data, lang, limit)),
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

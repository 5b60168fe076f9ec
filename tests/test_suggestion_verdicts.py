"""Suggestions that earn their place, on both databases and on the review page.

The service compares, per criterion, the suggestion's weighted kappa with reviewers and the
reviewers' kappa with each other (``scoring.rubric.suggestion_gate``, whose arithmetic is
checked by hand in ``test_suggestion_gate.py``), and caches the verdicts per data version.
"""

from __future__ import annotations

import pytest
from review_fixtures import seed_workflow
from sqlalchemy import select

from qa_app.services.autoqa import verdicts
from qa_app.services.autoqa.review_suggestions import suggestions_for
from qa_app.services.rubrics.store import get_version
from qa_app.services.sampling import plans as sampling
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import AutoScore, AutoScoreRun, Review, ReviewGrade, User
from scoring.rubric.suggestion_gate import BELOW_REVIEWERS, EARNED, UNMEASURED, weighted_kappa

POLITE = (0.1, 0.5, 0.9)  # the default mapping suggests levels 1, 2, 3 on the 1-3 scale


def _level(index: int) -> int:
    return index % 3 + 1


def _seed(url: str, grade_of, second_reviewer: int = 10):
    """Scores on every conversation; rev1 grades all of them with ``grade_of(index)``, rev2
    the first ``second_reviewer`` the same way (reviewers agree perfectly: kappa 1)."""
    flow = seed_workflow(url, conversations=12)
    with unit_of_work(url) as session:
        rev = {u.username: u.id for u in session.scalars(select(User))}
        for index, cid in enumerate(flow.conversation_ids):
            polite = POLITE[index % 3]
            signal = {"value": polite, "unit": "probability", "normalised": polite}
            session.add(AutoScoreRun(conversation_id=cid, pipeline_version="p", content_hash="h",
                                     signals={"politeness": signal}))  # fmt: skip
            session.add(AutoScore(conversation_id=cid, task="politeness", scorer_version="p",
                                  score=polite, evidence=[]))  # fmt: skip
            reviewers = ["rev1", "rev2"] if index < second_reviewer else ["rev1"]
            for name in reviewers:
                review = Review(conversation_id=cid, reviewer_id=rev[name], status="submitted",
                                rubric_version_id=flow.rubric_version_id)  # fmt: skip
                review.grades.append(ReviewGrade(criterion_id="politeness", value=grade_of(index)))
                session.add(review)
    return flow


def _verdict(url: str, flow):
    with unit_of_work(url) as session:
        rubric = get_version(session, flow.rubric_version_id).rubric
        return suggestions_for(session, flow.conversation_ids[0], rubric, with_verdicts=True)[
            "politeness"
        ]


def test_a_suggestion_reviewers_disagree_with_is_hidden_with_both_figures(db_url):
    def grade(index: int) -> int:  # every third conversation graded one level off
        return 2 if index % 3 == 0 else _level(index)

    flow = _seed(db_url, grade)
    suggestion = _verdict(db_url, flow)
    verdict = suggestion.verdict
    assert not suggestion.earned and verdict.reason == BELOW_REVIEWERS
    assert verdict.reviewer_kappa == 1.0 and verdict.reviewer_pairs == 10
    # 22 grades (12 by rev1, 10 by rev2) against the suggestion, computed the same way
    suggested = [_level(i) for i in range(12)] + [_level(i) for i in range(10)]
    graded = [grade(i) for i in range(12)] + [grade(i) for i in range(10)]
    assert verdict.auto_pairs == 22
    assert verdict.auto_kappa == weighted_kappa(suggested, graded, (1, 2, 3)) < 1.0


def test_a_suggestion_that_agrees_as_well_as_reviewers_is_shown(db_url):
    flow = _seed(db_url, _level)
    suggestion = _verdict(db_url, flow)
    assert suggestion.earned and suggestion.verdict.reason == EARNED
    assert suggestion.verdict.auto_kappa == suggestion.verdict.reviewer_kappa == 1.0


def test_without_enough_reviewer_pairs_the_suggestion_stays_unverified(db_url):
    flow = _seed(db_url, _level, second_reviewer=4)
    suggestion = _verdict(db_url, flow)
    assert suggestion.earned and suggestion.verdict.reason == UNMEASURED
    assert suggestion.verdict.reviewer_pairs == 4


def _add_reviews(url: str, flow, count: int) -> None:
    with unit_of_work(url) as session:
        reviewer = session.scalars(select(User).filter_by(username="rev2")).one()
        for cid in flow.conversation_ids[10 : 10 + count]:
            review = Review(conversation_id=cid, reviewer_id=reviewer.id, status="submitted",
                            rubric_version_id=flow.rubric_version_id)  # fmt: skip
            review.grades.append(ReviewGrade(criterion_id="politeness", value=1))
            session.add(review)


def test_verdicts_are_cached_per_data_version(sqlite_url):
    flow = _seed(sqlite_url, _level)  # 22 graded reviews
    _verdict(sqlite_url, flow)
    [(key, (version, cached))] = [
        item for item in verdicts._VERDICTS.items() if item[0][0] == sqlite_url
    ]
    assert version[0] == 22
    _add_reviews(sqlite_url, flow, 1)  # 23: within 10 % of 22, the verdict stands
    _verdict(sqlite_url, flow)
    assert verdicts._VERDICTS[key][1] is cached
    _add_reviews(sqlite_url, flow, 2)  # 25 > 24.2: computed again on the new data
    fresh = _verdict(sqlite_url, flow).verdict
    assert verdicts._VERDICTS[key][0][0] == 25 and verdicts._VERDICTS[key][1] is not cached
    assert fresh.auto_pairs == 25  # rev1: 12, rev2: the first 10 and the 3 new ones


def test_submitting_a_review_computes_no_verdict(sqlite_url):
    flow = _seed(sqlite_url, _level)
    with unit_of_work(sqlite_url) as session:
        rubric = get_version(session, flow.rubric_version_id).rubric
        found = suggestions_for(session, flow.conversation_ids[0], rubric)["politeness"]
    assert found.verdict is None and found.earned
    assert not [key for key in verdicts._VERDICTS if key[0] == sqlite_url]


@pytest.mark.parametrize(
    ("lang", "said", "summary"),
    [
        ("en", "Automatic suggestion hidden: it agrees with reviewers less (κ ",
         "Automatic suggestions hidden because they agree with reviewers less than reviewers "
         "agree with each other: Politeness"),
        ("ru", "Автоматическая подсказка скрыта: она согласуется с проверяющими хуже (κ ",
         "Автоматические подсказки скрыты, так как согласуются с проверяющими хуже, чем "
         "проверяющие друг с другом: Вежливость"),
    ],
)  # fmt: skip
def test_the_review_page_says_which_suggestion_is_hidden(sqlite_url, lang, said, summary):
    from ui_harness import run_page, visible_text

    flow = _seed(sqlite_url, lambda i: 2 if i % 3 == 0 else _level(i))
    with unit_of_work(sqlite_url) as session:
        sampling.assign_conversation(session, flow.lead, flow.conversation_ids[11], "rev1")
    at = run_page("review", "reviewer", sqlite_url, lang=lang, username="rev1")
    assert not at.exception, at.exception
    text = visible_text(at)
    assert said in text and summary in text
    reviewers = "1.00" if lang == "en" else "1,00"
    assert f"(κ {reviewers} " in text
    use = "Use suggestion" if lang == "en" else "Принять подсказку"
    assert not [b for b in at.button if b.label == use]  # no hidden suggestion to apply

"""Every registered scorer against every contract check (``scoring/testing.py``).

Known failures are listed below with their reason and run as strict xfail: they are
reported on every run, and the suite fails once one is fixed without updating this list.
"""

from __future__ import annotations

import pickle

import pytest

from scoring import testing
from scoring.base import ScoreResult
from scoring.registry import SCORERS, get_scorer

EXPECTED_FAILED_CHECKS: dict[str, dict[str, str]] = {}


@testing.parametrize_with_checks(expected_failed_checks=EXPECTED_FAILED_CHECKS)
def test_scorer_contract(name, check):
    check(name, get_scorer(name))


def test_every_registered_scorer_is_checked():
    checked = {name for name, _check in testing.yield_all_checks()}
    assert checked == set(SCORERS)
    assert len(list(testing.yield_all_checks())) == len(SCORERS) * len(testing.CHECKS)


def test_expected_failures_name_real_scorers_and_checks():
    assert set(EXPECTED_FAILED_CHECKS) <= set(SCORERS)
    with pytest.raises(ValueError, match="unknown checks"):
        testing.parametrize_with_checks(expected_failed_checks={"sentiment": {"check_nope": "x"}})


class _Fine:
    """A minimal scorer that keeps the whole contract (every text neutral, no evidence)."""

    task = "sentiment"
    version = "test-1"
    labels = ("negative", "neutral", "positive")

    def __init__(self, lang: str = "auto") -> None:
        self.lang = lang

    def _one(self, text: str, batch: int) -> ScoreResult:
        return ScoreResult("neutral", 0.0, "en")

    def score_texts(self, texts, langs=None) -> list[ScoreResult]:
        return [self._one(text, len(texts)) for text in texts]


class _StoresMore(_Fine):
    def __init__(self, lang: str = "auto") -> None:
        self.lang = lang
        self.cache = {}


class _ChangesParam(_Fine):
    def __init__(self, lang: str = "AUTO") -> None:
        self.lang = lang.lower()


class _Unversioned(_Fine):
    version = ""


class _Drops(_Fine):
    def score_texts(self, texts, langs=None):
        return super().score_texts(texts)[:1]


class _RemembersWithoutUnderscore(_Fine):
    def score_texts(self, texts, langs=None):
        self.seen = len(texts)
        return super().score_texts(texts)


class _Drifts(_Fine):
    calls = 0

    def _one(self, text, batch):
        type(self).calls += 1
        return ScoreResult("neutral", 0.001 * type(self).calls, "en")


class _BatchDependent(_Fine):
    def _one(self, text, batch):
        return ScoreResult("neutral", 0.01 * batch, "en")


class _Unpicklable(_Fine):
    def __init__(self, lang: str = "auto") -> None:
        self.lang = lang

    def score_texts(self, texts, langs=None):
        self.hook_ = lambda: None  # a lambda cannot be pickled
        return super().score_texts(texts)


def test_a_scorer_that_keeps_the_contract_passes_every_check():
    report = testing.check_scorer("sentiment", _Fine())
    assert report == [(check.__name__, "passed") for check in testing.CHECKS]


@pytest.mark.parametrize(
    ("broken", "check", "message"),
    [
        (_StoresMore, testing.check_init_stores_params, "also sets"),
        (_ChangesParam, testing.check_init_stores_params, "changes the values"),
        (_Unversioned, testing.check_task_and_version, "version not set"),
        (_Drops, testing.check_output_length, "7 texts gave 1 results"),
        (_RemembersWithoutUnderscore, testing.check_learned_state_ends_in_underscore, "seen"),
        (_Drifts, testing.check_deterministic, "differs"),
        (_BatchDependent, testing.check_batch_equals_single, "batch and single"),
        (_Unpicklable, testing.check_pickle_scorer, "lambda"),
    ],
)
def test_each_check_catches_a_planted_violation(broken, check, message):
    with pytest.raises((AssertionError, pickle.PicklingError, AttributeError), match=message):
        check("sentiment", broken())


def test_results_checks_catch_bad_labels_scores_and_spans():
    from scoring.base import Evidence

    scorer = get_scorer("toxicity")
    for result, message in (
        (ScoreResult("angry", 0.5, "en"), "not declared"),
        (ScoreResult("ok", 1.5, "en"), "outside 0..1"),
        (ScoreResult("ok", 0.5, "en", (Evidence(1, 9, "r", 1.0),)), "outside a text of 2"),
    ):
        with pytest.raises(AssertionError, match=message):
            testing._check_results("toxicity", scorer, ["hi"], [result])


def test_check_scorer_reports_expected_failures_as_xfail():
    report = testing.check_scorer(
        "sentiment", _Unversioned(), {"check_task_and_version": "no version yet"}
    )
    assert ("check_task_and_version", "xfail: no version yet") in report
    with pytest.raises(AssertionError):
        testing.check_scorer("sentiment", _Unversioned())

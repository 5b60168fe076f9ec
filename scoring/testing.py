"""The scorer contract, checked: plain ``check_*(name, scorer)`` functions that every
registered scorer must pass, in the spirit of scikit-learn's estimator checks.

A check raises ``AssertionError`` saying what broke; it never skips. ``check_scorer`` runs
them all on one scorer; ``parametrize_with_checks`` turns (scorer, check) pairs into one
pytest case each (``tests/test_scorer_contract.py``), with known failures marked xfail and
their reason, never silently left out. A new scorer added to ``scoring.registry.SCORERS``
is checked without writing a test.

The contract (see ``scoring.base.TextScorer``):

* ``__init__`` only stores its keyword parameters, unchanged; parameters are read from the
  signature, round-trip through construction, and a clone behaves the same;
* learned (loaded) state lives in attributes ending in ``_``;
* ``score_texts`` returns one ``ScoreResult`` per text, with a declared label, a score in
  the registry's range and evidence spans inside the text; empty, emoji-only, very long and
  mixed-language texts are scored like any other;
* results are deterministic, a batch equals one call per text, and scorers and results
  survive pickling (worker processes send both);
* ``task`` and ``version`` are set.
"""

from __future__ import annotations

import inspect
import math
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from scoring.base import ScoreResult
from scoring.registry import SCORERS, get_scorer

#: Ordinary support messages, Russian and English, customer and agent side.
SAMPLE_TEXTS = (
    "Здравствуйте! Спасибо, что подождали, сейчас всё проверю и вернусь с ответом.",
    "Понимаю, как это неприятно. Приношу извинения за задержку доставки.",
    "Это уже третий раз!!! Верните деньги, ваш сервис ужасен.",
    "Hi Anna, thank you for waiting. I have refunded the order, it should arrive in 3-5 days.",
    "I understand how frustrating this must be, I'm so sorry for the trouble.",
    "This is useless. You people never read what I write.",
    "ok",
)
EMOJI_ONLY = ("😡😡😡", "👍🙂", ")))", "🙏")
MIXED_LANGUAGE = (
    "Спасибо большое, thank you so much, всё работает!",
    "Hello, у меня не проходит оплата картой, please help",
    "Ваш order #123 was shipped вчера, tracking пришлём по email.",
)
VERY_LONG_CHARS = 100_000
TOLERANCE = 1e-9

Check = Callable[[str, Any], None]


def very_long_text(chars: int = VERY_LONG_CHARS) -> str:
    """A long, realistic message (two languages, punctuation, line breaks) of ``chars``."""
    unit = (
        "Здравствуйте, спасибо за ожидание. Мы проверили заказ и вернули деньги. "
        "Thank you for your patience, the refund is on its way.\n"
    )
    return (unit * (chars // len(unit) + 1))[:chars]


# -- parameters, as scikit-learn reads them ------------------------------------------------


def param_names(cls: type) -> list[str]:
    """The ``__init__`` keyword parameters of ``cls`` (no ``*args``/``**kwargs`` allowed)."""
    signature = inspect.signature(cls.__init__)
    names = []
    for parameter in list(signature.parameters.values())[1:]:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            raise TypeError(f"{cls.__name__}.__init__ must name its parameters, not take *args")
        names.append(parameter.name)
    return names


def get_params(scorer: Any) -> dict[str, Any]:
    """The scorer's parameters, read back from the attributes ``__init__`` stored."""
    return {name: getattr(scorer, name) for name in param_names(type(scorer))}


def clone(scorer: Any) -> Any:
    """A new, unfitted scorer with the same parameters; refuses a constructor that changed
    a value it was given (scikit-learn's ``clone`` does the same)."""
    params = get_params(scorer)
    fresh = type(scorer)(**params)
    for name, value in params.items():
        if getattr(fresh, name) is not value:
            raise AssertionError(f"__init__ of {type(scorer).__name__} changed parameter {name}")
    return fresh


# -- comparing results ----------------------------------------------------------------------


def _close(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b)) or abs(a - b) <= TOLERANCE


def same_result(a: ScoreResult, b: ScoreResult) -> bool:
    """Equal labels, languages and evidence spans/rules; scores and weights equal up to
    rounding (a batch may add floating-point numbers in another order)."""
    if (a.label, a.lang, len(a.evidence)) != (b.label, b.lang, len(b.evidence)):
        return False
    if not _close(float(a.score), float(b.score)):
        return False
    for x, y in zip(a.evidence, b.evidence, strict=True):
        if (x.start, x.end, x.rule, x.text) != (y.start, y.end, y.rule, y.text):
            return False
        if not _close(float(x.weight), float(y.weight)):
            return False
    return True


def _assert_same(name: str, what: str, first: list, second: list) -> None:
    assert len(first) == len(second), f"{name}: {what}: {len(first)} vs {len(second)} results"
    for i, (a, b) in enumerate(zip(first, second, strict=True)):
        assert same_result(a, b), f"{name}: {what} differ at text {i}: {a} != {b}"


def _score_range(name: str, scorer: Any) -> tuple[float, float]:
    if name in SCORERS:
        return SCORERS[name].score_range
    return tuple(getattr(scorer, "score_range", (-math.inf, math.inf)))


def _check_results(name: str, scorer: Any, texts: Sequence[str], results: list) -> None:
    """One valid result per text: declared label, finite score in range, spans inside."""
    assert isinstance(results, list), f"{name}: score_texts returned {type(results).__name__}"
    assert len(results) == len(texts), f"{name}: {len(texts)} texts gave {len(results)} results"
    low, high = _score_range(name, scorer)
    for text, result in zip(texts, results, strict=True):
        shown = repr(text[:40])
        assert isinstance(result, ScoreResult), f"{name}: {shown} gave {type(result).__name__}"
        assert result.label in scorer.labels, f"{name}: label {result.label!r} not declared"
        score = float(result.score)
        assert math.isfinite(score), f"{name}: score {score} for {shown} is not finite"
        assert low <= score <= high, f"{name}: score {score} for {shown} outside {low}..{high}"
        for e in result.evidence:
            assert 0 <= e.start <= e.end <= len(text), (
                f"{name}: evidence {e.rule} at {e.start}..{e.end} outside a text of "
                f"{len(text)} characters ({shown})"
            )


# -- the checks -----------------------------------------------------------------------------


def check_init_stores_params(name: str, scorer: Any) -> None:
    """``__init__`` sets its parameters as attributes, unchanged, and nothing else."""
    params = get_params(scorer)
    fresh = type(scorer)(**params)
    stored = set(vars(fresh))
    extra, missing = stored - set(params), set(params) - stored
    assert not extra, f"{name}: __init__ also sets {sorted(extra)}"
    assert not missing, f"{name}: __init__ does not store {sorted(missing)}"
    changed = [p for p, value in params.items() if getattr(fresh, p) is not value]
    assert not changed, f"{name}: __init__ changes the values of {changed}"


def check_params_round_trip(name: str, scorer: Any) -> None:
    """Every parameter has a default, and ``cls(**get_params(s))`` has the same params."""
    cls = type(scorer)
    signature = inspect.signature(cls.__init__)
    no_default = [
        p.name
        for p in list(signature.parameters.values())[1:]
        if p.default is inspect.Parameter.empty
    ]
    assert not no_default, f"{name}: parameters without a default: {no_default}"
    params = get_params(scorer)
    assert get_params(cls(**params)) == params, f"{name}: parameters do not round-trip"
    defaults = {p.name: p.default for p in list(signature.parameters.values())[1:]}
    assert get_params(cls()) == defaults, f"{name}: a default scorer does not keep its defaults"


def check_clone_equals(name: str, scorer: Any) -> None:
    """A clone has the same parameters and scores the same (before and after use)."""
    twin = clone(scorer)
    assert type(twin) is type(scorer) and get_params(twin) == get_params(scorer)
    texts = list(SAMPLE_TEXTS)
    _assert_same(name, "clone", scorer.score_texts(texts), twin.score_texts(texts))
    _assert_same(
        name, "clone of a used scorer", scorer.score_texts(texts), clone(scorer).score_texts(texts)
    )


def check_learned_state_ends_in_underscore(name: str, scorer: Any) -> None:
    """Whatever the scorer loads or learns while scoring is kept in ``name_`` attributes."""
    used = clone(scorer)
    used.score_texts(list(SAMPLE_TEXTS + MIXED_LANGUAGE))
    params = set(param_names(type(used)))
    learned = [a for a in vars(used) if a not in params]
    wrong = [a for a in learned if not a.endswith("_") or a.startswith("__")]
    assert not wrong, f"{name}: state set while scoring must end in '_': {wrong}"


def check_task_and_version(name: str, scorer: Any) -> None:
    """``task`` is the registry name, ``version`` a non-empty string, ``labels`` unique."""
    assert scorer.task == name, f"{name}: task is {scorer.task!r}"
    version = getattr(scorer, "version", None)
    assert isinstance(version, str) and version.strip(), f"{name}: version not set"
    labels = tuple(scorer.labels)
    assert labels and len(set(labels)) == len(labels), f"{name}: labels {labels}"
    assert all(isinstance(label, str) and label for label in labels), f"{name}: labels {labels}"


def check_output_length(name: str, scorer: Any) -> None:
    """One result per text for 0, 1 and many texts, with and without given languages."""
    texts = list(SAMPLE_TEXTS)
    for batch in ([], texts[:1], texts):
        _check_results(name, scorer, batch, scorer.score_texts(batch))
    langs = ["ru", "ru", "ru", "en", "en", "en", "en"]
    _check_results(name, scorer, texts, scorer.score_texts(texts, langs))


def check_labels_and_scores(name: str, scorer: Any) -> None:
    """Labels belong to ``labels``, scores to the registry's range, spans to the text."""
    texts = list(SAMPLE_TEXTS + MIXED_LANGUAGE)
    _check_results(name, scorer, texts, scorer.score_texts(texts))


def check_evidence_text_is_the_span(name: str, scorer: Any) -> None:
    """Evidence that quotes words quotes exactly the characters its span covers."""
    texts = list(SAMPLE_TEXTS + MIXED_LANGUAGE)
    for text, result in zip(texts, scorer.score_texts(texts), strict=True):
        for e in result.evidence:
            if e.start < e.end and e.text:
                assert text[e.start : e.end] == e.text, (
                    f"{name}: evidence {e.rule} quotes {e.text!r} but its span covers "
                    f"{text[e.start : e.end]!r}"
                )


def check_empty_string(name: str, scorer: Any) -> None:
    texts = ["", " ", "\n"]
    _check_results(name, scorer, texts, scorer.score_texts(texts))


def check_emoji_only(name: str, scorer: Any) -> None:
    texts = list(EMOJI_ONLY)
    _check_results(name, scorer, texts, scorer.score_texts(texts))


def check_very_long_text(name: str, scorer: Any) -> None:
    texts = [very_long_text(), "ok"]
    _check_results(name, scorer, texts, scorer.score_texts(texts))


def check_mixed_language(name: str, scorer: Any) -> None:
    """Russian and English in one text: scored in one of the two, never refused."""
    texts = list(MIXED_LANGUAGE)
    results = scorer.score_texts(texts)
    _check_results(name, scorer, texts, results)
    langs = {r.lang for r in results}
    assert langs <= {"ru", "en"}, f"{name}: mixed texts scored as {sorted(langs)}"


def check_deterministic(name: str, scorer: Any) -> None:
    """The same texts give the same results, on the same scorer and on a fresh one."""
    texts = list(SAMPLE_TEXTS + EMOJI_ONLY + MIXED_LANGUAGE)
    first = scorer.score_texts(texts)
    assert scorer.score_texts(texts) == first, f"{name}: a second call differs"
    _assert_same(name, "a fresh scorer's results", clone(scorer).score_texts(texts), first)


def check_batch_equals_single(name: str, scorer: Any) -> None:
    """Scoring texts together gives what scoring each alone gives."""
    texts = list(SAMPLE_TEXTS + EMOJI_ONLY + MIXED_LANGUAGE)
    single = [scorer.score_texts([text])[0] for text in texts]
    _assert_same(name, "batch and single results", scorer.score_texts(texts), single)


def check_pickle_scorer(name: str, scorer: Any) -> None:
    """Unused and used scorers survive pickling and score the same afterwards."""
    texts = list(SAMPLE_TEXTS)
    fresh = clone(scorer)
    restored = pickle.loads(pickle.dumps(fresh))
    assert get_params(restored) == get_params(fresh), f"{name}: parameters lost in pickling"
    expected = fresh.score_texts(texts)
    _assert_same(name, "an unpickled scorer", restored.score_texts(texts), expected)
    used = pickle.loads(pickle.dumps(fresh))
    _assert_same(name, "an unpickled used scorer", used.score_texts(texts), expected)


def check_pickle_results(name: str, scorer: Any) -> None:
    results = scorer.score_texts(list(SAMPLE_TEXTS + EMOJI_ONLY))
    assert pickle.loads(pickle.dumps(results)) == results, f"{name}: results change in pickling"


CHECKS: tuple[Check, ...] = (
    check_init_stores_params,
    check_params_round_trip,
    check_clone_equals,
    check_learned_state_ends_in_underscore,
    check_task_and_version,
    check_output_length,
    check_labels_and_scores,
    check_evidence_text_is_the_span,
    check_empty_string,
    check_emoji_only,
    check_very_long_text,
    check_mixed_language,
    check_deterministic,
    check_batch_equals_single,
    check_pickle_scorer,
    check_pickle_results,
)


# -- running them ---------------------------------------------------------------------------

ExpectedFailures = Mapping[str, Mapping[str, str]]


def yield_all_checks(names: Sequence[str] | None = None) -> Iterator[tuple[str, Check]]:
    """Every (registered scorer name, check) pair, in registry and check order."""
    for name in names or list(SCORERS):
        for check in CHECKS:
            yield name, check


def check_scorer(
    name: str, scorer: Any | None = None, expected_failed_checks: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """Run every check on ``scorer`` (default: ``get_scorer(name)``); returns
    ``(check, "passed" | "xfail: reason")`` pairs and raises on the first unexpected failure."""
    expected = expected_failed_checks or {}
    report = []
    for check in CHECKS:
        try:
            check(name, scorer if scorer is not None else get_scorer(name))
        except AssertionError:
            if check.__name__ not in expected:
                raise
            report.append((check.__name__, f"xfail: {expected[check.__name__]}"))
            continue
        report.append((check.__name__, "passed"))
    return report


def parametrize_with_checks(
    names: Sequence[str] | None = None, expected_failed_checks: ExpectedFailures | None = None
):
    """A ``pytest.mark.parametrize`` over (scorer name, check) with readable ids such as
    ``sentiment-check_emoji_only``; ``expected_failed_checks[name][check]`` is the reason
    a known failure is marked xfail (strict: it fails the run once it passes)."""
    import pytest  # only the test suite needs pytest

    expected = expected_failed_checks or {}
    unknown = {c for reasons in expected.values() for c in reasons} - {c.__name__ for c in CHECKS}
    if unknown:
        raise ValueError(f"expected failures name unknown checks: {sorted(unknown)}")
    params = []
    for name, check in yield_all_checks(names):
        reason = expected.get(name, {}).get(check.__name__)
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        params.append(pytest.param(name, check, id=f"{name}-{check.__name__}", marks=marks))
    return pytest.mark.parametrize(("name", "check"), params)

"""Politeness and rudeness scorer: contract, hand-written RU/EN cases, evidence spans."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from scoring.base import ScoreResult, TextScorer
from scoring.politeness import PolitenessScorer
from scoring.politeness_strategies import STRATEGIES, detect_strategies


@pytest.fixture(scope="module")
def scorer() -> PolitenessScorer:
    return PolitenessScorer()


def _rules(result: ScoreResult) -> set[str]:
    return {e.rule for e in result.evidence}


def _one(scorer: PolitenessScorer, text: str, lang: str | None = None) -> ScoreResult:
    return scorer.score_texts([text], None if lang is None else [lang])[0]


def test_contract_one_result_per_text_and_valid_ranges(scorer):
    texts = ["", "Спасибо!", "Send me the log.", "ok", "   ", "Здравствуйте, чем помочь?"]
    results = scorer.score_texts(texts)
    assert isinstance(scorer, TextScorer)
    assert len(results) == len(texts)
    for result in results:
        assert result.label in scorer.labels
        assert 0.0 <= result.score <= 1.0
        assert result.lang in {"ru", "en"}
    fast = scorer.predict_scores(texts)
    assert np.allclose(fast, [r.score for r in results])
    rude = scorer.predict_rudeness(texts)
    assert rude.shape == (len(texts),) and ((rude >= 0) & (rude <= 1)).all()


def test_polite_support_formulas_in_russian_are_polite(scorer):
    text = (
        "Здравствуйте, Анна! Спасибо за обращение. Приносим извинения за доставленные "
        "неудобства, будем рады помочь."
    )
    result = _one(scorer, text)
    assert result.label == "polite"
    assert {"thanks_for_contacting", "apology_inconvenience", "glad_to_help"} <= _rules(result)
    assert "customer_name" in _rules(result)


def test_inflected_russian_formula_matches_by_lemma():
    kept, _ = detect_strategies("Извиняемся за доставленное неудобство и благодарим за ожидание")
    assert {"apology_inconvenience", "thanks_for_waiting"} <= {d.strategy for d in kept}


def test_rude_russian_reply_is_impolite_with_evidence(scorer):
    text = "Пришлите скриншот. Читайте инструкцию, как я уже говорила, вы сами виноваты."
    result = _one(scorer, text)
    assert result.label == "impolite"
    assert {"command", "blame", "repetition"} <= _rules(result)
    rude = scorer.score_rudeness([text])[0]
    assert rude.label == "rude" and rude.score > 0.7


def test_please_softens_a_russian_imperative(scorer):
    bare, softened = scorer.predict_scores(
        ["Пришлите скриншот.", "Пришлите, пожалуйста, скриншот."]
    )
    assert softened > bare
    assert "command" not in _rules(_one(scorer, "Пришлите, пожалуйста, скриншот."))


def test_polite_words_with_dismissive_answer_are_not_polite(scorer):
    text = "Thank you for your patience, unfortunately that's not our problem."
    result = _one(scorer, text)
    assert result.label != "polite"
    assert "dismissive" in _rules(result)
    assert scorer.predict_rudeness([text])[0] >= 0.5
    plain = "Thank you for your patience, we have fixed the problem."
    assert scorer.predict_scores([plain])[0] > result.score


def test_russian_sarcasm_is_flagged(scorer):
    result = _one(scorer, "Ну конечно, вы же лучше знаете.")
    assert "sarcasm" in _rules(result)
    assert result.label == "impolite"


def test_negated_politeness_does_not_count(scorer):
    sorry, not_sorry = scorer.predict_scores(["I'm sorry.", "I'm not sorry."])
    assert not_sorry < sorry
    result = _one(scorer, "Не за что извиняться!")
    assert "apologizing" not in _rules(result)
    assert "negated_apologizing" in _rules(result)


def test_caps_shouting_and_exclamations(scorer):
    text = "THIS IS NOT OUR PROBLEM!!!"
    result = _one(scorer, text)
    assert {"shouting", "exclamation"} <= _rules(result)
    assert result.label == "impolite"
    calm = scorer.predict_scores(["We will check this problem."])[0]
    assert calm > result.score
    # a lone acronym is not shouting
    assert "shouting" not in _rules(_one(scorer, "Please check the SMS code."))


def test_formal_and_informal_address_in_russian(scorer):
    formal = _one(scorer, "Вы можете сбросить пароль в настройках.")
    informal = _one(scorer, "Ты можешь сбросить пароль в настройках.")
    assert "formal_address" in _rules(formal)
    assert "informal_address" in _rules(informal)
    assert formal.score > informal.score
    assert (
        scorer.predict_rudeness(["Сбрось пароль."])[0]
        > scorer.predict_rudeness(["Сбросьте пароль, пожалуйста."])[0]
    )


def test_mixed_language_message_uses_both_lexicons(scorer):
    result = _one(scorer, "Thanks for waiting! Мы всё исправим, спасибо за терпение.")
    rules = _rules(result)
    assert "thanks_for_waiting" in rules
    assert sum(1 for e in result.evidence if e.rule == "thanks_for_waiting") == 2


def test_evidence_spans_point_at_the_right_characters(scorer):
    texts = [
        "Здравствуйте! Извините за доставленные неудобства.",
        "Hi Anna, as I already said, you should have read the manual!!",
    ]
    for text, result in zip(texts, scorer.score_texts(texts), strict=True):
        assert result.evidence
        for e in result.evidence:
            assert 0 <= e.start <= e.end <= len(text)
            assert text[e.start : e.end] == e.text
    found = {(e.rule, e.text) for e in scorer.score_texts(texts)[1].evidence}
    assert {("repetition", "as I already said"), ("blame", "you should have")} <= found
    assert {("customer_name", "Anna"), ("exclamation", "!!")} <= found


def test_insults_from_the_toxicity_scorer_make_a_reply_rude(scorer):
    result = scorer.score_rudeness(["You are an idiot"])[0]
    assert result.label == "rude"
    assert any("insult" in e.rule for e in result.evidence)


def test_rules_only_fallback_when_no_model(scorer):
    rules_only = PolitenessScorer(model=None)
    scores = rules_only.predict_scores(["Thank you so much!", "Send me the log."])
    assert scores[0] > 0.5 > scores[1]
    assert len(STRATEGIES) == len(set(STRATEGIES))


def test_shipped_model_loads_offline_without_pickle():
    from scoring.models import MODELS_DIR

    npz = MODELS_DIR / "politeness_v1.npz"
    if not npz.exists():
        pytest.skip("politeness model not trained yet (run qa-studio train politeness)")
    with np.load(npz, allow_pickle=False) as data:
        assert {"strategy_coef", "word_coef", "char_coef", "full_calibration"} <= set(data.files)
        assert data["strategy_coef"].shape == (len(STRATEGIES),)
    card = json.loads((MODELS_DIR / "politeness_v1.json").read_text(encoding="utf-8"))
    assert card["licence"].startswith("CC BY")
    assert card["strategies"] == list(STRATEGIES)
    fitted = PolitenessScorer()
    fitted.predict_scores(["hello"])
    assert hasattr(fitted, "model_card_")


def _datasets() -> Path:
    env = os.environ.get("QA_STUDIO_DATASETS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "datasets"


needs_data = pytest.mark.skipif(
    not (_datasets() / "politeness-en-wikipedia").is_dir(),
    reason=f"politeness dataset absent under {_datasets()}",
)


@needs_data
def test_cross_validation_never_scores_rows_it_was_fitted_on():
    from scoring.training.politeness import (
        cross_validate_politeness,
        fit_politeness_arrays,
        politeness_quartiles,
    )

    texts, y = politeness_quartiles(_datasets())
    assert len(texts) == 2176 and y.sum() == 1088
    rows = np.r_[np.arange(60), len(y) - 1 - np.arange(60)]
    sample, labels = [texts[i] for i in rows], y[rows]
    arrays, _ = fit_politeness_arrays(sample, labels)
    fitted = PolitenessScorer(model=None, use_toxicity=False)._set_arrays(arrays)
    resubstitution = np.mean((fitted.predict_scores(sample, "en") >= 0.5) == labels)
    cv = cross_validate_politeness(sample, labels, folds=3, seed=13)
    assert resubstitution > 0.95  # a model scoring its own rows looks perfect...
    assert cv["accuracy"] < resubstitution - 0.05  # ...held-out folds do not
    assert 0.5 <= cv["accuracy"] <= 1.0 and cv["n"] == 120

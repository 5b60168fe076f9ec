"""Emotion scorer: multi-label probabilities, both languages, cue evidence, shipped models."""

from __future__ import annotations

import json

import pytest

from scoring.models import MODELS_DIR
from scoring.scorers.emotions import EMOTIONS, EmotionScorer


@pytest.fixture(scope="module")
def scorer() -> EmotionScorer:
    return EmotionScorer()


def test_contract(scorer):
    texts = ["Спасибо огромное!", "Sorry for the trouble", "", "Я в бешенстве"]
    proba = scorer.predict_proba(texts)
    assert proba.shape == (4, len(EMOTIONS))
    assert ((proba >= 0) & (proba <= 1)).all()
    results = scorer.score_texts(texts)
    assert len(results) == 4
    assert all(r.label in EMOTIONS and 0 <= r.score <= 1 for r in results)


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("Спасибо большое за помощь!", "gratitude"),
        ("Thank you so much for your help!", "gratitude"),
        ("Приносим извинения за неудобства, нам очень жаль", "remorse"),
        ("I'm so sorry, that was our mistake", "remorse"),
        ("Я очень боюсь, что деньги пропали", "fear"),
        ("I'm scared I lost all my data", "fear"),
        ("Ура, наконец-то всё работает, я так рада!", "joy"),
    ],
)
def test_clear_emotions_are_found(scorer, text, emotion):
    assert emotion in scorer.predict([text])[0]


def test_cue_evidence_points_at_words(scorer):
    text = "Огромное спасибо, вы мне очень помогли"
    result = scorer.score_texts([text], ["ru"])[0]
    cues = {e.rule: text[e.start : e.end] for e in result.evidence}
    assert cues["cue:gratitude"] == "спасибо"


def test_rules_only_fallback_uses_cues():
    rules = EmotionScorer(use_model=False)
    assert "gratitude" in rules.predict(["thanks a lot"])[0]
    assert rules.predict(["the parcel is at the depot"])[0] == ["neutral"]


def test_shipped_models_have_cards():
    for lang in ("ru", "en"):
        meta = json.loads((MODELS_DIR / f"emotions_{lang}.json").read_text(encoding="utf-8"))
        assert set(EMOTIONS) <= set(meta["classes"])
        assert meta["model_card"]["licence"]
        assert (MODELS_DIR / f"emotions_{lang}.npz").stat().st_size < 15_000_000

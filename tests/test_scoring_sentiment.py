"""Sentiment scorer: contract, hard Russian/English cases, evidence spans, shipped models."""

from __future__ import annotations

import json

import numpy as np
import pytest

from scoring.base import ScoreResult, TextScorer
from scoring.models import MODELS_DIR
from scoring.sentiment import SentimentScorer


@pytest.fixture(scope="module")
def scorer() -> SentimentScorer:
    return SentimentScorer()


@pytest.fixture(scope="module")
def rules() -> SentimentScorer:
    return SentimentScorer(use_model=False)


def label(scorer: SentimentScorer, text: str, lang: str = "auto") -> str:
    return scorer.score_texts([text], [lang])[0].label


def test_contract_one_result_per_text(scorer):
    texts = ["Спасибо!", "", "ok", "Ужасно", "👍", "Thanks a lot"]
    results = scorer.score_texts(texts)
    assert isinstance(scorer, TextScorer)
    assert len(results) == len(texts)
    for result in results:
        assert isinstance(result, ScoreResult)
        assert result.label in scorer.labels
        assert -1.0 <= result.score <= 1.0
        assert result.lang in ("ru", "en")
    assert scorer.score_texts([]) == []


def test_predict_scores_matches_score_texts(scorer):
    texts = ["Отлично, спасибо", "the app is broken", "Когда придёт курьер?"]
    fast = scorer.predict_scores(texts)
    slow = [r.score for r in scorer.score_texts(texts)]
    assert np.allclose(fast, slow)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Спасибо большое, всё заработало)))", "positive"),
        ("Не работает приложение, уже третий день(((", "negative"),
        ("Отлично, опять ничего не работает", "negative"),
        ("Ничего хорошего в вашем сервисе нет", "negative"),
        ("Оператор был вежлив, но проблему так и не решили", "negative"),
        ("Очень довольна, оператор всё быстро решил!", "positive"),
        ("great, broken again", "negative"),
        ("not bad at all, thanks", "positive"),
        ("This is NOT good", "negative"),
        ("Thank you so much, you saved my day!", "positive"),
        ("I have been on hold for two hours and nobody answers", "negative"),
        ("The update is terrible :(", "negative"),
        ("Love it 😍", "positive"),
    ],
)
def test_hard_cases(scorer, text, expected):
    assert label(scorer, text) == expected


def test_polite_but_unhelpful_answer_is_not_positive(scorer):
    ru = "Спасибо за обращение, к сожалению, мы ничем не можем помочь."
    en = "Thank you for contacting us, unfortunately we cannot help you with this."
    assert label(scorer, ru) != "positive"
    assert label(scorer, en) != "positive"


def test_negation_flips_rules(rules):
    good, not_good = rules.predict_scores(["это хорошо", "это не хорошо"], "ru")
    assert good > 0 > not_good
    bad, not_bad = rules.predict_scores(["that is bad", "that is not bad"], "en")
    assert bad < 0 < not_bad


def test_russian_smiles_grow_with_length(rules):
    one, three = rules.predict_scores(["ок))", "ок))))"], "ru")
    sad = rules.predict_scores(["ок(((("], "ru")[0]
    assert three > one > 0 > sad


def test_caps_and_exclamations_intensify(rules):
    plain, loud = rules.predict_scores(["this is bad", "this is BAD!!!"], "en")
    assert loud < plain < 0


def test_mixed_language_message(scorer):
    result = scorer.score_texts(["Приложение crashes постоянно, ужасно"])[0]
    assert result.lang == "ru"
    assert result.label == "negative"


def test_evidence_spans_point_at_the_words(scorer):
    text = "Отлично, опять ничего не работает"
    result = scorer.score_texts([text], ["ru"])[0]
    spans = {e.rule: text[e.start : e.end] for e in result.evidence}
    assert spans["sarcasm"] == "Отлично"
    assert spans["phrase"] == "не работает"
    for e in result.evidence:
        assert e.text == text[e.start : e.end]


def test_emoji_evidence(scorer):
    text = "Спасибо 👍"
    result = scorer.score_texts([text], ["ru"])[0]
    assert any(e.rule == "emoticon" and e.text == "👍" for e in result.evidence)


def test_shipped_models_load_offline_with_model_card():
    scorer = SentimentScorer()
    scorer.predict(["warm-up"])
    assert set(scorer.models_) == {"ru", "en"}
    for lang in ("ru", "en"):
        meta = json.loads((MODELS_DIR / f"sentiment_{lang}.json").read_text(encoding="utf-8"))
        card = meta["model_card"]
        assert card["training_data"] and card["licence"] and card["citation"]
        assert (MODELS_DIR / f"sentiment_{lang}.npz").stat().st_size < 15_000_000


def test_emoji_only_messages_follow_the_rules(scorer):
    angry, happy, sad = scorer.score_texts(["😡😡", ")))", "((("])
    assert (angry.label, happy.label, sad.label) == ("negative", "positive", "negative")

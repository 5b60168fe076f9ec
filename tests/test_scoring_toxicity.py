"""Toxicity scorer: Russian mat in many forms, insults, threats, no false alarms on look-alikes."""

from __future__ import annotations

import pytest

from scoring.toxicity import ToxicityScorer, fold_text


@pytest.fixture(scope="module")
def scorer() -> ToxicityScorer:
    return ToxicityScorer()


@pytest.mark.parametrize(
    "text",
    [
        "Да пошёл ты нахуй",
        "заебали уже со своим сервисом",
        "какая-то хуйня, а не приложение",
        "вы там все долбоёбы что ли",
        "ты дебил?",
        "Я тебя найду тебя и урою",
        "бл*ть, опять",
        "You are an idiot",
        "this is fucking ridiculous",
        "shut up",
    ],
)
def test_toxic_examples(scorer, text):
    result = scorer.score_texts([text])[0]
    assert result.label == "toxic", text
    assert result.score >= 0.5
    assert result.evidence


@pytest.mark.parametrize(
    "text",
    [
        "Спасибо, всё понятно",
        "Застрахуйте, пожалуйста, машину",
        "Себастьян купил мандарины и жидкость для стёкол",
        "хлеб, небо, ребёнок и себестоимость",
        "Please help, my order is late",
        "The cocktail was great",
        "Оператор повесил трубку",
    ],
)
def test_clean_examples(scorer, text):
    result = scorer.score_texts([text])[0]
    assert result.label == "ok", (text, result.evidence)
    assert result.score < 0.5


def test_evidence_span_and_addressed_insult(scorer):
    text = "Слушай, ты идиот"
    result = scorer.score_texts([text])[0]
    (hit,) = result.evidence
    assert text[hit.start : hit.end] == "идиот"
    assert hit.rule == "insult_addressed"
    plain = scorer.score_texts(["какой идиотизм"])[0]
    assert plain.score < result.score


def test_latin_lookalikes_are_folded():
    assert fold_text("xуй") == "хуй"
    assert len(fold_text("Ёлки XYZ")) == len("Ёлки XYZ")
    assert fold_text("hello") == "hello"


def test_contract(scorer):
    texts = ["", "ok", "сука", "good day"]
    results = scorer.score_texts(texts)
    assert [r.label for r in results] == ["ok", "ok", "toxic", "ok"]
    assert all(0.0 <= r.score <= 1.0 for r in results)
    assert list(scorer.predict_scores(texts)) == pytest.approx([r.score for r in results])

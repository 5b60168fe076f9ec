"""Empathy scorer and missed-empathy detection: RU/EN hand-written cases and contract."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.base import TextScorer
from scoring.empathy import EmpathyScorer, customer_upset, find_missed_empathy


@pytest.fixture(scope="module")
def scorer() -> EmpathyScorer:
    return EmpathyScorer()


def _rules(result) -> set[str]:
    return {e.rule for e in result.evidence}


def test_contract(scorer):
    texts = ["", "ok", "Понимаю вас.", "I understand.", "Ваш номер заявки 123."]
    results = scorer.score_texts(texts)
    assert isinstance(scorer, TextScorer)
    assert len(results) == len(texts)
    for result in results:
        assert result.label in scorer.labels
        assert 0.0 <= result.score <= 1.0
    assert np.allclose(scorer.predict_scores(texts), [r.score for r in results])


@pytest.mark.parametrize(
    ("text", "mechanisms"),
    [
        ("I understand how frustrating this must be.", {"acknowledgement"}),
        ("Понимаю, как это неприятно.", {"acknowledgement"}),
        ("Вы абсолютно правы, это наша ошибка.", {"validation", "apology_ownership"}),
        ("You're right to be upset, we dropped the ball.", {"validation", "apology_ownership"}),
        ("Не переживайте, мы всё исправим.", {"reassurance"}),
        ("Don't worry, we'll sort this out today.", {"reassurance"}),
        ("Расскажите подробнее, что произошло?", {"exploration"}),
        ("Could you tell me more about what happened?", {"exploration"}),
    ],
)
def test_mechanisms_are_found_in_both_languages(scorer, text, mechanisms):
    result = scorer.score_texts([text])[0]
    assert mechanisms <= _rules(result)
    assert result.label in {"weak", "strong"}
    for e in result.evidence:
        assert text[e.start : e.end] == e.text


def test_strong_empathy_combines_mechanisms(scorer):
    strong, weak, none = scorer.score_texts(
        [
            "Анна, понимаю, как это неприятно. Не переживайте, я лично прослежу за заказом.",
            "Сожалею.",
            "Ваш номер заявки 4521.",
        ]
    )
    assert strong.label == "strong" and "customer_name" in _rules(strong)
    assert weak.label == "weak"
    assert none.label == "none" and not none.evidence
    assert strong.score > weak.score > none.score


def test_negated_understanding_is_not_empathy(scorer):
    results = scorer.score_texts(["Я не понимаю, что вы хотите.", "I don't understand you."])
    assert [r.label for r in results] == ["none", "none"]


def test_epitome_levels_follow_the_rules():
    levels = EmpathyScorer(model=None).mechanism_levels(
        ["I'm so sorry, I feel for you.", "Sorry to hear that.", "Try restarting it."],
        "emotional-reactions",
    )
    assert levels.tolist() == [2, 1, 0]


def test_missed_empathy_flags_an_upset_customer_without_empathy():
    roles = ["customer", "agent", "customer", "agent"]
    texts = [
        "This is UNACCEPTABLE, I'm still waiting for my refund!!",
        "Your ticket number is 123.",
        "Безобразие, сколько можно ждать?!",
        "Понимаю, как это неприятно, сейчас всё проверю.",
    ]
    events = find_missed_empathy(roles, texts)
    assert [(e.customer_index, e.agent_index) for e in events] == [(0, 1)]
    event = events[0]
    assert event.upset >= 0.5 and event.empathy < 0.2
    rules = {(i, e.rule, e.text) for i, e in event.evidence}
    assert (0, "customer_upset", "UNACCEPTABLE") in rules
    assert any(i == 1 and rule == "no_empathy" for i, rule, _ in rules)


def test_missed_empathy_uses_given_negativity_and_ignores_calm_customers():
    roles = ["customer", "agent"]
    texts = ["My parcel arrived broken.", "A new one ships tomorrow."]
    assert find_missed_empathy(roles, texts) == []
    events = find_missed_empathy(roles, texts, customer_negativity=[0.9, None])
    assert len(events) == 1 and events[0].upset == pytest.approx(0.9)
    assert customer_upset(["Спасибо, всё отлично"])[0] == 0.0


def test_caring_language_model_when_shipped(scorer):
    from scoring.models import MODELS_DIR

    if not (MODELS_DIR / "empathy_v1.npz").exists():
        pytest.skip("empathy_v1 not trained yet (qa-studio models train empathy)")
    proba = scorer.caring_probability(
        ["That breaks my heart, hang in there.", "The invoice is attached."], "en"
    )
    assert proba[0] > proba[1]
    result = scorer.score_texts(["That breaks my heart, hang in there."])[0]
    assert result.label != "none"
    for e in result.evidence:
        assert "That breaks my heart, hang in there."[e.start : e.end] == e.text

"""The learned half of Russian toxicity (``toxicity_ru``) and how it joins the lexicon.

Every example is written by hand; none comes from the evaluation-only toxic-comments data.
Hard cases: obfuscated mat, a polite reply with «к сожалению», a sharp complaint that is
not toxic, an insult the lexicon does not list.
"""

from __future__ import annotations

import numpy as np
import pytest

from scoring.models import MODELS_DIR, load_model
from scoring.scorers.politeness import PolitenessScorer
from scoring.scorers.toxicity import LEARNED_RULE, ToxicityScorer, combine
from scoring.scorers.toxicity_ru import MODEL_NAME, load_toxicity_model
from scoring.training.toxicity_ru import choose_offset


@pytest.fixture(scope="module")
def scorer() -> ToxicityScorer:
    assert load_toxicity_model() is not None, "toxicity_ru.npz is shipped with the package"
    return ToxicityScorer()


OBFUSCATED = [
    "нu хyя себе сервис",  # Latin look-alikes inside Cyrillic
    "п и з д е ц, опять списали",  # spaced letters
    "да вы ох*ели там все",  # mask
    "ёпт, бляяяять, где мой заказ",  # stretched letters
    "су4ка, верни деньги",  # digit for a letter
]
NOT_TOXIC = [
    # polite replies with «к сожалению» and apologies
    "К сожалению, заказ задерживается. Приносим извинения за неудобства.",
    "К сожалению, мы не можем вернуть деньги за использованную услугу, но готовы дать скидку.",
    "Сожалеем, что так вышло. Оператор свяжется с вами сегодня.",
    # sharp but not toxic complaints
    "Это уже третий раз! Я крайне недоволен вашим сервисом, верните деньги немедленно.",
    "Безобразие, неделю не могу дозвониться, ваша поддержка работает отвратительно.",
    "Сколько можно ждать? Ужасное обслуживание, больше к вам не обращусь.",
    "Я буду жаловаться в Роспотребнадзор, если проблему не решат до пятницы.",
]


# Look-alikes of mat roots that are not in the training clean list (its words are other
# forms or other words): the model must have learned the letters are not the root.
LOOKALIKES_NOT_IN_CLEAN_LIST = [
    "Подстраховка не помешает",
    "корабельная верфь",
    "рублёвый счёт",
    "мудрёная инструкция",
    "командный чат",
    "педагогический колледж",
]


@pytest.mark.parametrize("text", LOOKALIKES_NOT_IN_CLEAN_LIST)
def test_lookalikes_outside_the_clean_list_are_not_toxic(scorer, text):
    from scoring.training.toxicity_ru import clean_rows

    assert not {w.lower() for w in text.split()} & {r.lower() for r in clean_rows()}
    assert scorer.score_texts([text], "ru")[0].label == "ok"


@pytest.mark.parametrize("text", OBFUSCATED)
def test_obfuscated_mat_is_toxic(scorer, text):
    result = scorer.score_texts([text], "ru")[0]
    assert result.label == "toxic", (text, result.score, result.evidence)
    assert result.evidence


@pytest.mark.parametrize("text", NOT_TOXIC)
def test_polite_and_sharp_but_clean_messages_are_not_toxic(scorer, text):
    result = scorer.score_texts([text], "ru")[0]
    assert result.label == "ok", (text, result.score, result.evidence)


def test_the_model_catches_an_insult_the_lexicon_does_not_list(scorer):
    text = "Рукожопы, а не мастера"
    rules = ToxicityScorer(use_model=False).score_texts([text], "ru")[0]
    joined = scorer.score_texts([text], "ru")[0]
    assert joined.score > rules.score
    assert joined.label == "toxic", (joined.score, joined.evidence)


def test_learned_evidence_points_at_the_words(scorer):
    text = "Рукожопы, а не мастера"
    result = scorer.score_texts([text], "ru")[0]
    learned = [e for e in result.evidence if e.rule.startswith(f"{LEARNED_RULE}:")]
    assert learned
    for e in learned:
        assert text[e.start : e.end] == e.text == e.rule.split(":", 1)[1]
        assert e.weight > 0


def test_rules_only_switch_and_english_never_reach_the_model(scorer):
    text = "Рукожопы, а не мастера"
    rules = ToxicityScorer(use_model=False)
    assert not any(
        e.rule.startswith(LEARNED_RULE) for e in rules.score_texts([text], "ru")[0].evidence
    )
    english = ["Thanks, that fixed it", "You are an idiot"]
    assert np.allclose(scorer.predict_scores(english, "en"), rules.predict_scores(english, "en"))


def test_fast_path_equals_scored_results(scorer):
    texts = [*OBFUSCATED, *NOT_TOXIC, "", "Спасибо!"]
    fast = scorer.predict_scores(texts, "ru")
    full = [r.score for r in scorer.score_texts(texts, "ru")]
    assert np.allclose(fast, full)


def test_combine_is_a_noisy_or():
    rules = np.array([0.0, 0.9, 0.3, 0.3])
    learned = np.array([0.0, 0.0, 0.3, 0.9])
    joined = combine(rules, learned)
    assert joined[0] == 0.0 and joined[1] == pytest.approx(0.9)
    assert joined[2] == pytest.approx(0.51)  # two weak signals together
    assert joined[3] >= max(rules[3], learned[3])
    # with an offset the second argument is a logit: 0.5 exactly at the offset
    assert combine(np.zeros(1), np.array([1.5]), 1.5)[0] == pytest.approx(0.5)


def test_offset_choice_prefers_the_separating_value():
    logits = np.array([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0])
    y = np.array([0, 0, 0, 1, 1, 1])
    offset, f1 = choose_offset(logits, np.zeros(6), y)
    assert -1.0 <= offset < 1.0 and f1 == 1.0


def test_shipped_model_has_a_card_without_pickles():
    assert (MODELS_DIR / f"{MODEL_NAME}.npz").is_file()
    arrays, meta = load_model(MODEL_NAME)
    assert {"coef", "intercept", "idf"} <= set(arrays)
    card = meta["model_card"]
    assert "RuParaDetox" in card["training_data"] and card["weak_spots"]
    assert "toxicity-ru-comments" not in card["licence"]
    assert isinstance(meta["offset"], float)


def test_politeness_leaves_the_toxicity_model_to_its_own_rudeness_model():
    """A reply the toxicity model alone calls toxic is not flagged impolite on that word:
    the politeness scorer's rudeness_ru speaks for learned rudeness there."""
    text = "К сожалению, заказ задерживается. Приносим извинения за неудобства."
    polite = PolitenessScorer().score_texts([text], ["ru"])[0]
    assert polite.label != "impolite"
    assert not any(e.rule.startswith("toxicity_learned") for e in polite.evidence)

"""The evidence behind "missed empathy" must be something a reviewer can check: the words
that made the customer's turn negative, or the emotion model's verdict named as such; never
a word that pulled the sentiment *up* (the Russian MultiWOZ turn «Еще мне нужен поезд…» once
showed «мне» as evidence that the customer was upset)."""

from __future__ import annotations

import pytest

from scoring.base import Evidence, ScoreResult
from scoring.pipeline.conversation import MessageScores
from scoring.pipeline.signals import empathy_signals
from scoring.scorers.resolution import ResolutionMarks

NO_MARKS = ResolutionMarks(frozenset(), ())


def _result(task: str, label: str, score: float, evidence=()) -> ScoreResult:
    del task  # the key in the results mapping says which scorer it is
    return ScoreResult(label=label, score=score, lang="ru", evidence=tuple(evidence))


def _turns(customer_results: dict) -> list[MessageScores]:
    reply = {"empathy": _result("empathy", "none", 0.0)}
    return [MessageScores(0, "customer", "ru", customer_results, NO_MARKS),
            MessageScores(1, "agent", "ru", reply, NO_MARKS)]  # fmt: skip


def _evidence(messages) -> list[tuple[int, str, str]]:
    missed = next(s for s in empathy_signals(messages) if s.name == "missed_empathy")
    assert missed.label == "missed"
    return [(index, e.rule, e.text) for index, e in missed.evidence]


def test_upset_by_emotion_alone_names_the_emotion_not_the_positive_words():
    sentiment = _result("sentiment", "neutral", -0.22, [
        Evidence(4, 7, "model_word", 1.1, "мне"), Evidence(14, 19, "model_word", -1.0, "поезд"),
    ])  # fmt: skip
    found = _evidence(_turns({"sentiment": sentiment,
                              "emotions": _result("emotions", "annoyance", 0.76)}))  # fmt: skip
    # Only the emotion model found the upset: its verdict is the evidence, not words the
    # sentiment weighed (which found no upset).
    assert found == [(0, "customer.emotion.annoyance", ""), (1, "empathy.none_in_reply", "")]


def test_upset_by_sentiment_shows_the_words_that_pulled_it_down():
    sentiment = _result("sentiment", "negative", -0.8, [
        Evidence(0, 6, "lexicon", -0.9, "ужасно"), Evidence(7, 12, "model_word", 0.4, "спасибо"),
        Evidence(13, 20, "lexicon", -0.5, "опять"),
    ])  # fmt: skip
    found = _evidence(_turns({"sentiment": sentiment}))
    assert found == [(0, "lexicon", "ужасно"), (0, "lexicon", "опять"),
                     (1, "empathy.none_in_reply", "")]  # fmt: skip


def test_upset_by_reported_harm_shows_the_harm_words_alone():
    """Seen on a MultiWOZ chat: "I was injured and need a hospital nearby." showed
    "injured" and the model's "was" as the reason the customer was upset."""
    sentiment = _result("sentiment", "neutral", -0.2, [
        Evidence(6, 13, "harm", -2.4, "injured"), Evidence(2, 5, "model_word", -1.0, "was"),
    ])  # fmt: skip
    found = _evidence(_turns({"sentiment": sentiment}))
    assert found == [(0, "harm", "injured"), (1, "empathy.none_in_reply", "")]


def test_a_harm_word_is_highlighted_as_a_negative_customer_word():
    from qa_app.services.autoqa.queries import span_kind

    assert span_kind("sentiment", "harm", -2.4) == "sentiment_neg"


def test_tone_evidence_only_pulls_the_way_the_score_went_and_prefers_named_rules():
    from scoring.pipeline.signals import sentiment_signals

    sentiment = _result("sentiment", "positive", 0.6, [
        Evidence(0, 2, "model_word", 0.9, "it"), Evidence(3, 9, "lexicon", 0.5, "thanks"),
        Evidence(10, 14, "model_word", -1.2, "Take"),
    ])  # fmt: skip
    end = next(s for s in sentiment_signals(_turns({"sentiment": sentiment})[:1])
               if s.name == "sentiment_end")  # fmt: skip
    assert [e.text for _i, e in end.evidence] == ["thanks"]
    # only when no named rule pulls that way do the model's words stand in, and only those
    # heavy enough to explain something
    model_only = _result("sentiment", "positive", 0.6, [
        Evidence(0, 2, "model_word", 0.9, "it"), Evidence(3, 8, "model_word", 1.4, "great"),
    ])  # fmt: skip
    end = next(s for s in sentiment_signals(_turns({"sentiment": model_only})[:1])
               if s.name == "sentiment_end")  # fmt: skip
    assert [e.text for _i, e in end.evidence] == ["great"]


def test_a_calm_request_the_emotion_model_calls_annoyed_is_not_upset():
    from scoring.pipeline.signals import is_upset

    calm = {"sentiment": _result("sentiment", "neutral", 0.05),
            "emotions": _result("emotions", "annoyance", 0.99)}  # fmt: skip
    unsure = {"sentiment": _result("sentiment", "neutral", -0.1),
              "emotions": _result("emotions", "disapproval", 0.45)}  # fmt: skip
    annoyed = {"sentiment": _result("sentiment", "neutral", -0.1),
               "emotions": _result("emotions", "annoyance", 0.7)}  # fmt: skip
    angry_words = {"sentiment": _result("sentiment", "negative", -0.6,
                                        [Evidence(0, 10, "lexicon", -3.0, "безобразие")]),
                   "emotions": _result("emotions", "neutral", 0.8)}  # fmt: skip
    problem_only = {"sentiment": _result("sentiment", "negative", -0.6,
                                         [Evidence(0, 11, "phrase", -2.2, "не работает")]),
                    "emotions": _result("emotions", "neutral", 0.8)}  # fmt: skip
    assert not is_upset(calm) and not is_upset(unsure)
    assert is_upset(annoyed) and is_upset(angry_words)
    assert not is_upset(problem_only)  # a problem reported calmly names no feeling


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I was robbed and I need help!", "en"),
        ("I've been injured and I need a hospital.", "en"),
        ("Меня ограбили, мне нужна помощь!", "ru"),
        ("Кто-то меня только что ограбил! Мне срочно нужна помощь, пожалуйста!", "ru"),
    ],
)
def test_a_customer_reporting_harm_reads_negative_and_upset(text, lang):
    """Real dialogues: «Меня ограбили, мне нужна помощь!» scored +0.53 (positive) because
    «помощь» is a positive word and «ограбить» was in no lexicon; the reply to it could
    never be flagged for missed empathy."""
    from scoring.pipeline.signals import is_upset
    from scoring.registry import get_scorer

    sentiment = get_scorer("sentiment").score_texts([text], [lang])[0]
    emotions = get_scorer("emotions").score_texts([text], [lang])[0]
    assert sentiment.score < 0
    assert "harm" in {e.rule for e in sentiment.evidence if e.weight <= -2.0}
    assert is_upset({"sentiment": sentiment, "emotions": emotions})


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I'm not injured, I just need the address.", "en"),
        ("Three people were hurt in the accident, the news said.", "en"),
        ("I deleted the file by accident, can you restore it?", "en"),
        ("В ДТП пострадали три человека.", "ru"),
        ("Я не пострадал, мне нужен только адрес.", "ru"),
    ],
)
def test_harm_needs_the_customer_as_the_one_harmed(text, lang):
    """Negated harm, someone else's harm (no first person: CEDR's news sentences) and "by
    accident" are not the customer reporting harm."""
    from scoring.registry import get_scorer

    sentiment = get_scorer("sentiment").score_texts([text], [lang])[0]
    assert "harm" not in {e.rule for e in sentiment.evidence}

"""The AutoQA pipeline on small hand-written conversations in Russian and English."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from scoring.pipeline.autoqa import AutoQAPipeline, politeness_with_rudeness
from scoring.pipeline.conversation import Conversation, Message, SlaTargets
from scoring.rubric.files import AUTO_SIGNALS

MSK = timezone(timedelta(hours=3))
T0 = datetime(2026, 3, 2, 9, 15, tzinfo=MSK)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


RU_GOOD = Conversation(
    "ru-good",
    "chat",
    "ru",
    [
        Message(
            "customer", "Это безобразие! Интернет не работает третий день, я очень зол!", at(0)
        ),
        Message(
            "agent",
            "Здравствуйте, Анна! Мне очень жаль, что так вышло, понимаю ваше раздражение. "
            "Перезагрузите, пожалуйста, роутер.",
            at(3),
        ),
        Message("customer", "Перезагрузила. Спасибо, всё заработало!", at(10)),
        Message("agent", "Рада была помочь! Хорошего дня!", at(11)),
    ],
    customer_id="u-1",
)
EN_CURT = Conversation(
    "en-curt",
    "email",
    None,  # detected
    [
        Message("customer", "This is ridiculous! My order still hasn't arrived and nobody answers!", at(0)),
        Message("agent", "Read the FAQ. Not our problem.", at(200)),
        Message("customer", "It is still not here. Useless.", at(260)),
    ],
)  # fmt: skip


@pytest.fixture(scope="module")
def scored():
    pipeline = AutoQAPipeline(batch_size=8)
    return {r.conversation_id: r for r in pipeline.score_conversations([RU_GOOD, EN_CURT])}


def test_russian_conversation_improves_and_is_resolved(scored):
    result = scored["ru-good"]
    signals = result.signals
    assert result.language == "ru"
    assert signals["sentiment_start"].value < 0 < signals["sentiment_end"].value
    assert signals["sentiment_trajectory"].label == "improved"
    assert signals["resolution_confirmed"].value == 1.0
    assert signals["greeting"].value == 1.0 and signals["closing"].value == 1.0
    assert signals["missed_empathy"].label == "shown"
    assert signals["empathy"].value > 0.2
    assert signals["first_response_sla"].value == 1.0  # 3 min < 15 min
    # evidence points into the right message
    index, evidence = signals["resolution_confirmed"].evidence[0]
    assert RU_GOOD.messages[index].text[evidence.start : evidence.end] == evidence.text


def test_curt_english_agent_scores_low_and_misses_empathy(scored):
    good, curt = scored["ru-good"].signals, scored["en-curt"].signals
    assert scored["en-curt"].language == "en"
    assert curt["sentiment_trajectory"].label in {"stable", "worsened"}
    assert curt["politeness"].value < good["politeness"].value
    assert curt["rudeness"].value > good["rudeness"].value
    assert curt["missed_empathy"].label == "missed" and curt["missed_empathy"].normalised == 0.0
    assert curt["resolution_confirmed"].label == "unresolved"
    assert curt["first_response_sla"].value == 0.0  # 200 min > 2 h e-mail target


def test_per_message_results_by_role(scored):
    messages = scored["en-curt"].messages
    assert set(messages[0].results) == {"sentiment", "emotions", "defect_report"}  # customer side
    assert {"politeness", "rudeness", "empathy", "clarity", "toxicity"} <= set(messages[1].results)
    for item in messages:
        for result in item.results.values():
            for e in result.evidence:
                assert 0 <= e.start <= e.end <= len(EN_CURT.messages[item.index].text)


def test_every_auto_signal_has_a_normalised_value(scored):
    for result in scored.values():
        auto = result.auto_scores()
        missing = set(AUTO_SIGNALS) - set(auto)
        assert not missing
        for name in AUTO_SIGNALS:
            value = auto[name]
            assert value is None or 0.0 <= value <= 1.0, name


def test_version_follows_configuration():
    default = AutoQAPipeline().version
    assert default == AutoQAPipeline().version
    assert default.startswith("autoqa-")
    strict = SlaTargets().with_channel("chat", first_response=60.0)
    assert AutoQAPipeline(sla=strict).version != default
    assert AutoQAPipeline(glossary=["omnidesk"]).version != default


def test_one_pass_politeness_equals_the_politeness_scorer():
    from scoring.scorers.politeness import PolitenessScorer
    from scoring.scorers.toxicity import ToxicityScorer

    texts = ["Спасибо за ожидание, сейчас проверю.", "Читать умеете? Я уже ВСЁ НАПИСАЛ, идиот.",
             "It's not our problem. Read the FAQ.", "Thank you so much for your patience, Anna!"]  # fmt: skip
    scorer = PolitenessScorer()
    toxic = ToxicityScorer().score_texts(texts)
    polite, rude = politeness_with_rudeness(scorer, texts, None, toxic)
    assert polite[1].label == "impolite" and rude[1].label == "rude"
    expected_polite = scorer.score_texts(texts)
    expected_rude = scorer.score_rudeness(texts)
    assert [r.score for r in polite] == pytest.approx([r.score for r in expected_polite])
    assert [r.label for r in polite] == [r.label for r in expected_polite]
    assert [r.score for r in rude] == pytest.approx([r.score for r in expected_rude])
    assert [r.label for r in rude] == [r.label for r in expected_rude]


@pytest.mark.slow
def test_two_workers_give_the_same_signals_as_one_process(scored):
    parallel = AutoQAPipeline(n_jobs=2, batch_size=1).score_conversations([RU_GOOD, EN_CURT])
    assert [r.conversation_id for r in parallel] == ["ru-good", "en-curt"]
    for result in parallel:
        assert result.values() == scored[result.conversation_id].values()


def test_degenerate_conversations_keep_every_signal_key():
    empty = Conversation("empty", "chat", None, [])
    lonely = Conversation("lonely", "phone", "ru", [Message("customer", "Алло")])
    results = AutoQAPipeline().score_conversations([empty, lonely])
    for result in results:
        auto = result.auto_scores()
        assert set(AUTO_SIGNALS) <= set(auto)
        assert auto["politeness"] is None and auto["next_steps"] is None
        assert auto["first_response_sla"] is None  # nothing to measure

"""Hand-over from a bot to a person, and the customer repeating themselves (RU and EN).

The labelled pairs below are the evidence for ``REPEAT_THRESHOLD``: every restatement scores
above it and every different message below it, in both languages.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scoring.pipeline.conversation import Message
from scoring.pipeline.handover import REPEAT_THRESHOLD, find_handover, text_similarity

RESTATED = [
    ("My card was charged twice for order 5521", "I was charged twice on my card for order 5521"),
    ("I can't log in to my account, it says my password is wrong",
     "I cannot log into my account, it keeps saying the password is wrong"),
    ("My card was charged twice for order 5521",
     "Hi, like I told the bot, order 5521 was charged twice to my card"),
    ("The app crashes every time I open the payments screen",
     "Every time I go to payments the app just crashes"),
    ("I want to change the delivery address for my order",
     "Could you change the address for my delivery?"),
    ("С карты дважды списали деньги за заказ 5521",
     "У меня дважды списали деньги с карты за заказ 5521"),
    ("Не могу войти в личный кабинет, пишет неверный пароль",
     "Не получается войти в личный кабинет, пишет что пароль неверный"),
    ("С карты дважды списали деньги за заказ 5521",
     "Здравствуйте, как я уже писал боту: за заказ 5521 деньги списали с карты два раза"),
    ("Приложение вылетает каждый раз, когда открываю платежи",
     "Когда захожу в платежи, приложение сразу вылетает"),
    ("Хочу поменять адрес доставки заказа", "Можно изменить адрес доставки?"),
]  # fmt: skip
DIFFERENT = [
    ("My card was charged twice for order 5521", "Yes, the order number is 5521"),
    ("My card was charged twice for order 5521", "When will I get the money back?"),
    ("I can't log in to my account, it says my password is wrong",
     "I already tried resetting it twice, no email came"),
    ("The parcel has not arrived, tracking shows it stuck in Moscow for a week",
     "Can you send it by courier instead?"),
    ("С карты дважды списали деньги за заказ 5521",
     "Номер заказа 5521, карта заканчивается на 4417"),
    ("С карты дважды списали деньги за заказ 5521", "Когда вернутся деньги?"),
    ("Не могу войти в личный кабинет, пишет неверный пароль",
     "Я уже дважды сбрасывал пароль, письмо не пришло"),
    ("Посылка не пришла, трек-номер показывает что она неделю в Москве",
     "Можно отправить курьером?"),
]  # fmt: skip


@pytest.mark.parametrize(("first", "second"), RESTATED)
def test_a_restatement_reaches_the_threshold(first: str, second: str) -> None:
    assert text_similarity(first, second) >= REPEAT_THRESHOLD


@pytest.mark.parametrize(("first", "second"), DIFFERENT)
def test_a_different_message_stays_below_the_threshold(first: str, second: str) -> None:
    assert text_similarity(first, second) < REPEAT_THRESHOLD


def test_similarity_is_symmetric_and_ignores_order_case_and_yo() -> None:
    assert text_similarity("Ещё не пришло", "не пришло ЕЩЕ") == pytest.approx(1.0)
    a, b = RESTATED[0]
    assert text_similarity(a, b) == pytest.approx(text_similarity(b, a))
    assert text_similarity("", "anything") == 0.0
    assert text_similarity("!!!", "???") == 0.0


T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _chat(*turns: tuple[str, str, int]) -> list[Message]:
    return [Message(role, text, T0 + timedelta(seconds=s)) for role, text, s in turns]


def test_a_handover_where_the_customer_tells_the_story_again_en() -> None:
    chat = _chat(
        ("customer", "My card was charged twice for order 5521", 0),
        ("bot", "I can help with payments. Did you pay by card?", 5),
        ("customer", "Yes, by card", 20),
        ("bot", "Let me connect you to a colleague.", 25),
        ("agent", "Hello, Anna here. How can I help?", 185),
        ("customer", "Hi, like I told the bot, order 5521 was charged twice to my card", 200),
    )
    found = find_handover(chat)
    assert found is not None and found.handed_over
    assert (found.bot_index, found.human_index, found.seconds) == (1, 4, 180.0)
    assert found.repeated is True
    assert (found.repeated_index, found.original_index) == (5, 0)


def test_a_handover_where_the_agent_read_the_history_ru() -> None:
    chat = _chat(
        ("customer", "С карты дважды списали деньги за заказ 5521", 0),
        ("bot", "Соединяю с оператором.", 3),
        ("agent", "Вижу двойное списание по заказу 5521, оформляю возврат.", 63),
        ("customer", "Когда вернутся деньги на карту?", 90),
        ("agent", "В течение трёх рабочих дней.", 100),
    )
    found = find_handover(chat)
    assert found is not None
    assert found.seconds == 60.0
    assert found.repeated is False
    assert found.similarity is not None and found.similarity < REPEAT_THRESHOLD


def test_short_answers_after_the_handover_are_not_a_repetition() -> None:
    chat = _chat(
        ("customer", "ok ok ok", 0),
        ("bot", "Соединяю", 1),
        ("agent", "Здравствуйте!", 2),
        ("customer", "ok ok", 3),
    )
    found = find_handover(chat)
    assert found is not None and found.repeated is None and found.similarity is None


def test_a_bot_alone_and_a_conversation_without_a_bot() -> None:
    alone = find_handover(_chat(("customer", "Where is my order?", 0), ("bot", "On its way", 1)))
    assert alone is not None and not alone.handed_over and alone.seconds is None
    assert find_handover(_chat(("customer", "Hi", 0), ("agent", "Hello", 1))) is None


def test_unknown_times_leave_the_time_to_handover_unknown() -> None:
    chat = [Message("bot", "Hi"), Message("agent", "Hello, a person here")]
    found = find_handover(chat)
    assert found is not None and found.handed_over and found.seconds is None


def test_an_agent_before_the_bot_is_not_the_handover() -> None:
    chat = _chat(("agent", "Hello", 0), ("bot", "Survey: rate us", 10), ("agent", "Bye", 40))
    found = find_handover(chat)
    assert found is not None and (found.bot_index, found.human_index) == (1, 2)


def test_the_pipeline_scores_bot_replies_and_reports_the_handover() -> None:
    from scoring.pipeline.autoqa import AutoQAPipeline
    from scoring.pipeline.conversation import Conversation

    handed = Conversation("1", "chat", "en", _chat(
        ("customer", "My card was charged twice for order 5521", 0),
        ("bot", "Hello! I'm sorry to hear that. Let me connect you to a colleague.", 5),
        ("agent", "Hello, Anna here. How can I help?", 185),
        ("customer", "Hi, like I told the bot, order 5521 was charged twice to my card", 200),
    ))  # fmt: skip
    alone = Conversation("2", "chat", "ru", _chat(
        ("customer", "Где мой заказ?", 0),
        ("bot", "Здравствуйте! Ваш заказ в пути, будет завтра. Спасибо, что написали!", 5),
    ))  # fmt: skip
    first, second = AutoQAPipeline(n_jobs=1).score_conversations([handed, alone])
    assert {"politeness", "empathy", "clarity"} <= set(first.messages[1].results)
    assert first.signals["handover_seconds"].value == 180.0
    repeated = first.signals["customer_repeated"]
    assert repeated.label == "repeated" and repeated.normalised == 0.0
    assert repeated.evidence[0][0] == 3
    # the human greeted: the conversation's greeting is the agent's, not the bot's
    assert first.signals["greeting"].evidence[0][0] == 2
    assert second.signals["handover_seconds"].label == "bot_only"
    assert "customer_repeated" not in second.signals
    assert second.signals["politeness"].value is not None  # the bot owns this one

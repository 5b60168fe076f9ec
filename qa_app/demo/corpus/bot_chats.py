"""Chats a bot answered first, in Russian and English, for the demo (deterministic).

Three endings, as a help desk with a chatbot sees them: the bot solves it alone; the bot
hands over and the person has read the history (the customer goes on); the bot hands over
and the person starts from scratch, so the customer tells the story again. The English bot
is written as an agent named on the bot-author list (as many exports do), the Russian one
with the role ``бот``: both import paths end in role ``bot``. The human agents are the demo
personas of the customer's language, so hand-overs show on their reviews.

Kept apart from the main generator on purpose: the main corpus (and every figure the demo
documents) stays exactly as it was; ``qa_app.demo.seed`` adds these to the same import.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from qa_app.demo.corpus.personas import agents_for
from qa_app.demo.corpus.traffic import iso

BOT_SHARE = 100  # one bot chat per this many conversations of the corpus
BOTS = {"en": ("agent", "Helpdesk Bot"), "ru": ("бот", "Бот Ника")}
ENDINGS = ("alone", "handed_over", "repeated")
ZONES = {"en": timezone(timedelta(hours=0)), "ru": timezone(timedelta(hours=3))}

# (problem, the same problem told again in other words, a different follow-up,
#  the bot's own answer when it solves it, the person's answer)
CASES = {
    "en": (
        ("My card was charged twice for order {n}",
         "Hi, like I told the bot, order {n} was charged twice to my card",
         "When will the money be back on my card?",
         "I can see two payments for order {n}; the second one is cancelled automatically within 3 days.",
         "I'm sorry about that. I have refunded the second charge for order {n}; it will be back within 3 working days."),
        ("I can't log in to my account, it says my password is wrong",
         "I cannot log into my account, it keeps saying the password is wrong",
         "Will I lose my saved addresses?",
         "You can reset your password with the 'Forgot password?' link on the sign-in page.",
         "Thank you for waiting. I have unlocked your account and sent a reset link to your e-mail."),
        ("My parcel for order {n} has not arrived, tracking shows no updates for a week",
         "Hello, the parcel for order {n} still hasn't arrived and tracking hasn't changed in a week",
         "Can you send it by courier instead?",
         "Order {n} is at the sorting centre and will be delivered within 2 days.",
         "I'm sorry for the delay. I have asked the carrier to deliver order {n} tomorrow and will e-mail you the new tracking."),
    ),
    "ru": (
        ("С карты дважды списали деньги за заказ {n}",
         "Здравствуйте, как я уже писал боту: за заказ {n} деньги списали с карты два раза",
         "Когда деньги вернутся на карту?",
         "Вижу два платежа по заказу {n}; второй отменится автоматически в течение 3 дней.",
         "Приношу извинения. Оформил{a} возврат второго списания по заказу {n}, деньги вернутся в течение трёх рабочих дней."),
        ("Не могу войти в личный кабинет, пишет неверный пароль",
         "Не получается войти в личный кабинет, пишет что пароль неверный",
         "Сохранённые адреса не пропадут?",
         "Восстановите пароль по ссылке «Забыли пароль?» на странице входа.",
         "Спасибо, что подождали. Разблокировал{a} вход и отправил{a} ссылку для нового пароля на вашу почту."),
        ("Посылка по заказу {n} не пришла, трек не обновляется неделю",
         "Добрый день, посылка по заказу {n} так и не пришла, трек уже неделю не меняется",
         "Можно отправить курьером?",
         "Заказ {n} в сортировочном центре, доставка в течение двух дней.",
         "Извините за задержку. Попросил{a} перевозчика доставить заказ {n} завтра, новый трек пришлю на почту."),
    ),
}  # fmt: skip
LINES = {
    "en": {
        "bot_hello": "Hello! I'm the virtual assistant. ",
        "bot_try": "Let me check that for you.",
        "customer_person": "That doesn't help, I need a person please",
        "bot_connect": "Of course, I'm connecting you to a colleague now. Please stay in the chat.",
        "human_fresh": "Hello, {name} here. How can I help you today?",
        "human_read": "Hello, {name} here. I've read your conversation with our assistant.",
        "customer_thanks": "Great, thank you",
        "bot_bye": "You're welcome! Have a nice day.",
        "human_bye": "Is there anything else I can help with? Have a nice day!",
    },
    "ru": {
        "bot_hello": "Здравствуйте! Я виртуальный помощник. ",
        "bot_try": "Сейчас проверю.",
        "customer_person": "Не помогло, позовите оператора",
        "bot_connect": "Конечно, передаю диалог оператору. Пожалуйста, оставайтесь в чате.",
        "human_fresh": "Здравствуйте, меня зовут {name}. Чем могу помочь?",
        "human_read": "Здравствуйте, меня зовут {name}. Я прочитал{a} вашу переписку с помощником.",
        "customer_thanks": "Отлично, спасибо",
        "bot_bye": "Пожалуйста! Хорошего дня.",
        "human_bye": "Могу ещё чем-то помочь? Хорошего дня!",
    },
}


class _Chat:
    """Messages with a running clock, in one language."""

    def __init__(self, rng: random.Random, language: str, start: datetime, customer: str):
        self.rng, self.language, self.now, self.customer = rng, language, start, customer
        self.messages: list[dict] = []

    def say(self, role: str, author: str, text: str, after: tuple[int, int]) -> None:
        self.now += timedelta(seconds=self.rng.randint(*after))
        self.messages.append({"role": role, "author": author, "text": text,
                              "sent_at": iso(self.now)})  # fmt: skip

    def from_customer(self, text: str) -> None:
        self.say("customer", self.customer, text, (15, 90))

    def from_bot(self, text: str) -> None:
        role, name = BOTS[self.language]
        self.say(role, name, text, (2, 6))


def bot_chat(rng: random.Random, language: str, ending: str, start: datetime, number: int) -> dict:
    """One bot-answered conversation in the JSONL import format."""
    problem, restated, follow_up, bot_answer, human_answer = rng.choice(CASES[language])
    order = str(rng.randint(10000, 99999))
    lines = LINES[language]
    customer = f"cust-bot-{number:04d}"
    agent = rng.choice(agents_for(language))
    chat = _Chat(rng, language, start, customer)
    chat.messages.append({"role": "customer", "author": customer,
                          "text": problem.format(n=order), "sent_at": iso(start)})  # fmt: skip
    if ending == "alone":
        chat.from_bot(lines["bot_hello"] + bot_answer.format(n=order))
        chat.from_customer(lines["customer_thanks"])
        chat.from_bot(lines["bot_bye"])
    else:
        chat.from_bot(lines["bot_hello"] + lines["bot_try"])
        chat.from_customer(lines["customer_person"])
        chat.from_bot(lines["bot_connect"])
        name = agent.name_for(language).split()[0]
        ending_a = "а" if agent.gender == "f" else ""  # Russian past tense agrees with it
        greeting = lines["human_fresh" if ending == "repeated" else "human_read"]
        chat.say("agent", agent.login, greeting.format(name=name, a=ending_a), (60, 900))
        chat.from_customer((restated if ending == "repeated" else follow_up).format(n=order))
        chat.say("agent", agent.login, human_answer.format(n=order, a=ending_a), (40, 200))
        chat.from_customer(lines["customer_thanks"])
        chat.say("agent", agent.login, lines["human_bye"], (10, 40))
    return {
        "conversation_id": f"demo-bot-{number:04d}",
        "channel": "chat",
        "language": language,
        "started_at": iso(start),
        "customer_id": customer,
        "team": agent.team,
        "tags": ["bot"],
        "status": "resolved",
        "messages": chat.messages,
    }


def bot_chats(seed: int, n_conversations: int, end: date, weeks: int = 12) -> list[dict]:
    """``n_conversations // BOT_SHARE`` bot chats spread over the corpus's weeks, both
    languages and all three endings in turn; the same arguments give the same chats."""
    rng = random.Random(seed * 7919 + 17)
    count = n_conversations // BOT_SHARE
    first_day = end - timedelta(days=7 * weeks - 1)
    out = []
    for number in range(1, count + 1):
        language = ("en", "ru")[number % 2]
        ending = ENDINGS[(number // 2) % len(ENDINGS)]
        day = first_day + timedelta(days=rng.randrange(7 * weeks))
        start = datetime(day.year, day.month, day.day, rng.randint(8, 20), rng.randrange(60),
                         tzinfo=ZONES[language])  # fmt: skip
        out.append(bot_chat(rng, language, ending, start, number))
    return out

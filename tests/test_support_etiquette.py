"""Politeness and rudeness read as support etiquette, in both languages (issue 18, item 1):
questions, instructions and "DM us" are ordinary support, never impolite; blame, dismissal,
sarcasm, shouting, insults (also spelled with masks) and curt answers to an upset customer
are, and every such label shows the words behind it."""

from __future__ import annotations

import pytest

from scoring.pipeline.autoqa import AutoQAPipeline
from scoring.pipeline.conversation import Conversation, Message
from scoring.scorers.politeness import PolitenessScorer

SCORER = PolitenessScorer()

# The examples of real replies wrongly called impolite, and Russian equivalents.
ORDINARY_SUPPORT = [
    "Please DM us a picture of the error you're receiving",
    "What device and OS version are you using?",
    "Do you have our Fios service?",
    "That doesn't sound right. Please tell us more here: https://example.com/help",
    "Send us a DM with your order number.",
    "Restart the router and try again.",
    "Can you follow us so we can DM you?",
    "What is your account email?",
    "Пришлите, пожалуйста, скриншот ошибки.",
    "Какое у вас устройство и версия ОС?",
    "Напишите нам в личные сообщения номер заказа.",
    "Перезагрузите роутер и попробуйте снова.",
    "Подключена ли у вас наша услуга домашнего интернета?",
    "Уточните, пожалуйста, номер договора.",
    "Что-то не так. Расскажите подробнее здесь: https://example.com/help",
]
RUDE = [
    ("Это не к нам, обращайтесь в банк.", "dismissive"),
    ("That's not our problem.", "dismissive"),
    ("Вы сами виноваты, надо было читать инструкцию.", "blame"),
    ("You should have read the manual before buying.", "blame"),
    ("As I already said, the refund takes ten days.", "repetition"),
    ("Wow, great job breaking it again.", "sarcasm"),
    ("Ну конечно, вам виднее.", "sarcasm"),
    ("WHY DIDN'T YOU READ THE EMAIL", "shouting"),
    ("Сколько раз тебе повторять, читай почту", "informal_address"),
    ("Это какая-то х*рня, а не вопрос", "profanity"),
    ("What the f**k is this question", "profanity"),
]


@pytest.mark.parametrize("text", ORDINARY_SUPPORT)
def test_questions_instructions_and_dm_requests_are_never_impolite(text):
    polite, rude = SCORER.score_with_rudeness([text])
    assert polite[0].label in ("neutral", "polite"), (text, polite[0])
    assert rude[0].label == "ok"


def test_sympathy_about_a_compromised_account_is_not_rude():
    text = "I'm sorry to hear this! Sounds like your account may have been compromised."
    ru = "Мне жаль это слышать! Похоже, ваш аккаунт могли взломать."
    polite, rude = SCORER.score_with_rudeness([text, ru])
    assert [r.label for r in rude] == ["ok", "ok"]
    assert [p.label for p in polite] == ["polite", "polite"]


@pytest.mark.parametrize(("text", "rule"), RUDE)
def test_rude_replies_are_impolite_and_say_why(text, rule):
    polite, rude = SCORER.score_with_rudeness([text])
    assert polite[0].label == "impolite", (text, polite[0])
    assert rude[0].label == "rude"
    rules = [e.rule for e in rude[0].evidence]
    assert any(r.startswith(rule) for r in rules), rules
    for e in rude[0].evidence:  # every span points at the words it names
        assert text[e.start : e.end] == e.text and e.text.strip()


def test_a_curt_reply_is_rude_only_to_an_upset_customer():
    replies = ["Нет.", "No.", "Нет.", "Спасибо!"]
    polite, rude = SCORER.score_with_rudeness(replies, upset=[True, True, False, True])
    assert [r.label for r in rude] == ["rude", "rude", "ok", "ok"]
    assert [p.label for p in polite][:3] == ["impolite", "impolite", "neutral"]
    assert [e.rule for e in rude[0].evidence] == ["curt_reply"]


def test_pipeline_catches_a_curt_answer_to_an_angry_customer():
    angry = "Это ужасно, я третий день без интернета, вы издеваетесь?!"
    calm = "Подскажите, пожалуйста, когда придёт заказ?"
    conversations = [
        Conversation("a", "chat", "ru", [Message("customer", angry), Message("agent", "Ждите.")]),
        Conversation("b", "chat", "ru", [Message("customer", calm), Message("agent", "Ждите.")]),
    ]
    first, second = AutoQAPipeline().score_conversations(conversations)
    assert first.messages[1].results["rudeness"].label == "rude"
    assert second.messages[1].results["rudeness"].label == "ok"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # Sincere congratulations are no sarcasm (Russian MultiWOZ / MultiWOZ replies).
        ("Congratulations on your upcoming anniversary! Cambridge offers a variety of "
         "lodging options, what is your price range?", "en"),
        ("Поздравляю с наступающим юбилеем! Кембридж предлагает множество вариантов "
         "проживания, каков ваш ценовой диапазон?", "ru"),
        # «Три» opening a sentence is the numeral "three", not the imperative of «тереть».
        ("В этом районе есть пять колледжей. Три из них можно посетить бесплатно, а два - "
         "за небольшую плату. Каковы ваши предпочтения?", "ru"),
        ("You can book a slot at the Genius Bar in our store.", "en"),
    ],
)  # fmt: skip
def test_sincere_replies_from_public_dialogues_are_not_impolite(text, lang):
    from scoring.pipeline.autoqa import load_scorers

    result = load_scorers()["politeness"].score_texts([text], lang)[0]
    assert result.label != "impolite", [(e.rule, e.text) for e in result.evidence]
    assert not [e for e in result.evidence if e.rule in ("sarcasm", "command")]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Well congratulations, you broke it again.", "en"),
        ("Ну поздравляю, сами всё сломали.", "ru"),
    ],
)
def test_sarcastic_congratulations_still_count(text, lang):
    from scoring.pipeline.autoqa import load_scorers

    result = load_scorers()["politeness"].score_texts([text], lang)[0]
    assert any(e.rule == "sarcasm" for e in result.evidence)


@pytest.mark.parametrize(
    ("text", "lang", "strategy"),
    [
        ("Добро пожаловать, чем еще я могу вам помочь?", "ru", "greeting"),
        ("Welcome to Acme support! How can I help?", "en", "greeting"),
        ("Мне очень жаль, что в этом диапазоне нет гостевых домов.", "ru", "apologizing"),
        ("Мои извинения. Наша система считает только поездки в Кембридж.", "ru", "apologizing"),
        # A sentence-initial "No" answers the customer; it does not negate the apology.
        ("No I'm sorry there are not on a Wednesday.", "en", "apologizing"),
        ("Жаль это слышать! Ближайшая больница находится на Hills Rd.", "ru", "apologizing"),
    ],
)
def test_greetings_and_apologies_found_on_reference_replies(text, lang, strategy):
    from scoring.scorers.politeness import PolitenessScorer

    polite, _rude = PolitenessScorer().score_with_rudeness([text], [lang])
    assert strategy in {e.rule for e in polite[0].evidence}


def test_a_future_obligation_is_an_instruction_and_a_past_one_still_blame():
    """Blame entries are matched on lemmas, and «было»/«будет» share the lemma «быть»:
    «Вам нужно будет связаться с полицией» (you will need to) was called rude."""
    from scoring.scorers.politeness import PolitenessScorer

    texts = ["о нет! Вам нужно будет связаться с полицией по телефону 01223358966.",
             "Вам нужно было сразу позвонить в банк."]  # fmt: skip
    polite, rude = PolitenessScorer().score_with_rudeness(texts, ["ru", "ru"])
    assert polite[0].label != "impolite" and rude[0].label == "ok"
    assert "blame" not in {e.rule for e in polite[0].evidence}
    assert "blame" in {e.rule for e in polite[1].evidence} and rude[1].label == "rude"


def test_you_are_welcome_is_no_greeting_and_not_sorry_stays_negated():
    from scoring.scorers.politeness import PolitenessScorer

    polite, _ = PolitenessScorer().score_with_rudeness(
        ["You're welcome, glad to help.", "I am not sorry at all."], ["en", "en"]
    )
    assert "greeting" not in {e.rule for e in polite[0].evidence}
    assert "apologizing" not in {e.rule for e in polite[1].evidence}

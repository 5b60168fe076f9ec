"""Counterfactual identity test (issue 18, item 7): swapping names, gendered forms and brand
names must not flip any automatic label, and scores may move only within the tolerance."""

from __future__ import annotations

import pytest

from qa_app.demo.corpus.generator import generate_corpus
from scoring.evaluation.counterfactual import (
    SCORE_TOLERANCE,
    flip_report,
    swap_conversation,
    swap_identity,
)
from scoring.pipeline.conversation import Conversation, Message
from scoring.text.gender import fold_gender_ru
from scoring.text.names import replace_names


@pytest.mark.parametrize(
    ("text", "lang", "swapped"),
    [
        ("Здравствуйте, Анна! Я проверил ваш заказ, рад помочь.", "ru",
         "Здравствуйте, Иван! Я проверила ваш заказ, рада помочь."),
        ("Уважаемая Мария, я была рада помочь.", "ru", "Уважаемый Сергей, я был рад помочь."),
        # "вопрос решён" is how anyone writes it: only the speaker's forms change
        ("Я уже обращалась к вам, и вопрос не решён. Ольге передайте.", "ru",
         "Я уже обращался к вам, и вопрос не решён. Андрею передайте."),
        ("Благодарим вас за обращение в Ростелеком.", "ru",
         "Благодарим вас за обращение в Телекомия."),
        ("Hi Emma, Mr Smith said he shipped his order. Thanks for choosing Verizon!", "en",
         "Hi James, Ms Smith said he shipped his order. Thanks for choosing Telecomia!"),
    ],
)  # fmt: skip
def test_swap_changes_only_identity_cues(text, lang, swapped):
    assert swap_identity(text, lang) == swapped


def test_models_read_neither_names_nor_the_speakers_gender():
    assert fold_gender_ru("я была рада, я обращалась, мама пришла") == (
        "я был рад, я обращался, мама пришел"
    )
    assert replace_names("Chris, apologies! Regards, Grace") == "name, apologies! Regards, name"
    assert replace_names("Екатерина, здравствуйте!") == "name, здравствуйте!"


def _demo_sample(n: int) -> list[Conversation]:
    return [
        Conversation(r["conversation_id"], r["channel"], r["language"],
                     [Message(m["role"], m["text"]) for m in r["messages"]])
        for r in generate_corpus(n_conversations=n)
    ]  # fmt: skip


HAND_WRITTEN = [
    Conversation("ru-f", "chat", "ru", [
        Message("customer", "Я уже третий раз пишу, я очень расстроена, заказ так и не пришёл."),
        Message("agent", "Анна, мне очень жаль. Я проверила: посылка у курьера, я рада буду "
                         "помочь, если что-то пойдёт не так."),
        Message("customer", "Спасибо, я получила, всё в порядке. Ольга"),
    ]),
    Conversation("en-f", "chat", "en", [
        Message("customer", "Your colleague said my refund was sent but I never got it. "
                            "Regards, Grace"),
        Message("agent", "Hi Grace, I'm sorry about that, madam! I checked with Mr Brown and "
                         "he confirmed it. Please DM us your order number."),
    ]),
]  # fmt: skip


def test_no_label_flips_on_a_fixed_sample():
    conversations = _demo_sample(60) + HAND_WRITTEN
    report = flip_report(conversations)
    assert report.changed_texts >= 60  # the swap really rewrote the sample
    assert report.flips == []
    assert report.max_score_move <= SCORE_TOLERANCE
    twin = swap_conversation(HAND_WRITTEN[0])
    assert "расстроен," in twin.messages[0].text and "Андрей" in twin.messages[2].text

"""Resolution markers (negation-aware), conversation verdicts and repeat contacts."""

from __future__ import annotations

import pytest

from scoring.scorers.resolution import (
    CATEGORIES,
    ResolutionScorer,
    find_marks,
    repeat_contacts,
    resolution_signals,
    resolve_conversation,
)


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("Спасибо, всё заработало!", "ru", "confirmed"),
        ("Теперь работает, спасибо", "ru", "confirmed"),
        ("Нет, не заработало.", "ru", "unresolved"),
        ("Всё ещё не работает", "ru", "unresolved"),
        ("Вы не ответили на мой вопрос", "ru", "unresolved"),
        ("Это не помогло", "ru", "unresolved"),
        ("That fixed it, thanks!", "en", "confirmed"),
        ("It works now", "en", "confirmed"),
        ("That didn't fix it", "en", "unresolved"),
        ("No, it's not working now", "en", "unresolved"),
        ("It is still broken", "en", "unresolved"),
        ("Деньги вернутся в течение 3 рабочих дней.", "ru", "next_steps"),
        ("You'll receive an email within 2 business days.", "en", "next_steps"),
        ("Next, please restart the app.", "en", "next_steps"),
        ("Я передам ваш вопрос коллегам из технического отдела.", "ru", "escalation"),
        ("Позовите руководителя!", "ru", "escalation"),
        ("Let me escalate this to my supervisor.", "en", "escalation"),
        ("Какая сегодня погода?", "ru", "none"),
        # the request is met (MultiWOZ closings); a leading "no" answers "anything else?"
        ("No thanks that's all I need.", "en", "confirmed"),
        ("No, I have all the information I need. Thanks.", "en", "confirmed"),
        ("You were very helpful, thank you!", "en", "confirmed"),
        ("That's not all I need, I also want a taxi.", "en", "none"),
        ("Нет спасибо это все что мне нужно", "ru", "confirmed"),
        ("Сейчас мне больше ничего не нужно. Спасибо.", "ru", "confirmed"),
        ("У меня есть вся необходимая информация.", "ru", "confirmed"),
        ("Это не все, что мне нужно.", "ru", "none"),
    ],
)
def test_message_labels(text, lang, label):
    assert find_marks(text, lang).label == label


def test_negated_confirmation_is_evidence_of_unresolved_with_exact_span():
    text = "Увы, не заработало."
    marks = find_marks(text, "ru")
    assert marks.unresolved and not marks.confirmed
    (evidence,) = marks.evidence
    assert text[evidence.start : evidence.end] == evidence.text
    english = find_marks("Sadly it did not work.", "en")
    assert english.unresolved and not english.confirmed


def test_scorer_contract_and_flags():
    scorer = ResolutionScorer()
    texts = ["Спасибо, всё заработало", "It is still broken", "Hello"]
    results = scorer.score_texts(texts)
    assert [r.label for r in results] == ["confirmed", "unresolved", "none"]
    assert [r.score for r in results] == [1.0, -1.0, 0.0]
    flags = scorer.predict_flags(texts)
    assert flags.shape == (3, len(CATEGORIES))
    assert flags[0, CATEGORIES.index("confirmed")] and flags[1, CATEGORIES.index("unresolved")]


def test_the_customers_last_word_decides():
    roles = ["customer", "agent", "customer", "agent", "customer"]
    texts = [
        "Не приходит код.",
        "Перезагрузите телефон, мы пришлём новый код в течение 5 минут.",
        "Спасибо, всё заработало!",
        "Рада помочь!",
        "Хотя нет, опять не приходит код, всё ещё не работает.",
    ]
    verdict = resolve_conversation(roles, [find_marks(t, "ru") for t in texts])
    assert verdict.status == "unresolved" and not verdict.confirmed and verdict.next_steps
    verdict = resolve_conversation(roles[:4], [find_marks(t, "ru") for t in texts[:4]])
    assert verdict.status == "resolved"


def test_resolution_signals_flags_and_normalised_values():
    roles = ["customer", "agent", "customer", "agent"]
    texts = [
        "Hi, my refund never arrived.",
        "Hello! Sorry for the wait. You will receive the refund within 3 business days.",
        "Ok.",
        "Have a nice day!",
    ]
    signals = {s.name: s for s in resolution_signals(roles, [find_marks(t, "en") for t in texts])}
    assert signals["next_steps"].value == 1.0
    assert signals["greeting"].value == 1.0 and signals["closing"].value == 1.0
    assert signals["apology"].value == 1.0
    assert signals["resolution_confirmed"].normalised == 0.5  # neither confirmed nor denied
    assert signals["next_steps"].evidence[0][0] == 1


def test_repeat_contacts_within_seven_days_time_zones_and_unknown_customers():
    rows = [
        ("a", "u1", "2026-03-01T23:30:00+03:00"),  # 20:30 UTC
        ("b", "u1", "2026-03-08T20:00:00+00:00"),  # 6.98 days later: repeat
        ("c", "u1", "2026-03-20T10:00:00+00:00"),  # 11.6 days later: not a repeat
        ("d", None, "2026-03-02T10:00:00+00:00"),
        ("e", None, "2026-03-02T11:00:00+00:00"),  # unknown customers never match
        ("f", "u2", "2026-03-02T10:00:00+00:00"),
    ]
    frame = repeat_contacts(rows, within_days=7).set_index("conversation_id")
    assert bool(frame.loc["b", "is_repeat"]) and frame.loc["b", "previous_conversation_id"] == "a"
    assert frame.loc["b", "days_since_previous"] == pytest.approx(167.5 / 24)
    assert bool(frame.loc["a", "followed_by_repeat"])
    assert not frame.loc["c", "is_repeat"] and not frame.loc["b", "followed_by_repeat"]
    assert not frame.loc[["d", "e", "f"], "is_repeat"].any()
    assert not frame.loc[["d", "e", "f"], "followed_by_repeat"].any()


ANSWERED = [
    ("The phone number is 01223 362456.", "en"),
    ("TR0718 leaves at 10:07 and costs 8.08 pounds.", "en"),
    ("I've booked it, your reference number is 2VH8SLVO.", "en"),
    ("Your refund has been processed.", "en"),
    ("You can reset it in Settings. Go to Settings and tap Reset.", "en"),
    ("Shall I book it for 7 pm?", "en"),
    ("I'd recommend the Gonville Hotel.", "en"),
    ("Номер телефона: 8 (800) 555-35-35.", "ru"),
    ("Бронирование прошло успешно, справочный номер EEJF27IZ.", "ru"),
    ("Я оформил возврат, деньги уже в пути.", "ru"),
    ("Вы можете сбросить пароль в настройках.", "ru"),
    ("Нажмите «Забыли пароль» на странице входа.", "ru"),
    ("Хотите, чтобы я забронировал столик?", "ru"),
    ("The number is 01223 336 6611, anything else?", "en"),  # the comma ends the answer
]
NOT_ANSWERED = [
    ("What device and OS version are you using?", "en"),
    ("One moment, let me check.", "en"),
    ("There are 21 hotels in the north.", "en"),
    ("What time would you like me to book the table for?", "en"),
    ("So a table for 2 at 7:30 pm today?", "en"),  # read back, not answered
    ("Please confirm: a table for 2 at Meiko Sushi at 7:15 pm today.", "en"),
    ("Please contact us again if you need anything. Goodbye!", "en"),
    ("Your phone is not charging?", "en"),
    ("Какой у вас номер заказа?", "ru"),
    ("Минуточку, уточняю.", "ru"),
    ("На какое время вы хотите забронировать столик?", "ru"),
    ("Если что-то понадобится, свяжитесь с нами снова. Хорошего дня!", "ru"),
    ("Столик на двоих на 19:30, всё верно?", "ru"),
]


@pytest.mark.parametrize(("text", "lang"), ANSWERED)
def test_a_concrete_answer_is_found_in_an_agent_reply(text, lang):
    marks = find_marks(text, lang)
    assert marks.answer, text
    assert all(text[e.start : e.end] == e.text for e in marks.evidence)


@pytest.mark.parametrize(("text", "lang"), NOT_ANSWERED)
def test_questions_holds_readbacks_and_closings_are_not_answers(text, lang):
    assert not find_marks(text, lang).answer, text


def test_the_resolves_signal_points_at_the_agents_answers():
    roles = ["customer", "agent", "customer", "agent"]
    texts = ["Where is it?", "It is located at 5 Greens Road.", "Thanks", "Goodbye!"]
    marks = [find_marks(t, "en") for t in texts]
    signals = {s.name: s for s in resolution_signals(roles, marks)}
    resolves = signals["resolves"]
    assert resolves.value == 1.0 and resolves.normalised == 1.0
    assert {i for i, _ in resolves.evidence} == {1}
    silent = [find_marks(t, "en") for t in ["Where is it?", "Let me check.", "Thanks", "Bye"]]
    assert {s.name: s for s in resolution_signals(roles, silent)}["resolves"].value == 0.0
    promised = [find_marks(t, "en") for t in ["Where is it?", "We'll email you within 2 days.",
                                               "Thanks", "Bye"]]  # fmt: skip
    assert {s.name: s for s in resolution_signals(roles, promised)}["resolves"].value == 1.0


@pytest.mark.parametrize(
    ("text", "lang", "kind"),
    [
        ("Yes, it has free parking.", "en", "answer"),
        ("No, they don't deliver on Sundays.", "en", "answer"),
        ("Да, у них есть бесплатная парковка.", "ru", "answer"),
        ("OK, I have let my manager know, they will give you a call.", "en", "next_steps"),
        ("С вами свяжется специалист.", "ru", "next_steps"),
    ],
)
def test_short_answers_and_promises_by_others_count(text, lang, kind):
    assert kind in find_marks(text, lang).found, text


def test_a_yes_that_only_counts_results_is_not_an_answer():
    assert not find_marks("Yes, we have dozens of trains. Where are you leaving from?", "en").answer


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("It is currently in progress and will reach your card soon.", "en"),
        ("All promo codes expire after 7 days.", "en"),
        ("Delivery takes 3-5 business days.", "en"),
        ("Заказ уже передан в доставку.", "ru"),
        ("Доставка займёт 3 рабочих дня.", "ru"),
    ],
)
def test_an_order_status_or_a_duration_answers(text, lang):
    assert find_marks(text, lang).answer, text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("It left our warehouse on March 3 and should reach you by Friday.", "en"),
        ("I can see there is an outage in your area, engineers expect it fixed by six.", "en"),
        ("The technician will arrive between 8 and 12 tomorrow.", "en"),
        ("Заказ 5521 сегодня передан курьеру, доставка ожидается 14 марта.", "ru"),
        ("Посылка задержалась на сортировочном складе в Казани.", "ru"),
        ("В вашем районе авария, связь восстановят до 18:00.", "ru"),
    ],
)
def test_a_status_an_arrival_time_or_a_known_outage_answers(text, lang):
    """E-mail and phone replies tell the customer where the order is and when it comes, or
    that an outage explains the fault: the request is answered."""
    assert find_marks(text, lang).answer, text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("When should the package arrive?", "en"),
        ("Is there an outage in your area too?", "en"),
        ("Когда ожидается доставка 14 марта или позже?", "ru"),
    ],
)
def test_asking_about_a_status_is_not_answering(text, lang):
    assert not find_marks(text, lang).answer, text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("If it doesn't arrive, I'll send a replacement right away.", "en"),
        ("I'll escalate this to our billing team.", "en"),
        ("Если заказ не придёт, мы оформим возврат средств.", "ru"),
        ("Мы заменим товар за наш счёт.", "ru"),
    ],
)
def test_a_specific_commitment_is_a_next_step(text, lang):
    assert "next_steps" in find_marks(text, lang).found, text

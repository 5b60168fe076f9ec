"""Languages outside Russian and English: detected per message and per conversation, stored
as their ISO code through the real import, and left unscored by AutoQA (issue 18, item 3)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from qa_app.services.actor import SYSTEM
from qa_app.services.autoqa import scoring_runs as autoscoring
from qa_app.services.imports import ImportOptions, import_file
from qa_app.storage import db as storage_db
from qa_app.storage.models import AutoScore, AutoScoreRun, Conversation
from scoring.pipeline.autoqa import AutoQAPipeline
from scoring.pipeline.conversation import Conversation as ScoredConversation
from scoring.pipeline.conversation import Message as ScoredMessage
from scoring.text.identify import (
    conversation_languages,
    identify_language,
    is_supported,
    message_languages,
)

GERMAN = [
    ("customer", "Hallo, mein Paket ist seit einer Woche nicht angekommen. Was ist da los?"),
    ("agent", "Das tut mir leid! Ich schaue mir Ihre Bestellung sofort an."),
    ("customer", "Danke"),
    ("agent", "Ihr Paket wurde heute erneut verschickt und kommt morgen an."),
]
SPANISH = [
    ("customer", "Hola, mi pedido no ha llegado todavía, ¿pueden ayudarme por favor?"),
    ("agent", "¡Hola! Lamentamos el retraso. Su pedido llegará mañana por la mañana."),
]
JAPANESE = [
    ("customer", "注文した商品がまだ届いていません。確認してもらえますか。"),
    ("agent", "ご不便をおかけして申し訳ございません。すぐに確認いたします。"),
]
ITALIAN = [
    ("customer", "Buongiorno, il mio ordine non è ancora arrivato."),
    ("agent", "Ci scusiamo per il ritardo, il pacco arriverà domani."),
]
ENGLISH = [
    ("customer", "My order still has not arrived and I am really upset about it."),
    ("agent", "I'm sorry to hear that! Let me check the tracking for you right away."),
]
# A German customer answered in English: the agent's replies are scored, the customer's not.
MIXED = [
    ("customer", "Hallo, ich kann mich seit gestern nicht mehr in mein Konto einloggen."),
    ("agent", "Hello! Sorry for the trouble. Could you tell me the email on your account?"),
    ("customer", "Es ist die Adresse, die ich immer benutze, bitte helfen Sie mir schnell."),
    ("agent", "Thank you, I have reset your password and sent you a link to sign in."),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wir haben Ihr Paket heute verschickt, es kommt morgen an.", "de"),
        ("Hola, mi pedido no ha llegado todavía, ¿pueden ayudarme?", "es"),
        ("ご注文ありがとうございます。確認いたします。", "ja"),
        ("Здравствуйте, заказ уже в пути, скоро приедет.", "ru"),
        ("Замовлення вже відправлено, дякуємо за очікування.", "uk"),
        ("Please DM us a picture of the error you're receiving", "en"),
        ("What device and OS version are you using?", "en"),
    ],
)
def test_one_message_is_named_by_its_iso_code(text, expected):
    assert identify_language(text) == expected


@pytest.mark.parametrize("text", ["ok", "Danke!", "👍", "https://example.com/x?id=7", ""])
def test_short_messages_are_left_undecided(text):
    assert identify_language(text) is None


def test_short_messages_inherit_their_authors_language():
    roles = [role for role, _ in GERMAN]
    conversation, langs = conversation_languages([t for _, t in GERMAN], roles)
    assert conversation == "de"
    assert langs == ["de", "de", "de", "de"]  # "Danke" took the customer's German


def test_mixed_conversation_keeps_each_side_in_its_language():
    roles = [role for role, _ in MIXED]
    texts = [t for _, t in MIXED]
    _, langs = conversation_languages(texts, roles)
    assert langs == ["de", "en", "de", "en"]
    # Stored as English (the agent's language here), the German messages are still found.
    assert message_languages(texts, "en", roles) == ["de", "en", "de", "en"]


def test_only_russian_and_english_are_supported():
    assert is_supported("ru") and is_supported("en")
    assert not any(is_supported(code) for code in ("de", "es", "ja", "uk", None))


def _conversation(cid, turns, language=None):
    return ScoredConversation(
        cid, "chat", language, [ScoredMessage(role, text) for role, text in turns]
    )


def test_pipeline_leaves_unsupported_text_unscored():
    pipeline = AutoQAPipeline()
    german, mixed, english = pipeline.score_conversations(
        [_conversation("de", GERMAN, "de"), _conversation("mix", MIXED, "en"),
         _conversation("en", ENGLISH, "en")]
    )  # fmt: skip
    assert german.language == "de"
    assert all(not m.results for m in german.messages)
    assert {m.lang for m in german.messages} == {"de"}
    text_signals = ("politeness", "rudeness", "empathy", "greeting", "resolution_confirmed")
    assert all(
        german.signals[name].value is None for name in text_signals if name in german.signals
    )
    assert "first_response_sla" in german.signals or german.signals  # timing still measured
    scored = {m.index: m.results for m in mixed.messages}
    assert not scored[0] and not scored[2]  # the German customer turns
    assert "politeness" in scored[1] and "politeness" in scored[3]
    assert all(m.results for m in english.messages)


def _record(cid, turns, **extra):
    return {
        "conversation_id": cid,
        "channel": "chat",
        **extra,
        "messages": [
            {"role": role, "text": text, "sent_at": f"2026-03-02T09:0{i}:00+00:00",
             **({"author": "m.keller"} if role == "agent" else {})}
            for i, (role, text) in enumerate(turns)
        ],
    }  # fmt: skip


def test_import_stores_the_language_and_autoqa_skips_it(db_url, tmp_path):
    path = tmp_path / "multilingual.jsonl"
    records = [
        _record("de-1", GERMAN), _record("es-1", SPANISH), _record("ja-1", JAPANESE),
        _record("en-1", ENGLISH), _record("mix-1", MIXED),
        _record("it-1", ITALIAN, language="it"),  # a stated ISO code is kept as it is
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    with storage_db.unit_of_work(db_url) as session:
        summary = import_file(session, path, options=ImportOptions())
    assert summary.imported == 6 and not summary.rejected_rows
    with storage_db.unit_of_work(db_url) as session:
        stored = dict(
            session.execute(select(Conversation.external_id, Conversation.language)).all()
        )
    assert stored == {
        "de-1": "de", "es-1": "es", "ja-1": "ja", "en-1": "en", "mix-1": "de", "it-1": "it"
    }  # fmt: skip
    with storage_db.unit_of_work(db_url) as session:
        autoscoring.score_conversations(session, SYSTEM, pipeline=AutoQAPipeline())
    with storage_db.unit_of_work(db_url) as session:
        ids = dict(session.execute(select(Conversation.external_id, Conversation.id)).all())
        tasks = {
            cid: set(
                session.scalars(
                    select(AutoScore.task).where(
                        AutoScore.conversation_id == cid, AutoScore.message_id.is_not(None)
                    )
                )
            )
            for cid in ids.values()
        }
        runs = session.scalar(select(AutoScoreRun.conversation_id).limit(1))
    assert runs is not None
    for cid in ("de-1", "es-1", "ja-1", "it-1"):
        assert tasks[ids[cid]] == set(), cid
    assert {"politeness", "sentiment"} <= tasks[ids["en-1"]]
    assert "politeness" in tasks[ids["mix-1"]]  # the English agent replies in a German chat
    assert "sentiment" not in tasks[ids["mix-1"]]  # the German customer turns are not read


def test_an_unknown_language_name_is_refused_with_what_is_accepted(db_url, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(_record("x-1", ENGLISH, language="klingon")) + "\n")
    with storage_db.unit_of_work(db_url) as session:
        summary = import_file(session, path, options=ImportOptions())
    assert summary.imported == 0 and summary.rejected_rows


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Language DE: not supported for automatic scoring"),
        ("ru", "Язык DE: не поддерживается автоматической оценкой"),
    ],
)
def test_review_page_marks_an_unsupported_language_and_still_grades(sqlite_url, lang, said):
    from review_fixtures import seed_workflow
    from ui_harness import run_page, visible_text

    from qa_app.services.sampling import plans as sampling
    from qa_app.ui.review_form import state_key

    flow = seed_workflow(sqlite_url, conversations=2)
    with storage_db.unit_of_work(sqlite_url) as session:
        session.get(Conversation, flow.conversation_ids[0]).language = "de"
        assignment = sampling.assign_conversation(
            session, flow.lead, flow.conversation_ids[0], "rev1"
        )
    with storage_db.unit_of_work(sqlite_url) as session:  # scored: it has a run, no labels
        autoscoring.score_conversations(session, SYSTEM, pipeline=AutoQAPipeline())
    at = run_page("review", "reviewer", sqlite_url, lang=lang, username="rev1")
    assert not at.exception
    assert said in visible_text(at)
    # No empty automatic suggestion ("Automatic suggestion: —") beside a criterion either.
    assert not [c.value for c in at.caption if c.value.startswith(":material/smart_toy:")]
    at.radio(key=state_key(assignment, "politeness", "v")).set_value(2).run()
    assert not at.exception  # a reviewer still grades it


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            "2 conversations are in a language not supported for automatic scoring (DE 1, JA 1)",
        ),
        (
            "ru",
            "Разговоров на языке, который не поддерживается автоматической оценкой: 2 (DE 1, JA 1)",
        ),
    ],
)
def test_autoqa_page_counts_conversations_left_unscored(sqlite_url, lang, said):
    from ui_harness import run_page, seed_conversations, visible_text

    ids = seed_conversations(sqlite_url, count=4)
    with storage_db.unit_of_work(sqlite_url) as session:
        session.get(Conversation, ids[0]).language = "de"
        session.get(Conversation, ids[1]).language = "ja"
    at = run_page("autoqa", "lead", sqlite_url, lang=lang, timeout=180)
    assert not at.exception
    assert said in visible_text(at)


def test_short_replies_of_a_german_customer_in_an_english_chat_stay_german():
    """BConTrasT (WMT 2020 chat task): the customer writes German, the agent English. Too
    short to identify, "Ja, bitte" and "Okay." take the customer's German; the agent's
    short "ok." and a customer's single foreign line leave English alone."""
    texts = [
        "hello. how can i help you?",
        "Hallo, ich möchte heute Abend zwei Karten für den neuen Film kaufen.",
        "sure. which cinema?",
        "So bald wie möglich, am besten die nächste Vorstellung heute Abend.",
        "ok.",
        "Ja, bitte",
        "the tickets will be sent to your phone shortly.",
        "Okay.",
    ]
    roles = ["agent", "customer"] * 4
    assert message_languages(texts, "en", roles) == [
        "en", "de", "en", "de", "en", "de", "en", "de"
    ]  # fmt: skip
    one_line = ["Hi", "ok thanks", "Danke schön, das ist alles für heute und vielen Dank", "yes"]
    assert message_languages(one_line, "en", ["agent", "customer", "customer", "customer"]) == [
        "en", "en", "de", "en"
    ]  # fmt: skip

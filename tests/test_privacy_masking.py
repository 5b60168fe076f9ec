"""Masking configured on every import path, the count kept per conversation, hard cases.

The detectors themselves are pinned in ``test_masking.py``; here: what reaches the
database through the CLI (``--masking-config``) and the Import page (kinds and own
patterns from the form), on SQLite and PostgreSQL, and the texts where masking most
easily goes wrong (phone-shaped digits inside order numbers, Cyrillic glued to e-mails).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from ui_harness import make_user, signed_in_entries

from qa_app.cli import cli
from qa_app.ingest.masking import Masker
from qa_app.services import imports
from qa_app.services.errors import InvalidInput
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import Conversation
from qa_app.ui import context

HEADER = "conversation_id,channel,sent_at,role,author,text,language,customer_id\n"
ROWS = (
    'm-1,chat,2026-03-02T09:00:00+03:00,customer,c1,"Пишите на ivan.petrov@yandex.ru,спасибо. '
    'Телефон +7 (916) 123-45-67, договор ДГ-123456",ru,c1\n'
    'm-1,chat,2026-03-02T09:01:00+03:00,agent,a.petrova,"Заказ №79161234567001 найден",ru,c1\n'
    'm-2,chat,2026-03-02T10:00:00+03:00,customer,c2,"Order 4111111111111112 is late",en,c2\n'
)


@pytest.fixture(autouse=True)
def _no_masking_settings(monkeypatch):
    monkeypatch.delenv("QA_STUDIO_MASK", raising=False)
    monkeypatch.delenv("QA_STUDIO_MASKING_CONFIG", raising=False)


def _stored(url: str) -> dict[str, tuple[dict, list[str]]]:
    with unit_of_work(url) as session:
        rows = session.scalars(select(Conversation).order_by(Conversation.external_id)).all()
        return {c.external_id: (c.masked_items, [m.text for m in c.messages]) for c in rows}


def test_cli_masking_config_is_applied_and_counted_per_conversation(db_url, tmp_path):
    data = tmp_path / "chats.csv"
    data.write_text(HEADER + ROWS, encoding="utf-8")
    config = tmp_path / "masking.yaml"
    config.write_text(
        "masking:\n  custom:\n    - name: contract\n      pattern: 'ДГ-\\d{6}'\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli, ["--db", db_url, "import", "--masking-config", str(config), str(data)]
    )
    assert result.exit_code == 0, result.output
    stored = _stored(db_url)
    assert stored["m-1"][0] == {"email": 1, "phone": 1, "contract": 1}
    assert stored["m-1"][1] == [
        "Пишите на [email],спасибо. Телефон [phone], договор [masked]",
        "Заказ №79161234567001 найден",
    ]
    assert stored["m-2"] == ({}, ["Order 4111111111111112 is late"])  # fails Luhn: kept


def test_without_masking_the_count_is_empty_and_text_kept(db_url, tmp_path):
    data = tmp_path / "chats.csv"
    data.write_text(HEADER + ROWS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", db_url, "import", str(data)])
    assert result.exit_code == 0, result.output
    masked, texts = _stored(db_url)["m-1"]
    assert masked == {} and "ivan.petrov@yandex.ru" in texts[0]


def _page_upload(data: bytes, kinds: list[str], custom: str) -> None:
    from qa_app.services import imports
    from qa_app.ui import context
    from qa_app.ui.screens import import_page

    context.resolve_actor()
    config = imports.masking_settings(kinds, custom)
    result = import_page.import_upload("chats.csv", data, "UTC", "import", config)
    if result is not None:
        import_page.render_result(result)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_page_masks_the_kinds_ticked_and_own_patterns(sqlite_url, lang):
    actor = make_user(sqlite_url, "lead", lang=lang)
    data = (HEADER + ROWS).encode("utf-8")
    at = AppTest.from_function(
        _page_upload, args=(data, ["email"], "contract: ДГ-\\d{6}"), default_timeout=60
    )
    at.session_state[context.SESSION_DB] = sqlite_url
    for key, value in signed_in_entries(sqlite_url, actor).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    masked, texts = _stored(sqlite_url)["m-1"]
    assert masked == {"email": 1, "contract": 1}  # phones were not ticked
    assert "+7 (916) 123-45-67" in texts[0] and "[email]" in texts[0]
    infos = " ".join(str(i.value) for i in at.info)
    expected = "e-mail" if lang == "en" else "почт"
    assert expected in infos.lower()


def test_page_form_refuses_a_broken_pattern_with_the_reason():
    with pytest.raises(InvalidInput) as caught:
        imports.masking_settings(["email"], "contract: ДГ-(\\d+")
    assert "not a valid regular expression" in caught.value.params["detail"]
    with pytest.raises(InvalidInput):
        imports.masking_settings(["emails"], "")


MASKER = Masker()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # phone-shaped digits inside order and tracking numbers stay
        ("заказ №79161234567001 оформлен", "заказ №79161234567001 оформлен"),
        ("номер заказа 8916123456701", "номер заказа 8916123456701"),
        ("заказ ORD-89161234567 готов", "заказ ORD-89161234567 готов"),
        ("order #8-916-123-45-67-2 shipped", "order #8-916-123-45-67-2 shipped"),
        ("трек RA891612345RU", "трек RA891612345RU"),
        # ... while a real phone beside an order number goes
        ("заказ 123456, тел. 8 916 123-45-67", "заказ 123456, тел. [phone]"),
        # Cyrillic glued to e-mails on both sides
        ("Почта:ivan@mail.ru—жду ответа", "Почта:[email]—жду ответа"),
        ("напишите(ivan.petrov@yandex.ru)пожалуйста", "напишите([email])пожалуйста"),
        ("e-mail «anna_k@gmail.com»", "e-mail «[email]»"),
        ("адрес иван.петров@почта.рф.", "адрес [email]."),
    ],
)
def test_hard_cases(text, expected):
    assert MASKER.mask(text).text == expected

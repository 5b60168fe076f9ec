"""Masking personal data: what each detector must catch, what it must leave alone, the
configuration file, and masking inside the readers (before the content hash)."""

from __future__ import annotations

import json
import string
from datetime import UTC

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.ingest import (
    Masker,
    MaskingConfig,
    MaskingConfigError,
    ParsedConversation,
    inspect_file,
    read_conversations,
)
from qa_app.ingest.masking import (
    CustomPattern,
    load_masking_config,
    luhn_valid,
    masking_config_from_mapping,
    masking_enabled_by_default,
)

MASKER = Masker()


def masked(text: str) -> str:
    return MASKER.mask(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("пишите на ivan@mail.ru,спасибо", "пишите на [email],спасибо"),
        ("пишитеivan.petrov@mail.ruспасибо", "пишите[email]спасибо"),
        ("адрес: Ivan.Petrov+shop@sub.example.co.uk.", "адрес: [email]."),
        ("почта иван@почта.рф, жду", "почта [email], жду"),
        ("иван@почта.рфспасибо", "[email]спасибо"),
    ],
)
def test_email_is_masked_without_eating_cyrillic_around_it(text, expected):
    assert masked(text) == expected


@pytest.mark.parametrize(
    "phone",
    [
        "+7 916 123-45-67",
        "+7 (916) 123-45-67",
        "+79161234567",
        "8 (916) 123-45-67",
        "8-916-123-45-67",
        "89161234567",
        "8 916 123 45 67",
        "8-800-555-35-35",
        "(495) 123-45-67",
        "916 123-45-67",
        "+44 20 7946 0958",
        "+1 (415) 555-2671",
        "+49 30 901820",
    ],
)
def test_phone_numbers_in_russian_and_international_formats(phone):
    result = MASKER.mask(f"звоните: {phone}, до 18:00")
    assert result.text == "звоните: [phone], до 18:00"
    assert result.counts == {"phone": 1}


@pytest.mark.parametrize(
    "text",
    [
        "заказ №1234567890123 оформлен",
        "заказ 1234567890123 оформлен",
        "заказ #89161234567 оформлен",
        "доставка 12.03.2026 в 14:30",
        "создан 2026-03-02 09:15:00",
        "итого 1 250 000 руб.",
        "итого 8 916 123 45 67 руб",
        "итого 1 250 000 000 ₽",
        "сервер 192.168.100.254, шлюз 10.0.0.1",
        "ссылка https://shop.example.ru/orders/89161234567?card=4111111111111111",
        "см. www.example.com/track/79161234567",
        "номер отправления 80081234567890",
        "Звоните в рабочие часы, мы ответим.",
    ],
)
def test_numbers_that_are_not_personal_data_stay(text):
    assert MASKER.mask(text) == (text, {})


@pytest.mark.parametrize(
    "card",
    ["4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5500 0000 0000 0004",
     "2200 0000 0000 0004", "3782 822463 10005"],
)  # fmt: skip
def test_card_numbers_with_spaces_or_dashes(card):
    result = MASKER.mask(f"карта {card}, спишите")
    assert result.text == "карта [card], спишите"
    assert result.counts == {"card": 1}


def test_sixteen_digits_failing_luhn_stay_and_luhn_is_the_reason():
    assert not luhn_valid("4111111111111112")
    assert luhn_valid("4111111111111111")
    assert masked("заказ 4111111111111112 и 4111 1111 1111 1112") == (
        "заказ 4111111111111112 и 4111 1111 1111 1112"
    )


def test_a_card_is_found_inside_a_longer_run_of_groups():
    text = "+7 916 123 45 67 карта 4111 1111 1111 1111 2 шт"
    assert masked(text) == "[phone] карта [card] 2 шт"


def test_luhn_valid_number_starting_like_no_card_stays():
    assert luhn_valid("1234567812345670")
    assert masked("артикул 1234567812345670") == "артикул 1234567812345670"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("паспорт 45 06 123456 выдан", "паспорт [passport] выдан"),
        ("Паспорт: 4506 123456", "Паспорт: [passport]"),
        ("паспорта 4506123456", "паспорта [passport]"),
        ("серия 4506 номер 123456", "серия [passport]"),
        ("загранпаспорт 75 1234567", "загранпаспорт [passport]"),
        ("my passport number is AB1234567.", "my passport number is [passport]."),
    ],
)
def test_passport_numbers_after_a_passport_word(text, expected):
    assert masked(text) == expected


def test_passport_shaped_numbers_without_the_word_stay():
    assert masked("код 4506 123456 и 45 06 123456") == "код 4506 123456 и 45 06 123456"


def test_counts_per_kind_in_mixed_text():
    text = "ivan@mail.ru, +7 916 123-45-67, 8 916 765 43 21, карта 4111 1111 1111 1111"
    result = MASKER.mask(text)
    assert result.text == "[email], [phone], [phone], карта [card]"
    assert result.counts == {"email": 1, "phone": 2, "card": 1}


def test_kinds_can_be_switched_off():
    masker = Masker(MaskingConfig(email=False, card=False))
    text = "ivan@mail.ru 4111 1111 1111 1111 +7 916 123-45-67"
    assert masker.mask(text).text == "ivan@mail.ru 4111 1111 1111 1111 [phone]"


def test_custom_patterns_run_after_the_built_in_ones():
    config = MaskingConfig(
        custom=(
            CustomPattern("contract", r"ДГ-\d{6}"),
            CustomPattern("loyalty", r"\bLC\d{8}\b", "[loyalty]"),
        )
    )
    result = Masker(config).mask("договор ДГ-123456, карта лояльности LC12345678, ivan@mail.ru")
    assert result.text == "договор [masked], карта лояльности [loyalty], [email]"
    assert result.counts == {"contract": 1, "loyalty": 1, "email": 1}


_TEXT = st.text(
    alphabet=st.sampled_from(
        list(string.ascii_letters + string.digits + " .,:-+()@#№/\n")
        + list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВПРС")
    ),
    max_size=120,
)
_PII = st.sampled_from(
    ["ivan@mail.ru", "+7 916 123-45-67", "89161234567", "4111 1111 1111 1111",
     "паспорт 45 06 123456", "8 (495) 123-45-67", "заказ №1234567890123"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_TEXT, _PII), max_size=6).map(" ".join))
def test_masking_is_idempotent(text):
    once = masked(text)
    assert masked(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",), blacklist_characters="@")))
def test_text_without_digits_or_at_sign_is_unchanged(text):
    assert MASKER.mask(text) == (text, {})


# --- configuration ---------------------------------------------------------------------


def test_config_file_sets_kinds_and_custom_patterns(tmp_path):
    path = tmp_path / "masking.yaml"
    path.write_text(
        "masking:\n  passport: false\n  customer_name: false\n  custom:\n"
        "    - name: contract\n      pattern: 'ДГ-\\d{6}'\n    - 'INV\\d+'\n",
        encoding="utf-8",
    )
    config = load_masking_config(path)
    assert config.passport is False and config.customer_name is False and config.email
    assert config.custom == (
        CustomPattern("contract", r"ДГ-\d{6}"),
        CustomPattern("custom", r"INV\d+"),
    )


def test_config_path_comes_from_the_environment(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("phone: false\n", encoding="utf-8")
    assert load_masking_config(env={"QA_STUDIO_MASKING_CONFIG": str(path)}).phone is False
    assert load_masking_config(env={}) == MaskingConfig()


def test_invalid_custom_pattern_is_a_clear_error():
    data = {
        "custom": [{"name": "ok", "pattern": "a+"}, {"name": "contract", "pattern": "ДГ-(\\d{6}"}]
    }
    with pytest.raises(MaskingConfigError) as caught:
        masking_config_from_mapping(data, "masking.yaml")
    message = caught.value.describe("en")
    assert message.startswith(
        'masking: custom pattern #2 "contract" is not a valid regular expression:'
    )
    assert "missing ), unterminated subpattern at position 3" in message
    assert "шаблон №2 «contract»" in caught.value.describe("ru")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"phones": True}, 'unknown setting "phones" in cfg'),
        ({"email": "sometimes"}, 'setting "email" in cfg must be true or false, got "sometimes"'),
        ({"custom": "ДГ-\\d+"}, '"custom" in cfg must be a list of patterns'),
        ({"custom": [{"name": "x"}]}, 'custom pattern #1 in cfg needs a "pattern"'),
        (
            {"custom": [{"name": "anything", "pattern": "a*"}]},
            'pattern #1 "anything" matches empty',
        ),
        (["email"], "cfg must be a mapping of settings"),
    ],
)
def test_config_mistakes_say_what_and_where(data, fragment):
    with pytest.raises(MaskingConfigError) as caught:
        masking_config_from_mapping(data, "cfg")
    assert fragment in caught.value.describe("en")


def test_unreadable_or_broken_config_file(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("custom: [\n  - pattern: 'x'\n", encoding="utf-8")
    with pytest.raises(MaskingConfigError, match="is not valid YAML"):
        load_masking_config(broken)
    with pytest.raises(MaskingConfigError, match="cannot read the configuration"):
        load_masking_config(tmp_path / "missing.yaml")


@pytest.mark.parametrize(("value", "on"), [("1", True), ("yes", True), ("", False), ("off", False)])
def test_mask_switch_from_the_environment(value, on):
    assert masking_enabled_by_default({"QA_STUDIO_MASK": value}) is on


def test_mask_switch_refuses_an_unclear_value():
    with pytest.raises(MaskingConfigError, match="QA_STUDIO_MASK must be yes/no"):
        masking_enabled_by_default({"QA_STUDIO_MASK": "maybe"})


# --- inside the readers ----------------------------------------------------------------


def _jsonl(tmp_path, **extra):
    record = {
        "conversation_id": "c-1",
        "channel": "chat",
        "customer_name": "Ирина Смирнова",
        "subject": "Возврат на ivan@mail.ru",
        **extra,
        "messages": [
            {"role": "customer", "text": "Мой номер +7 916 123-45-67, почта ivan@mail.ru"},
            {"role": "agent", "author": "a.petrova", "text": "Спасибо, проверяю."},
        ],
    }
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _read(path, masker=None) -> ParsedConversation:
    (item,) = list(read_conversations(inspect_file(path), UTC, masker))
    return item


def test_readers_mask_text_subject_and_name_before_hashing(tmp_path):
    path = _jsonl(tmp_path)
    plain, masked_one = _read(path), _read(path, Masker())
    assert masked_one.messages[0].text == "Мой номер [phone], почта [email]"
    assert masked_one.messages[1].text == "Спасибо, проверяю."
    assert masked_one.subject == "Возврат на [email]"
    assert masked_one.customer_name is None
    assert masked_one.masked_items == {"phone": 1, "email": 2, "customer_name": 1}
    assert plain.masked_items == {} and plain.customer_name == "Ирина Смирнова"
    assert masked_one.content_hash != plain.content_hash
    assert _read(path, Masker()).content_hash == masked_one.content_hash


def test_masking_off_by_default_keeps_the_hash_of_existing_imports(tmp_path):
    path = _jsonl(tmp_path)
    assert _read(path).content_hash == _read(path, None).content_hash
    keep_name = Masker(MaskingConfig(customer_name=False))
    assert _read(path, keep_name).customer_name == "Ирина Смирнова"


def test_csv_reader_masks_too(tmp_path):
    path = tmp_path / "chat.csv"
    path.write_text(
        "conversation_id,role,text\nc1,customer,карта 4111 1111 1111 1111\nc1,agent,Ок\n",
        encoding="utf-8",
    )
    item = _read(path, Masker())
    assert [m.text for m in item.messages] == ["карта [card]", "Ок"]
    assert item.masked_items == {"card": 1}

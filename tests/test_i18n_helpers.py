"""Language helpers: numbers as each language writes them, translation with a fallback."""

from __future__ import annotations

from qa_app.i18n.numbers import count, decimal, signed_decimal


def test_decimal_mark_and_minus_sign_per_language():
    assert decimal(3.324, "en") == "3.32" and decimal(3.324, "ru") == "3,32"
    assert decimal(-0.7, "en") == "−0.70" and decimal(-0.7, "ru") == "−0,70"
    assert decimal(-0.001, "en") == "0.00"  # no "−0.00"


def test_signed_offsets_and_counts():
    assert signed_decimal(5.5, "en", 1) == "+5.5" and signed_decimal(-4.2, "ru", 1) == "−4,2"
    assert signed_decimal(0.0, "en", 1) == "0.0"
    assert count(12345, "en") == "12,345" and count(12345, "ru") == "12\u00a0345"
    assert count(-24, "ru") == "−24"


def test_translation_with_fallback_for_codes_the_catalogue_does_not_know():
    from qa_app.i18n import t, t_or

    assert t_or("shell.sign_out", "ru", "x") == t("shell.sign_out", "ru") == "Выйти"
    assert t_or("autoqa.sig.brand_new_signal", "ru", "brand_new_signal") == "brand_new_signal"

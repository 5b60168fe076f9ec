"""Numbers as each language writes them: decimal comma and non-breaking thousands space in
Russian, a real minus sign (−) in both. One place, so every page agrees."""

from __future__ import annotations

MINUS = "\u2212"


def decimal(value: float, lang: str, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals: "3.32" / "3,32", "−0.70" / "−0,70"."""
    text = f"{abs(value):.{digits}f}"
    if lang == "ru":
        text = text.replace(".", ",")
    return (MINUS if value < 0 and text.strip("0.,") else "") + text


def signed_decimal(value: float, lang: str, digits: int = 2) -> str:
    """An offset with its sign: "+5.5", "−4,2"; zero has none."""
    text = decimal(value, lang, digits)
    return "+" + text if value > 0 and text.strip("0.,") else text


def count(n: int, lang: str) -> str:
    """Whole numbers with grouped thousands: "12,345" / "12 345" (non-breaking space)."""
    text = f"{abs(n):,}".replace(",", "\u00a0" if lang == "ru" else ",")
    return (MINUS if n < 0 else "") + text

"""What the database can store: the limits every imported value is checked against.

Why one module: a value that reaches the database and cannot be stored fails a whole batch
(PostgreSQL refuses a NUL character, a VARCHAR overflow, an out-of-range integer; Python
refuses a datetime past year 9999 after a time-zone shift). So every value is checked here,
at the boundary, and a bad one becomes a row-level rejection with a reason instead.
The figures are documented in docs/import-limits.md; change both together.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

#: Longest message text, in characters. Generous (an e-mail with its quoted history is far
#: shorter); it bounds memory and the time scorers spend on one message.
MESSAGE_TEXT_LIMIT = 100_000
#: Column widths of the database (qa_app/storage/models/) for the free-text fields.
TEXT_LIMITS = {
    "conversation_id": 200,
    "customer_id": 200,
    "customer_name": 200,
    "subject": 500,
    "team": 120,
    "author": 120,  # an agent's author becomes its login, a 120-character column
}
#: Roles a message is stored with: the three of the import formats and help desks' ``bot``.
STORED_ROLES = frozenset(("customer", "agent", "system", "bot"))
TAG_LIMIT = 100
TAGS_PER_CONVERSATION = 50
#: Timestamps, after conversion to UTC: nothing in a support export happened before the
#: Unix epoch, and a year past 2199 is a typo; both ends are far inside what Python and
#: both databases represent, so date arithmetic on stored values cannot overflow either.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)  # exclusive


class FieldProblem(ValueError):
    """Why one value was refused: ``code`` names the reason in the i18n catalogue."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


SCORE_RANGES = {"csat": (1, 5), "nps": (0, 10)}
#: Characters no text column can hold: NUL (PostgreSQL text and jsonb refuse it) and lone
#: UTF-16 surrogates (a JSON ``"\\ud800"`` escape; not encodable as UTF-8 for any driver).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
#: Longest excerpt of a refused value quoted back in a reason.
SHOWN_CHARS = 60


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """A refused value as quoted in a reason: short, one line, control characters visible.

    Reasons go to the terminal, the errors CSV and the page; a 50 MB value or a NUL must
    not travel with them."""
    text = value if isinstance(value, str) else _scalar_repr(value)
    cut = text[:limit]
    visible = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in cut)
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in visible):
        visible = visible.encode("utf-8", "backslashreplace").decode("ascii", "replace")
    return visible + ("…" if len(text) > limit else "")


def _scalar_repr(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) >= 10**SHOWN_CHARS:  # str() refuses past 4300
        return f"{'-' if value < 0 else ''}~1e{abs(value).bit_length() * math.log10(2):.0f}"
    if isinstance(value, list):
        return "[…]"
    if isinstance(value, dict):
        return "{…}"
    return str(value)


def json_kind(value: object) -> str | None:
    """``list``/``object``/``true``/``false`` for a value that is not text or a number."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, str | int | float) or value is None:
        return None
    return type(value).__name__


def as_text(value: object) -> str:
    """A scalar as text (JSON numbers are accepted as text); lists and objects are refused."""
    if type(value) is str:
        return value
    kind = json_kind(value)
    if kind is not None:
        raise FieldProblem("not_text", kind=kind_shown(kind))
    return str(value)


def kind_shown(kind: str) -> str:
    """A JSON kind as quoted in a reason, the same in every language."""
    return {"list": "[…]", "object": "{…}"}.get(kind, kind)


def check_characters(text: str) -> str:
    """``text`` unchanged, or FieldProblem naming the first character no database stores."""
    if "\x00" in text or not text.isascii():
        found = _UNSTORABLE.search(text)
        if found:
            char = found.group()
            name = "NUL" if char == "\x00" else "surrogate"
            raise FieldProblem(
                "bad_character",
                char=f"U+{ord(char):04X} ({name})",
                position=found.start() + 1,
            )
    return text


def fits(text: object, limit: int) -> bool:
    """True when ``text`` can be stored as it is (the fast test; ``storable_text`` says why
    not)."""
    return (
        type(text) is str
        and len(text) <= limit
        and "\x00" not in text
        and (text.isascii() or _UNSTORABLE.search(text) is None)
    )


def in_range(value: object) -> bool:
    """True for an aware datetime inside [EARLIEST, LATEST) (``check_datetime`` says why not)."""
    return isinstance(value, datetime) and value.tzinfo is not None and EARLIEST <= value < LATEST


def check_length(text: str, limit: int) -> str:
    if len(text) > limit:
        raise FieldProblem("too_long", limit=limit, length=len(text))
    return text


def storable_text(value: object, limit: int) -> str:
    """A free-text value as stored: scalar, stripped, storable characters, within ``limit``."""
    text = as_text(value).strip()
    return check_characters(check_length(text, limit))


def check_datetime(value: datetime) -> datetime:
    """An aware UTC datetime inside [EARLIEST, LATEST), else FieldProblem."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise FieldProblem("not_storable", value=shown(value))
    if not EARLIEST <= value < LATEST:
        raise FieldProblem(
            "timestamp_out_of_range",
            value=shown(value.isoformat()),
            earliest=EARLIEST.date().isoformat(),
            latest=(LATEST - timedelta(days=1)).date().isoformat(),
        )
    return value


def check_score(value: object, low: int, high: int) -> int:
    """An integer in ``low``..``high``; FieldProblem otherwise (any size, any type)."""
    code = f"bad_range_{low}_{high}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldProblem(code, value=shown(value))
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise FieldProblem(code, value=shown(value))
        value = int(value)
    if not low <= value <= high:
        raise FieldProblem(code, value=shown(value))
    return value


def check_tags(tags: list[str]) -> list[str]:
    if len(tags) > TAGS_PER_CONVERSATION:
        raise FieldProblem("too_many_tags", count=len(tags), limit=TAGS_PER_CONVERSATION)
    for tag in tags:
        check_characters(check_length(tag, TAG_LIMIT))
    return tags

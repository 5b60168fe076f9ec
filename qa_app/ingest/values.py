"""Field parsers: one raw cell in, one normalised value out, or a ``FieldProblem``.

Support exports come from many tools (Excel in Russian locales, helpdesks, messengers), so
each parser accepts the common spellings and says precisely what it expected otherwise.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, tzinfo

from qa_app.ingest.limits import (
    FieldProblem,
    as_text,
    check_datetime,
    check_score,
    check_tags,
    shown,
    storable_text,
)
from scoring.text.identify import KNOWN_CODES

CHANNEL_ALIASES = {
    "phone": ("phone", "call", "voice", "telephone", "телефон", "звонок", "телефония"),
    "email": ("email", "e-mail", "mail", "почта", "эл. почта", "электронная почта"),
    "chat": ("chat", "livechat", "live chat", "web chat", "webchat", "чат", "онлайн-чат"),
    "messenger": ("messenger", "telegram", "whatsapp", "viber", "wechat", "мессенджер"),
    "social": ("social", "vk", "vkontakte", "twitter", "x", "facebook", "instagram", "соцсети"),
}
ROLE_ALIASES = {
    "customer": ("customer", "client", "user", "клиент", "покупатель", "пользователь"),
    "agent": ("agent", "operator", "support", "staff", "оператор", "агент", "сотрудник"),
    "system": ("system", "система", "системное"),
    "bot": (
        "bot",
        "chatbot",
        "chat bot",
        "ai agent",
        "virtual assistant",
        "бот",
        "чат-бот",
        "чатбот",
        "виртуальный помощник",
        "ии-агент",
    ),
}
STATUS_ALIASES = {
    "resolved": ("resolved", "closed", "solved", "done", "решён", "решен", "закрыт"),
    "open": ("open", "new", "открыт", "новый"),
    "pending": ("pending", "waiting", "on hold", "ожидание", "в ожидании"),
}
LANGUAGE_ALIASES = {
    "ru": ("ru", "rus", "russian", "ru-ru", "русский"),
    "en": ("en", "eng", "english", "en-us", "en-gb", "английский"),
    "de": ("de", "deu", "ger", "german", "de-de", "deutsch", "немецкий"),
    "es": ("es", "spa", "spanish", "es-es", "español", "испанский"),
    "fr": ("fr", "fra", "fre", "french", "fr-fr", "français", "французский"),
    "uk": ("uk", "ukr", "ukrainian", "uk-ua", "українська", "украинский"),
    "ja": ("ja", "jpn", "japanese", "ja-jp", "日本語", "японский"),
}
# Any other ISO 639-1 code the language detector knows is accepted as it is ("it", "pl").
OTHER_LANGUAGE_CODES = tuple(sorted(KNOWN_CODES - set(LANGUAGE_ALIASES)))
TRUE_WORDS = ("true", "yes", "y", "1", "да", "истина")
FALSE_WORDS = ("false", "no", "n", "0", "нет", "ложь")

_SPACES = re.compile(r"[\s_]+")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_SPACES.sub(" ", alias): key for key, aliases in table.items() for alias in aliases}


_CHANNELS = _lookup(CHANNEL_ALIASES)
_ROLES = _lookup(ROLE_ALIASES)
_STATUSES = _lookup(STATUS_ALIASES)
_ACCEPTED_LANGUAGES = (*LANGUAGE_ALIASES, "ISO 639-1")
_LANGUAGES = _lookup(LANGUAGE_ALIASES) | {code: code for code in OTHER_LANGUAGE_CODES}


def _key(raw: str) -> str:
    return _SPACES.sub(" ", raw.strip().lower())


def _choice(raw: object, table: dict[str, str], code: str, accepted: tuple[str, ...]) -> str:
    found = table.get(raw) if type(raw) is str else None  # fast path: a canonical name
    if found is None:
        text = as_text(raw)
        found = table.get(_key(text))
        if found is None:
            raise FieldProblem(code, value=shown(text), accepted=", ".join(accepted))
    return found


def parse_channel(raw: object) -> str:
    return _choice(raw, _CHANNELS, "bad_channel", tuple(CHANNEL_ALIASES))


def parse_role(raw: object) -> str:
    return _choice(raw, _ROLES, "bad_role", tuple(ROLE_ALIASES))


def parse_status(raw: object) -> str:
    return _choice(raw, _STATUSES, "bad_status", tuple(STATUS_ALIASES))


def parse_language(raw: object) -> str:
    return _choice(raw, _LANGUAGES, "bad_language", _ACCEPTED_LANGUAGES)


def parse_bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    word = _key(as_text(raw))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise FieldProblem("bad_bool", value=shown(raw))


_NUMBER = re.compile(r"[+-]?(?:\d{1,20}(?:\.\d{0,20})?|\.\d{1,20})(?:[eE][+-]?\d{1,4})?")


def parse_score(raw: object, low: int, high: int) -> int:
    """An integer score such as CSAT 1-5; Excel's ``4.0`` is accepted, ``4.5`` is not.

    Numbers of any size or type end in a FieldProblem, never in an OverflowError."""
    number = raw
    if isinstance(raw, str):
        text = raw.strip().replace(",", ".")
        # the pattern also keeps a 400-digit string away from float()
        number = float(text) if _NUMBER.fullmatch(text) else None
    try:
        return check_score(number, low, high)
    except FieldProblem:
        raise FieldProblem(f"bad_range_{low}_{high}", value=shown(raw)) from None


def parse_tags(raw: object) -> list[str]:
    """A list, a JSON list, or one cell separated by ``|``, ``;`` or ``,`` (first found)."""
    if isinstance(raw, list):
        items = [as_text(item) for item in raw if item is not None]
    else:
        text = as_text(raw).strip()
        if text.startswith("["):
            loaded = _json_list(text)
            if isinstance(loaded, list):
                return parse_tags(loaded)
        separator = next((sep for sep in "|;," if sep in text), None)
        items = text.split(separator) if separator else [text]
    tags: list[str] = []
    for item in items:
        tag = item.strip()
        if tag and tag not in tags:
            tags.append(tag)
    return check_tags(tags)


def _json_list(text: str) -> object:
    """A cell that looks like a JSON list, decoded; None when it is not JSON."""
    try:
        return json.loads(text)
    except ValueError:
        return None
    except RecursionError:
        raise FieldProblem("too_deep") from None


def parse_timestamp(raw: object, default_tz: tzinfo) -> datetime:
    """ISO-8601 with or without zone, ``02.03.2026 09:15`` or ``2026-03-02 09:15:00``.

    A time without a zone is read in ``default_tz``; the result is always aware UTC and
    inside the range the database keeps (``limits.EARLIEST``..``limits.LATEST``): a year
    9999 with a negative offset is past the calendar's end once in UTC.
    """
    text = as_text(raw).strip()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        value = _dotted(text)
    try:
        if value.tzinfo is None:
            value = value.replace(tzinfo=default_tz)
        value = value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise FieldProblem(
            "timestamp_out_of_range", value=shown(text), earliest="1970-01-01", latest="2199-12-31"
        ) from None
    return check_datetime(value)


def _dotted(text: str) -> datetime:
    match = _DOTTED.match(text)
    try:
        if not match:
            return datetime.fromisoformat(text.replace("z", "Z"))
        day, month, year, hour, minute, second = match.groups()
        return datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:
        raise FieldProblem("bad_timestamp", value=shown(text)) from None


def clean_text(raw: object, limit: int) -> str:
    """Strip a free-text cell and check it fits the database column (see ``limits``)."""
    return storable_text(raw, limit)


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())

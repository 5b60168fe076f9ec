"""Field parsers: one raw cell in, one normalised value out, or a ``FieldProblem``.

Support exports come from many tools (Excel in Russian locales, helpdesks, messengers), so
each parser accepts the common spellings and says precisely what it expected otherwise.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, tzinfo

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
}
STATUS_ALIASES = {
    "resolved": ("resolved", "closed", "solved", "done", "решён", "решен", "закрыт"),
    "open": ("open", "new", "открыт", "новый"),
    "pending": ("pending", "waiting", "on hold", "ожидание", "в ожидании"),
}
LANGUAGE_ALIASES = {
    "ru": ("ru", "rus", "russian", "ru-ru", "русский"),
    "en": ("en", "eng", "english", "en-us", "en-gb", "английский"),
}
TRUE_WORDS = ("true", "yes", "y", "1", "да", "истина")
FALSE_WORDS = ("false", "no", "n", "0", "нет", "ложь")

_SPACES = re.compile(r"[\s_]+")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


class FieldProblem(ValueError):
    """Why one value was refused: ``code`` names the reason in the i18n catalogue."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_SPACES.sub(" ", alias): key for key, aliases in table.items() for alias in aliases}


_CHANNELS = _lookup(CHANNEL_ALIASES)
_ROLES = _lookup(ROLE_ALIASES)
_STATUSES = _lookup(STATUS_ALIASES)
_LANGUAGES = _lookup(LANGUAGE_ALIASES)


def _key(raw: str) -> str:
    return _SPACES.sub(" ", raw.strip().lower())


def _choice(raw: str, table: dict[str, str], code: str, accepted: tuple[str, ...]) -> str:
    found = table.get(raw)  # fast path: already a canonical lower-case name
    if found is None:
        found = table.get(_key(raw))
    if found is None:
        raise FieldProblem(code, value=raw, accepted=", ".join(accepted))
    return found


def parse_channel(raw: str) -> str:
    return _choice(raw, _CHANNELS, "bad_channel", tuple(CHANNEL_ALIASES))


def parse_role(raw: str) -> str:
    return _choice(raw, _ROLES, "bad_role", tuple(ROLE_ALIASES))


def parse_status(raw: str) -> str:
    return _choice(raw, _STATUSES, "bad_status", tuple(STATUS_ALIASES))


def parse_language(raw: str) -> str:
    return _choice(raw, _LANGUAGES, "bad_language", tuple(LANGUAGE_ALIASES))


def parse_bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    word = _key(str(raw))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise FieldProblem("bad_bool", value=str(raw))


def parse_score(raw: object, low: int, high: int) -> int:
    """An integer score such as CSAT 1-5; Excel's ``4.0`` is accepted, ``4.5`` is not."""
    code = f"bad_range_{low}_{high}"
    if isinstance(raw, bool):
        raise FieldProblem(code, value=str(raw))
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        try:
            number = float(str(raw).strip().replace(",", "."))
        except ValueError:
            raise FieldProblem(code, value=str(raw)) from None
    if not number.is_integer() or not low <= number <= high:
        raise FieldProblem(code, value=str(raw))
    return int(number)


def parse_tags(raw: object) -> list[str]:
    """A list, a JSON list, or one cell separated by ``|``, ``;`` or ``,`` (first found)."""
    if isinstance(raw, list):
        items = [str(item) for item in raw if item is not None]
    else:
        text = str(raw).strip()
        if text.startswith("["):
            try:
                loaded = json.loads(text)
            except ValueError:
                loaded = None
            if isinstance(loaded, list):
                return parse_tags(loaded)
        separator = next((sep for sep in "|;," if sep in text), None)
        items = text.split(separator) if separator else [text]
    tags: list[str] = []
    for item in items:
        tag = item.strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def parse_timestamp(raw: object, default_tz: tzinfo) -> datetime:
    """ISO-8601 with or without zone, ``02.03.2026 09:15`` or ``2026-03-02 09:15:00``.

    A time without a zone is read in ``default_tz``; the result is always aware UTC.
    """
    text = str(raw).strip()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        value = _dotted(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_tz)
    return value.astimezone(UTC)


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
        raise FieldProblem("bad_timestamp", value=text) from None


def clean_text(raw: object, limit: int | None = None) -> str:
    """Strip a free-text cell; optional length limit matches the database column."""
    text = str(raw).strip()
    if limit is not None and len(text) > limit:
        raise FieldProblem("too_long", limit=limit, length=len(text))
    return text


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())

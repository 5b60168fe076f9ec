"""Masking personal data in conversation text before it is stored.

A QA team needs to read how a conversation went, not the customer's e-mail address, phone,
card or passport number, and a self-hosted tool should not become one more copy of them.
Masking runs inside the readers (``finish_conversation``), so nothing unmasked reaches the
database, and it is off unless asked for (``--mask`` or ``QA_STUDIO_MASK``).

Each detector is written against the confusions of real support text:

* e-mail: the local part is one script (Latin or Cyrillic), so Russian text glued to an
  address (``пишите на ivan@mail.ru,спасибо``) is not eaten with it;
* phone: Russian numbers (``+7``/``8``, ``(9xx) xxx-xx-xx`` with any separators) and
  international ones written with ``+``; a digit run that is part of a longer number
  (``заказ №1234567890123``), a date, a time, an amount (``1 250 000 руб.``), an IP address
  or anything inside a URL is left alone;
* card: 13-19 digits, optionally grouped by spaces or dashes, starting like a payment card
  (2-6) and passing the Luhn check, so a 16-digit order number that fails it stays;
* passport: a Russian internal (``45 06 123456``, ``4506 123456``) or foreign passport
  number, or a Latin-letter international one, only right after a word such as
  "паспорт" or "passport": ten digits alone are too often something else.

Custom regular expressions from the configuration run last, over what the built-in
detectors left. Placeholders carry no digits and no ``@``, so masking twice changes nothing.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, MutableSequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from qa_app.i18n import t
from qa_app.ingest.records import ParsedMessage

BUILT_IN_KINDS = ("email", "phone", "card", "passport")
PLACEHOLDERS = {kind: f"[{kind}]" for kind in BUILT_IN_KINDS}
CUSTOM_PLACEHOLDER = "[masked]"
NAME_KIND = "customer_name"
MASK_ENV = "QA_STUDIO_MASK"
MASKING_CONFIG_ENV = "QA_STUDIO_MASKING_CONFIG"
_TRUE = ("1", "true", "yes", "on", "да")
_FALSE = ("0", "false", "no", "off", "нет", "")

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,}(?![A-Za-z])"
    # Cyrillic addresses end in a known Cyrillic top-level domain, so glued text stays.
    r"|(?<![А-Яа-яЁё0-9._\-])[А-Яа-яЁё0-9._\-]+@(?:[А-Яа-яЁё0-9\-]+\.)+"
    r"(?:рф|рус|москва|дети|онлайн|сайт|орг|ком|укр|бел|срб)",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"']+", re.IGNORECASE)
_NOT_BEFORE = r"(?<![\w+№#/=&?%-])"  # not inside a word, a longer number or a query
_PHONE_PATTERNS = (
    # +7 916 123-45-67, +44 20 7946 0958, +1 (415) 555-2671: "+" then 8-15 digits.
    re.compile(_NOT_BEFORE + r"\+\d(?:[ \t\-\u00a0]?[()]?[ \t\-\u00a0]?\d){7,14}(?![\w.,]\d|\w)"),
    # 8 (916) 123-45-67, 8-800-555-35-35, 89161234567, 7 916 1234567
    re.compile(
        _NOT_BEFORE
        + r"[78][ \t\-\u00a0]?\(?\d{3}\)?[ \t\-\u00a0]?\d{3}[ \t\-\u00a0]?\d{2}[ \t\-\u00a0]?\d{2}"
        r"(?![\w.,]\d|\w)"
    ),
    # (916) 123-45-67, 916 123 45 67: a 3-digit code, then 3-2-2 with separators.
    re.compile(
        _NOT_BEFORE
        + r"(?:\(\d{3}\)[ \t\u00a0]?|\d{3}[ \t\-\u00a0])\d{3}[ \t\-\u00a0]\d{2}[ \t\-\u00a0]\d{2}"
        r"(?![\w.,]\d|\w)"
    ),
)
_AMOUNT_AFTER = re.compile(
    r"\s?(?:руб|р\.|₽|rub|usd|eur|€|\$|долл|евро|тыс|млн|млрд|коп|%)", re.IGNORECASE
)
_CARD_RUN = re.compile(_NOT_BEFORE + r"\d(?:[ \-\u00a0]?\d){12,}(?!\w)")
_CARD_TOKEN = re.compile(r"\d+")
_PASSPORT_WORD = re.compile(
    r"(?:загран)?паспорт\w*|passport\w*|серия(?:\s+и\s+номер)?|series", re.IGNORECASE
)
_PASSPORT_NUMBER = re.compile(
    r"(?<![\w])(?:"
    r"\d{2}[ \u00a0]?\d{2}(?:[ \u00a0]*(?:номер|№|no\.?|n)[ \u00a0]*|[ \u00a0\-])?\d{6}"  # 45 06 123456
    r"|\d{2}[ \u00a0]?\d{7}"  # foreign passport of Russia: 75 1234567
    r"|[A-Z]{1,2}[ \u00a0]?\d{6,8}"  # international: AB1234567
    r")(?!\w)",
    re.IGNORECASE,
)
_PASSPORT_REACH = 40  # characters after the keyword in which the number must start
_HAS_DIGIT_OR_AT = re.compile(r"[\d@]")


class MaskingConfigError(ValueError):
    """The masking configuration cannot be used; ``describe`` says what and where."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(t(f"helpdesk.masking_error.{code}", "en", **params))
        self.code = code
        self.params = params

    def describe(self, lang: str = "en") -> str:
        return t(f"helpdesk.masking_error.{self.code}", lang, **self.params)


@dataclass(frozen=True, slots=True)
class CustomPattern:
    """A site-specific identifier to hide (contract numbers, loyalty cards...)."""

    name: str
    pattern: str
    placeholder: str = CUSTOM_PLACEHOLDER


@dataclass(frozen=True, slots=True)
class MaskingConfig:
    """Which kinds to mask; ``customer_name`` drops the conversation's customer name field
    (a name cannot be found reliably in free text, but in its own field it can)."""

    email: bool = True
    phone: bool = True
    card: bool = True
    passport: bool = True
    customer_name: bool = True
    custom: tuple[CustomPattern, ...] = field(default_factory=tuple)


class MaskResult(NamedTuple):
    text: str
    counts: dict[str, int]


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum used by payment cards (ISO/IEC 7812-1)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


class Masker:
    """Compiled masking rules: ``mask(text)`` returns the masked text and counts per kind."""

    def __init__(self, config: MaskingConfig | None = None) -> None:
        self.config = config or MaskingConfig()
        self._custom = [
            (item.name, _compile_custom(item, index), item.placeholder)
            for index, item in enumerate(self.config.custom, start=1)
        ]

    def mask(self, text: str) -> MaskResult:
        if not text or (not self._custom and not _HAS_DIGIT_OR_AT.search(text)):
            return MaskResult(text, {})
        spans: list[tuple[int, int, str, str]] = []
        config = self.config
        if config.email:
            spans.extend(
                (m.start(), m.end(), "email", PLACEHOLDERS["email"]) for m in _EMAIL.finditer(text)
            )
        guarded = spans + [(m.start(), m.end(), "", "") for m in _URL.finditer(text)]
        for kind, finder in (
            ("passport", _passports),
            ("card", _cards),
            ("phone", _phones),
        ):
            if getattr(config, kind):
                for start, end in finder(text):
                    if not _overlaps(guarded, start, end):
                        span = (start, end, kind, PLACEHOLDERS[kind])
                        spans.append(span)
                        guarded.append(span)
        for name, pattern, placeholder in self._custom:
            for m in pattern.finditer(text):
                if m.end() > m.start() and not _overlaps(spans, m.start(), m.end()):
                    spans.append((m.start(), m.end(), name, placeholder))
        return _apply(text, spans)

    def mask_conversation(
        self, fields: Mapping[str, object], messages: MutableSequence[ParsedMessage]
    ) -> tuple[dict[str, object], dict[str, int]]:
        """Mask every message text and the subject; drop the customer name if configured.

        Returns the fields to store and how many items of each kind were masked.
        """
        counts: Counter[str] = Counter()
        for message in messages:
            result = self.mask(message.text)
            if result.counts:
                message.text = result.text
                counts.update(result.counts)
        masked = dict(fields)
        subject = masked.get("subject")
        if isinstance(subject, str):
            result = self.mask(subject)
            masked["subject"] = result.text
            counts.update(result.counts)
        if self.config.customer_name and masked.get("customer_name"):
            masked["customer_name"] = None
            counts[NAME_KIND] += 1
        return masked, dict(counts)


def _overlaps(spans: Iterable[tuple], start: int, end: int) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end, *_ in spans)


def _apply(text: str, spans: list[tuple[int, int, str, str]]) -> MaskResult:
    if not spans:
        return MaskResult(text, {})
    spans.sort()
    out, counts, last = [], Counter(), 0
    for start, end, kind, placeholder in spans:
        out.append(text[last:start])
        out.append(placeholder)
        counts[kind] += 1
        last = end
    out.append(text[last:])
    return MaskResult("".join(out), dict(counts))


def _phones(text: str) -> Iterable[tuple[int, int]]:
    for pattern in _PHONE_PATTERNS:
        for m in pattern.finditer(text):
            digits = sum(ch.isdigit() for ch in m.group())
            if not 10 <= digits <= 15 or _AMOUNT_AFTER.match(text, m.end()):
                continue
            yield m.start(), m.end()


def _cards(text: str) -> Iterable[tuple[int, int]]:
    """Runs of digit groups; in each, the longest windows of whole groups that are valid
    cards (the groups on either side of a card are searched again)."""
    for run in _CARD_RUN.finditer(text):
        tokens = list(_CARD_TOKEN.finditer(run.group()))
        pending = [(0, len(tokens))]
        while pending:
            low, high = pending.pop()
            found = _card_window(tokens, low, high)
            if found is None:
                continue
            first, last = found
            end = run.start() + tokens[last].end()
            if not _AMOUNT_AFTER.match(text, end):
                yield run.start() + tokens[first].start(), end
            pending.extend(((low, first), (last + 1, high)))


def _card_window(tokens: list[re.Match[str]], low: int, high: int) -> tuple[int, int] | None:
    """The longest (then leftmost) run of whole groups with 13-19 digits that starts like a
    card and passes Luhn; windows stop growing past 19 digits, so this stays linear."""
    best: tuple[int, int] | None = None
    best_size = 0
    for first in range(low, high):
        digits = ""
        for last in range(first, high):
            digits += tokens[last].group()
            if len(digits) > 19:
                break
            size = last - first + 1
            if (
                size > best_size
                and len(digits) >= 13
                and digits[0] in "23456"
                and luhn_valid(digits)
            ):
                best, best_size = (first, last), size
    return best


def _passports(text: str) -> Iterable[tuple[int, int]]:
    for word in _PASSPORT_WORD.finditer(text):
        window_end = min(len(text), word.end() + _PASSPORT_REACH + 20)
        m = _PASSPORT_NUMBER.search(text, word.end(), window_end)
        if m and m.start() - word.end() <= _PASSPORT_REACH:
            yield m.start(), m.end()


def _compile_custom(item: CustomPattern, index: int) -> re.Pattern[str]:
    try:
        pattern = re.compile(item.pattern)
    except re.error as exc:
        raise MaskingConfigError(
            "bad_pattern", name=item.name, index=index, detail=str(exc)
        ) from None
    if pattern.fullmatch(""):
        raise MaskingConfigError("empty_match", name=item.name, index=index)
    return pattern


# --- configuration ---------------------------------------------------------------------

_FLAG_KEYS = (*BUILT_IN_KINDS, NAME_KIND)


def masking_enabled_by_default(env: Mapping[str, str] | None = None) -> bool:
    """``QA_STUDIO_MASK`` (1/true/yes/on) turns masking on for imports unless ``--no-mask``."""
    raw = (env if env is not None else os.environ).get(MASK_ENV, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise MaskingConfigError("bad_env", name=MASK_ENV, value=raw)


def load_masking_config(
    path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None
) -> MaskingConfig:
    """The configuration in ``path`` (else the file named by ``QA_STUDIO_MASKING_CONFIG``),
    or the defaults (every built-in kind on, no custom patterns) when neither is given."""
    chosen = path or (env if env is not None else os.environ).get(MASKING_CONFIG_ENV)
    if not chosen:
        return MaskingConfig()
    where = str(chosen)
    try:
        data = yaml.safe_load(Path(chosen).read_text(encoding="utf-8"))
    except OSError as exc:
        raise MaskingConfigError(
            "unreadable", path=where, detail=exc.strerror or str(exc)
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        raise MaskingConfigError("bad_yaml", path=where, line=line) from None
    return masking_config_from_mapping(data, where)


def masking_config_from_mapping(data: object, where: str = "config") -> MaskingConfig:
    """Validate a parsed YAML document; a ``masking:`` top-level key is optional."""
    if data is None:
        return MaskingConfig()
    if isinstance(data, Mapping) and set(data) == {"masking"}:
        data = data["masking"] or {}
    if not isinstance(data, Mapping):
        raise MaskingConfigError("not_mapping", path=where)
    unknown = sorted(str(key) for key in data if key not in (*_FLAG_KEYS, "custom"))
    if unknown:
        accepted = ", ".join((*_FLAG_KEYS, "custom"))
        raise MaskingConfigError("unknown_key", path=where, key=unknown[0], accepted=accepted)
    flags = {}
    for key in _FLAG_KEYS:
        value = data.get(key, True)
        if not isinstance(value, bool):
            raise MaskingConfigError("bad_flag", path=where, key=key, value=str(value))
        flags[key] = value
    custom = tuple(_custom_items(data.get("custom") or [], where))
    config = MaskingConfig(**flags, custom=custom)
    Masker(config)  # compiles every custom pattern: a bad one fails here, not mid-import
    return config


def _custom_items(items: object, where: str) -> Iterable[CustomPattern]:
    if not isinstance(items, list):
        raise MaskingConfigError("custom_not_list", path=where)
    for index, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = {"pattern": item}
        if not isinstance(item, Mapping) or not isinstance(item.get("pattern"), str):
            raise MaskingConfigError("custom_item", path=where, index=index)
        name = str(item.get("name") or "custom")
        placeholder = str(item.get("placeholder") or CUSTOM_PLACEHOLDER)
        yield CustomPattern(name, item["pattern"], placeholder)

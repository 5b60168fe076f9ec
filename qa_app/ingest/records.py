"""What the readers produce: parsed conversations, and rejections that say why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from qa_app.i18n import t


@dataclass(slots=True)
class Problem:
    """One refused value: which field, and the catalogue code of the reason."""

    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def reason(self, lang: str = "en") -> str:
        return t(f"import.reason.{self.code}", lang, **self.params)


@dataclass(slots=True)
class Rejection:
    """A rejected row (CSV line, JSONL message or line) or a whole conversation.

    ``rows`` is how many input records this rejection removes from the import; a
    conversation rejected because all its rows were already rejected adds 0.
    ``whole`` says the conversation as a whole was rejected (not just one row of it).
    ``external_id`` is the conversation's id as the file gives it (its ``conversation_id``
    column or key; empty when that was missing), never a database key.
    """

    file: str
    line: int
    external_id: str
    problems: list[Problem]
    rows: int = 1
    whole: bool = False

    def describe(self, lang: str = "en") -> list[str]:
        """One ``file:line: field: reason`` line per problem, as printed in the terminal."""
        return [f"{self.file}:{self.line}: {p.field}: {p.reason(lang)}" for p in self.problems]


@dataclass(slots=True)
class Notice:
    """Something the user should check although nothing was rejected for it (for example
    lines read as cp1251 in a UTF-8 file)."""

    file: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def describe(self, lang: str = "en") -> str:
        return f"{self.file}: {t(f'import.note.{self.code}', lang, **self.params)}"


@dataclass(slots=True)
class ParsedMessage:
    """One message. ``internal`` marks a note agents wrote for each other (a help desk's
    private comment): kept for reviewers as role ``system``, never scored as customer-facing."""

    role: str
    text: str
    author: str | None = None
    sent_at: datetime | None = None
    line: int = 0
    internal: bool = False


@dataclass(slots=True)
class ParsedConversation:
    """A conversation ready to store: normalised, with derived fields and content hash."""

    external_id: str
    channel: str
    language: str
    started_at: datetime | None
    ended_at: datetime | None
    customer_id: str | None
    customer_name: str | None
    csat: int | None
    nps: int | None
    status: str
    escalated: bool
    subject: str | None
    tags: list[str]
    team: str | None
    agent_login: str | None
    first_response_seconds: float | None
    messages: list[ParsedMessage]
    content_hash: str
    line: int = 0
    masked_items: dict[str, int] = field(default_factory=dict)  # kind -> how many masked
    #: Multi-attribute survey answer: (attribute, satisfaction 1-5, importance or None).
    survey: tuple[tuple[str, int, float | None], ...] = ()


class UnreadableFile(Exception):
    """The file as a whole cannot be imported; nothing from it is stored."""

    def __init__(self, file: str, code: str, **params: Any) -> None:
        super().__init__(f"{file}: {t(f'import.fatal.{code}', 'en', **params)}")
        self.file = file
        self.code = code
        self.params = params

    def describe(self, lang: str = "en") -> str:
        return f"{self.file}: {t(f'import.fatal.{self.code}', lang, **self.params)}"

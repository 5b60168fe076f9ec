"""Run one page of the app in Streamlit's ``AppTest`` with a real database and a signed-in user.

Usage in a page test::

    from ui_harness import run_page, seed  # tests/ is on sys.path under pytest

    def test_my_page_renders(sqlite_url):
        seed(sqlite_url, lambda session: session.add(Team(name="Tier 1")))
        at = run_page("my_page", "reviewer", sqlite_url, lang="ru")
        assert not at.exception
        assert at.title[0].value == "..."

* ``run_page(page_key, role, db_url, lang="en", username=None)`` creates (or reuses) a user
  of ``role`` through the users service, signs them in by setting ``st.session_state``
  exactly as the sign-in page does (with a real sign-in session in the database, which
  every run checks; ``signed_in_entries(db_url, actor)`` gives those entries for a custom
  AppTest script), and renders the page with the full shell (sidebar,
  role guard) but without the router. It returns the ``AppTest`` after the first run, so
  you can click and ``.run()`` again (``at.button(key="...").click().run()``).
* Agent users are linked to an agent with the login ``username`` (created if missing);
  pass ``agent_login`` to link an existing one. ``team`` gives a lead a team.
* ``make_user(db_url, role, ...) -> Actor`` creates a user without running a page (e.g. to
  own seeded records); ``seed(db_url, fn)`` runs ``fn(session)`` in one committed unit of
  work and returns what it returns.
* ``run_app(db_url, role=None, lang="en")`` runs the real entry point ``qa_app.ui.app.main``
  (router included); with ``role=None`` nobody is signed in (the sign-in page).
* ``seed_conversations(db_url, count=40)`` inserts varied conversations (every channel,
  ru/en, CSAT/NPS, first-response times, two agents in two teams, one customer and one agent
  message each) and returns their ids; ``conversation_rows`` gives plain rows for bulk
  inserts (the Overview benchmark uses it for 100,000 rows).
* ``whole_page(at)`` runs once more after a click that reran only some fragments, so the
  tree holds the whole page again (AppTest keeps only what the last run drew).
* ``visible_text(at)`` joins titles, headers, markdown, captions and alerts, handy for
  asserting wording in both languages.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar

from markdown_it import MarkdownIt
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from qa_app.services.accounts import auth, identity, sign_in_sessions, users
from qa_app.services.actor import SYSTEM, Actor
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import Agent, Conversation, Message, Team
from qa_app.ui import context

APP_PATH = Path(__file__).resolve().parent.parent / "qa_app" / "ui" / "app.py"
TEST_PASSWORD = "correct-horse-battery"
DEFAULT_TIMEOUT = 60.0

T = TypeVar("T")

# Cheap argon2 parameters for test users (the standard cost is tested in test_auth.py).
os.environ.setdefault(auth.HASH_COST_ENV, "test")


def seed(db_url: str, fn: Callable[[Any], T]) -> T:
    """Run ``fn(session)`` in one unit of work on ``db_url`` (committed) and return its result."""
    with unit_of_work(db_url) as session:
        return fn(session)


def _ensure_agent(session, login: str, team: str | None) -> None:
    if session.scalar(select(Agent).where(func.lower(Agent.login) == login.lower())):
        return
    team_row = _ensure_team(session, team) if team else None
    session.add(Agent(login=login, display_name=login, team_id=team_row.id if team_row else None))
    session.flush()


def _ensure_team(session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    return team


def make_user(
    db_url: str,
    role: str,
    *,
    username: str | None = None,
    lang: str = "en",
    agent_login: str | None = None,
    team: str | None = None,
    password: str = TEST_PASSWORD,
) -> Actor:
    """The user ``username`` (default ``test-<role>``) with ``role``, created if missing."""
    username = username or f"test-{role}"

    def create(session) -> Actor:
        existing = identity.find_user(session, username)
        if existing is not None:
            existing.language = lang
            return identity.actor_for(existing)
        if team:
            _ensure_team(session, team)
        login = None
        if role == "agent":
            login = agent_login or username
            _ensure_agent(session, login, team)
        row, _ = users.add_user(
            session,
            SYSTEM,
            username,
            role,
            password=password,
            agent_login=login,
            team_name=team,
            language=lang,
        )
        return identity.load_actor(session, row.id)

    return seed(db_url, create)


def _page_script(page_key: str) -> None:
    from qa_app.ui.app import render_page_by_key

    render_page_by_key(page_key)


def _app_script() -> None:
    from qa_app.ui.app import main

    main()


def signed_in_entries(db_url: str, actor: Actor) -> dict[str, Any]:
    """The session-state entries of a tab signed in as ``actor``, with a real sign-in
    session opened in the database (every run checks it, as in the app)."""
    token = seed(db_url, lambda session: sign_in_sessions.open_session(session, actor))
    return context.session_entries(actor, token)


def _signed_in(at: AppTest, db_url: str, actor: Actor | None) -> AppTest:
    at.session_state[context.SESSION_DB] = db_url
    if actor is not None:
        for key, value in signed_in_entries(db_url, actor).items():
            at.session_state[key] = value
    return at


def run_page(
    page_key: str,
    role: str,
    db_url: str,
    lang: str = "en",
    *,
    username: str | None = None,
    agent_login: str | None = None,
    team: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> AppTest:
    """Render page ``page_key`` for a signed-in user of ``role``; returns the AppTest."""
    actor = make_user(
        db_url, role, username=username, lang=lang, agent_login=agent_login, team=team
    )
    at = AppTest.from_function(_page_script, args=(page_key,), default_timeout=timeout)
    return _signed_in(at, db_url, actor).run()


def run_app(
    db_url: str,
    role: str | None = None,
    lang: str = "en",
    *,
    username: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> AppTest:
    """Run the real entry point; signed in as a user of ``role`` unless ``role`` is None."""
    actor = make_user(db_url, role, username=username, lang=lang) if role else None
    # The real ``main()`` through a one-line script: run straight from ``qa_app/ui/app.py``,
    # AppTest sees the ``pages/`` folder beside it and replays reruns as a legacy multipage
    # app, which renders nothing after the first run (the live server is unaffected).
    at = AppTest.from_function(_app_script, default_timeout=timeout)
    if actor is None:
        at.session_state[context.SESSION_FORM_LANG] = lang
    return _signed_in(at, db_url, actor).run()


def whole_page(at: AppTest) -> AppTest:
    """One more run, so the element tree holds the whole page again.

    AppTest keeps only what its last run drew: a click whose callback reruns named
    fragments only (a grade on the review page reruns its category and the score panel)
    leaves just those in the tree, where the browser keeps the rest of the page."""
    return at.run()


def visible_text(at: AppTest) -> str:
    """Titles, headers, markdown, captions and alerts of the last run, one per line, as a
    reader sees them: each Markdown source rendered as CommonMark (raw HTML only where the
    page allowed it), tags dropped, character references decoded. User text is written
    with character references (``qa_app/ui/user_text.py``), so assert on what shows."""
    parts: list[str] = []
    for group in (
        at.title,
        at.header,
        at.subheader,
        at.markdown,
        at.caption,
        at.info,
        at.warning,
        at.error,
        at.success,
    ):
        for el in group:
            allow_html = group is at.markdown and bool(el.proto.allow_html)
            parts.append(reader_text(str(el.value), allow_html))
    return "\n".join(parts)


_MARKDOWN = MarkdownIt("commonmark", {"html": True})
_MARKDOWN_NO_HTML = MarkdownIt("commonmark", {"html": False})


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = False

    def handle_starttag(self, tag, attrs):
        self._skip = tag in ("style", "script")
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self._skip = False

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def reader_text(source: str, allow_html: bool = False) -> str:
    """The text a reader sees for one Markdown ``source`` (without the final newline)."""
    parser = (_MARKDOWN if allow_html else _MARKDOWN_NO_HTML).enable("table")
    collector = _TextOnly()
    collector.feed(parser.render(source))
    return "".join(collector.parts).strip()


def conversation_rows(
    count: int,
    *,
    seed_value: int = 7,
    start: datetime | None = None,
    agent_ids: tuple[int | None, ...] = (None,),
    team_ids: tuple[int | None, ...] = (None,),
) -> list[dict[str, Any]]:
    """Deterministic plain rows for ``Conversation`` (bulk insert; no messages)."""
    rng = random.Random(seed_value)
    start = start or datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    channels = ("chat", "email", "messenger", "social", "phone")
    rows = []
    for i in range(count):
        channel = channels[i % len(channels)]
        started = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 28))
        rows.append(
            {
                "source": "test",
                "external_id": f"c-{seed_value}-{i}",
                "channel": channel,
                "language": "ru" if i % 3 else "en",
                "started_at": started,
                "customer_id": f"u-{rng.randrange(max(count // 3, 1))}",
                "csat": rng.choice((None, 1, 2, 3, 4, 5, 5)),
                "nps": rng.choice((None, 0, 3, 6, 7, 8, 9, 10)),
                "status": "resolved",
                "escalated": rng.random() < 0.1,
                "tags": [],
                "team_id": team_ids[i % len(team_ids)],
                "agent_id": agent_ids[i % len(agent_ids)],
                "message_count": 2,
                "first_response_seconds": None if channel == "phone" else rng.expovariate(1 / 900),
                "content_hash": f"{seed_value}-{i}",
            }
        )
    return rows


def seed_conversations(
    db_url: str,
    count: int = 40,
    *,
    seed_value: int = 7,
    agents: tuple[str, ...] = ("a.petrova", "i.ivanov"),
    teams: tuple[str, ...] = ("Tier 1", "Tier 2"),
    with_messages: bool = True,
) -> list[int]:
    """Insert ``count`` varied conversations (all channels, ru/en, CSAT/NPS, timings) handled
    by ``agents`` in ``teams`` (created if missing), each with a customer and an agent
    message; returns their ids. Deterministic for a given ``seed_value``."""

    def insert(session) -> list[int]:
        team_rows = [_ensure_team(session, name) for name in teams]
        for i, login in enumerate(agents):
            _ensure_agent(session, login, teams[i % len(teams)] if teams else None)
        agent_rows = [session.scalar(select(Agent).where(Agent.login == login)) for login in agents]
        rows = conversation_rows(
            count,
            seed_value=seed_value,
            agent_ids=tuple(a.id for a in agent_rows) or (None,),
            team_ids=tuple(t.id for t in team_rows) or (None,),
        )
        ids = []
        for row in rows:
            conversation = Conversation(**row)
            if with_messages:
                agent_login = next(a.login for a in agent_rows if a.id == row["agent_id"])
                conversation.messages = [
                    Message(
                        seq=0,
                        role="customer",
                        text="Здравствуйте, не проходит оплата.",
                        sent_at=row["started_at"],
                    ),
                    Message(
                        seq=1,
                        role="agent",
                        author=agent_login,
                        agent_id=row["agent_id"],
                        text="Добрый день! Сейчас проверю.",
                        sent_at=row["started_at"]
                        + timedelta(seconds=row["first_response_seconds"] or 30),
                    ),
                ]
            session.add(conversation)
            session.flush()
            ids.append(conversation.id)
        return ids

    return seed(db_url, insert)

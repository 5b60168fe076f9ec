"""Load the demo operation: the generated corpus, one account per role, the default rubric,
and (when those services are present) a season of reviews and automatic scores.

Everything goes through the real services, so the demo exercises the same paths as a
team's own data.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.accounts import add_user, find_user
from qa_app.services.actor import SYSTEM
from qa_app.services.imports import ImportOptions, ImportSummary, import_file
from qa_app.services.rubrics import ensure_default_rubric
from qa_app.storage.models import Conversation
from qa_app.storage.uow import UnitOfWork

DEMO_SOURCE = "demo"
DEMO_SEED = 20260301

#: Weekly review goals of the demo reviewers (their capacity for samples and plans).
DEMO_GOALS = {"reviewer": 40, "reviewer.lenient": 30, "reviewer.strict": 25}

#: Staff accounts of the demo; reviewer biases show in calibration and severity figures.
#: Names are written once per language ("English / Русский"); each screen shows its own
#: (``qa_app.i18n.in_language``). The last field is the account's interface language: a
#: bilingual name says nothing about which one its owner reads.
DEMO_STAFF: tuple[tuple[str, str, str, str], ...] = (
    ("admin", "admin", "Admin / Администратор", "en"),
    ("lead", "lead", "Olga Lead / Ольга Лидова", "ru"),
    ("reviewer", "reviewer", "Rita Reviewer (accurate) / Рита Ревизорова (точная)", "en"),
    ("reviewer.lenient", "reviewer", "Lena Lenient (lenient) / Лена Мягкова (мягкая)", "en"),
    ("reviewer.strict", "reviewer", "Stas Strict (strict) / Стас Строгов (строгий)", "en"),
    ("trainer", "trainer", "Tina Trainer / Тина Тренерова", "en"),
)


@dataclass
class DemoAccount:
    username: str
    role: str
    password: str | None  # None when the account already existed


@dataclass
class DemoResult:
    skipped: bool = False
    import_summary: ImportSummary | None = None
    accounts: list[DemoAccount] = field(default_factory=list)
    rubrics: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def conversation_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Conversation)) or 0


def import_demo_corpus(
    session: Session,
    seed: int = DEMO_SEED,
    n_conversations: int = 2400,
    progress: Callable | None = None,
    reference: datetime | None = None,
) -> ImportSummary:
    """Generate the corpus to a temporary JSONL file and import it like any user file
    (the import run is dated at the season's ``reference``), with one chat a bot answered
    first per hundred conversations (``qa_app.demo.corpus.bot_chats``)."""
    from qa_app.demo.corpus.bot_chats import bot_chats
    from qa_app.demo.corpus.generator import DEFAULT_END, to_json_line, write_jsonl
    from qa_app.demo.season import demo_reference

    with tempfile.TemporaryDirectory(prefix="qa-studio-demo-") as tmp:
        path = Path(tmp) / "demo.jsonl"
        write_jsonl(path, seed=seed, n_conversations=n_conversations)
        with path.open("a", encoding="utf-8", newline="\n") as handle:  # chats a bot answered
            for record in bot_chats(seed, n_conversations, DEFAULT_END):
                handle.write(to_json_line(record) + "\n")
        moment = demo_reference(reference)
        options = ImportOptions(source=DEMO_SOURCE, errors_dir=Path(tmp), clock=lambda: moment)
        return import_file(session, path, SYSTEM, options, progress)


def create_demo_accounts(
    session: Session, password: str | None = None, reference: datetime | None = None
) -> list[DemoAccount]:
    """One account per role plus one per demo agent; passwords are returned once, never stored."""
    from qa_app.demo.corpus.personas import AGENTS
    from qa_app.demo.mystery import DEMO_SHOPPERS
    from qa_app.demo.season import demo_reference

    created_at = demo_reference(reference)

    wanted = [(u, r, n, None, lang) for u, r, n, lang in DEMO_STAFF]
    # the shoppers too: created later by the mystery programme, they had a password no one saw
    wanted += [(u, "shopper", n, None, "ru") for u, n in DEMO_SHOPPERS]
    wanted += [(a.login, "agent", a.name, a.login, _language_of(a.name)) for a in AGENTS]
    accounts = []
    for username, role, name, agent_login, language in wanted:
        if find_user(session, username) is not None:
            accounts.append(DemoAccount(username, role, None))
            continue
        _, generated = add_user(
            session,
            SYSTEM,
            username,
            role,
            password=password,
            display_name=name,
            agent_login=agent_login,
            language=language,
            now=created_at,
        )
        accounts.append(DemoAccount(username, role, password or generated))
    session.commit()
    return accounts


def set_demo_goals(session: Session, reference: datetime | None = None) -> None:
    """Weekly goals for the demo reviewers, set after the season (at its reference moment)
    so its samples are as before; from then on samples and plans respect them."""
    from qa_app.demo.season import demo_reference
    from qa_app.services.reviews import set_goal

    for username, weekly in DEMO_GOALS.items():
        if find_user(session, username) is not None:
            set_goal(session, SYSTEM, username, weekly, now=demo_reference(reference))


def load_demo(
    session: Session,
    seed: int = DEMO_SEED,
    n_conversations: int = 2400,
    password: str | None = None,
    progress: Callable | None = None,
    n_jobs: int = 2,
    reviews: bool = True,
    reference: datetime | None = None,
) -> DemoResult:
    """Import the corpus, create accounts and rubric, score everything, then a review season.

    Scoring comes before the reviews so risk-weighted sampling and the review page's
    suggestions see the automatic scores, as they would in a team's daily work.
    ``reference`` is the season's "today" (default: a few days after the corpus's own last
    day), so the demo never depends on the day it is loaded.
    """
    from qa_app.demo.coaching import create_demo_plans
    from qa_app.demo.reviews import create_demo_reviews
    from qa_app.services.autoqa import score_conversations
    from qa_app.services.rubrics import active_version

    result = DemoResult()
    result.import_summary = import_demo_corpus(session, seed, n_conversations, progress, reference)
    result.accounts = create_demo_accounts(session, password, reference)
    result.rubrics = ensure_default_rubric(session)
    session.commit()
    if result.rubrics:
        result.notes.append(f"rubrics loaded: {', '.join(result.rubrics)}")
    scoring = score_conversations(session, SYSTEM, n_jobs=n_jobs)
    result.notes.append(
        f"automatic scores: {scoring.scored:,} conversations, {scoring.messages:,} messages "
        f"in {scoring.seconds:.0f} s ({scoring.messages_per_second:,.0f} messages/s)"
    )
    add_mystery_programme(session, result, seed, reference)
    if not reviews:
        return result
    season = create_demo_reviews(
        session, active_version(session).version_id, seed=seed, reference=reference
    )
    set_demo_goals(session, reference)
    plans = create_demo_plans(session, reference)
    session.commit()
    result.notes.append(
        f"reviews: {season.reviews:,} submitted, {season.in_progress:,} in progress, "
        f"{season.pending:,} waiting in queues; disputes: "
        + ", ".join(f"{k} {v}" for k, v in sorted(season.disputes.items()))
        + f"; calibration sessions: {len(season.calibration_sessions)}"
    )
    result.notes.append(f"coaching plans: {plans} (sessions for the new hire and the curt agent)")
    result.notes.append(
        "weekly goals: " + ", ".join(f"{name} {goal}" for name, goal in DEMO_GOALS.items())
    )
    return result


def add_mystery_programme(
    session: Session, result: DemoResult, seed: int, reference: datetime | None
) -> None:
    """The mystery-shopper programme: scenarios, shoppers and a season of visits."""
    from qa_app.demo.mystery import create_demo_mystery
    from qa_app.demo.season import demo_reference

    summary = create_demo_mystery(session, demo_reference(reference), seed=seed)
    session.commit()
    if summary.visits:
        result.notes.append(
            f"mystery shopping: {summary.scenarios} scenarios, {summary.visits} visits over "
            f"every channel, {summary.published} published to the agents"
        )


def has_conversations(uow: UnitOfWork) -> bool:
    """Whether any conversation is stored (``qa-studio demo --if-empty`` then does nothing)."""
    with uow:
        return conversation_count(uow.session) > 0


def do_load_demo(uow: UnitOfWork, **options) -> DemoResult:
    """``load_demo`` in its own unit of work (it commits as it goes, and once at the end)."""
    with uow:
        result = load_demo(uow.session, **options)
        uow.commit()
    return result


def _language_of(name: str) -> str:
    """An agent reads the language their (one-language) name is written in."""
    return "ru" if any("а" <= ch <= "я" for ch in name.lower()) else "en"

"""Scenarios in the database: what a lead creates and shoppers pick when they record a visit.

The shipped catalogue (``rubrics/mystery-scenarios.yaml``) is installed once with
``install_catalogue``; a lead adds and edits more on the scenarios page. Texts are stored
as ``{"en": ..., "ru": ...}``: a catalogue scenario has both, a lead's typed scenario has
the language it was typed in, and ``local`` falls back to the other one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.mystery.checklist import available_checklists
from qa_app.services.mystery.scenario_catalogue import (
    MysteryScenarioCatalogue,
    load_mystery_scenarios,
)
from qa_app.services.permissions import require
from qa_app.storage.models import CHANNELS, MysteryScenario, MysteryVisit

TEXT_LIMIT = 4000
NAME_LIMIT = 200


def local(texts: Mapping[str, str] | None, lang: str) -> str:
    """A stored text in ``lang``, else in the other language, else empty."""
    texts = texts or {}
    return texts.get(lang) or next((v for v in texts.values() if v), "")


@dataclass(frozen=True, slots=True)
class ScenarioInfo:
    id: int
    slug: str
    name: str
    channel: str
    persona: str
    request: str
    correct_answer: str
    checklist: str
    is_active: bool
    visits: int


@dataclass(frozen=True, slots=True)
class ScenarioInput:
    """What the scenario form sends (texts in ``lang``, the language they were typed in)."""

    name: str
    channel: str
    persona: str
    request: str
    correct_answer: str
    checklist: str
    lang: str = "en"


def scenario_infos(session: Session, lang: str, *, active_only: bool = False) -> list[ScenarioInfo]:
    """Every scenario with its number of visits, newest name order."""
    counts = dict(
        session.execute(
            select(MysteryVisit.scenario_id, func.count()).group_by(MysteryVisit.scenario_id)
        ).all()
    )
    stmt = select(MysteryScenario).order_by(MysteryScenario.id)
    if active_only:
        stmt = stmt.where(MysteryScenario.is_active.is_(True))
    return [
        ScenarioInfo(
            id=s.id,
            slug=s.slug,
            name=local(s.name, lang),
            channel=s.channel,
            persona=local(s.persona, lang),
            request=local(s.request, lang),
            correct_answer=local(s.correct_answer, lang),
            checklist=s.checklist,
            is_active=s.is_active,
            visits=counts.get(s.id, 0),
        )
        for s in session.scalars(stmt)
    ]


def _clean(value: str, field: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"{field} is required", key="mystery.scenario.required", field=field)
    if len(text) > limit:
        raise InvalidInput(
            f"{field} is longer than {limit} characters",
            key="mystery.scenario.too_long",
            field=field,
            limit=limit,
        )
    return text


def _checked(data: ScenarioInput) -> dict:
    if data.channel not in CHANNELS:
        raise InvalidInput(
            f"unknown channel {data.channel!r}",
            key="mystery.scenario.channel",
            channel=data.channel,
        )
    if data.checklist not in available_checklists():
        raise InvalidInput(
            f"unknown checklist {data.checklist!r}",
            key="mystery.scenario.checklist",
            checklist=data.checklist,
        )
    lang = data.lang if data.lang in ("en", "ru") else "en"
    return {
        "name": {lang: _clean(data.name, "name", NAME_LIMIT)},
        "persona": {lang: _clean(data.persona, "persona", TEXT_LIMIT)},
        "request": {lang: _clean(data.request, "request", TEXT_LIMIT)},
        "correct_answer": {lang: _clean(data.correct_answer, "correct_answer", TEXT_LIMIT)},
        "channel": data.channel,
        "checklist": data.checklist,
    }


def _slug(session: Session, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "scenario"
    slug, number = base, 1
    while session.scalar(select(MysteryScenario.id).where(MysteryScenario.slug == slug)):
        number += 1
        slug = f"{base}-{number}"
    return slug


def create_scenario(
    session: Session, actor: Actor, data: ScenarioInput, *, now: datetime | None = None
) -> int:
    """Add a scenario (lead or admin); returns its id."""
    require(actor, "mystery.scenario_manage")
    values = _checked(data)
    moment = utc_now(now)
    row = MysteryScenario(
        slug=_slug(session, next(iter(values["name"].values()))),
        created_by=actor.user_id,
        created_at=moment,
        updated_at=moment,
        **values,
    )
    session.add(row)
    session.flush()
    record_event(session, actor, "mystery.scenario_created", "mystery_scenario", row.id, now=now)
    return row.id


def update_scenario(
    session: Session,
    actor: Actor,
    scenario_id: int,
    data: ScenarioInput,
    *,
    is_active: bool = True,
    now: datetime | None = None,
) -> None:
    """Change a scenario's texts (in the form's language, the other kept), channel,
    checklist and whether shoppers can still pick it. Past visits keep their checklist."""
    require(actor, "mystery.scenario_manage")
    row = session.get(MysteryScenario, scenario_id)
    if row is None:
        raise NotFound(f"no scenario {scenario_id}", key="mystery.scenario.not_found")
    values = _checked(data)
    for field in ("name", "persona", "request", "correct_answer"):
        setattr(row, field, {**(getattr(row, field) or {}), **values[field]})
    row.channel, row.checklist, row.is_active = values["channel"], values["checklist"], is_active
    row.updated_at = utc_now(now)
    record_event(session, actor, "mystery.scenario_updated", "mystery_scenario", row.id, now=now)


def _texts(local_text) -> dict[str, str]:
    return {"en": local_text.en, "ru": local_text.ru}


def install_catalogue(
    session: Session,
    actor: Actor,
    catalogue: MysteryScenarioCatalogue | None = None,
    *,
    now: datetime | None = None,
) -> int:
    """Add the shipped scenarios that are not in the database yet (by id); returns how many.
    The request is the shopper's opening line, the persona its name and profile."""
    require(actor, "mystery.scenario_manage")
    catalogue = catalogue or load_mystery_scenarios()
    known = set(session.scalars(select(MysteryScenario.slug)))
    moment, added = utc_now(now), 0
    for item in catalogue.scenarios:
        if item.id in known:
            continue
        persona = {
            lang: f"{item.persona.name.get(lang)}: {item.persona.profile.get(lang)}"
            for lang in ("en", "ru")
        }
        session.add(
            MysteryScenario(
                slug=item.id,
                name=_texts(item.name),
                channel=item.channel,
                persona=persona,
                request=_texts(item.opening),
                correct_answer=_texts(item.correct_answer),
                checklist=item.checklist,
                created_by=actor.user_id,
                created_at=moment,
                updated_at=moment,
            )
        )
        added += 1
    if added:
        session.flush()
        record_event(
            session,
            actor,
            "mystery.catalogue_installed",
            "mystery_scenario",
            "",
            now=now,
            added=added,
        )
    return added


def scenario_by_key(session: Session, key: str | int) -> MysteryScenario:
    """A scenario by id or slug (CSV files name it either way); NotFound otherwise."""
    row = None
    if isinstance(key, int) or str(key).isdigit():
        row = session.get(MysteryScenario, int(key))
    if row is None:
        row = session.scalar(select(MysteryScenario).where(MysteryScenario.slug == str(key)))
    if row is None:
        raise NotFound(f"no scenario {key!r}", key="mystery.scenario.not_found")
    return row

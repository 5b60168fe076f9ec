"""Who gets which role through single sign-on: the deployment's mapping file.

The identity provider says who someone is (their e-mail, their groups); the mapping says
what that person may do in QA Studio. It is a small YAML file the admin writes
(``docs/sso.md``); the first rule that matches decides the role and the team, and a person
no rule matches gets no account at all. A mistake in the file is reported with the rule
number and the key, so the server refuses to start with it instead of letting the wrong
people in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from qa_app.services.errors import InvalidInput
from qa_app.storage.models import LANGUAGES, ROLES

RULE_KEYS = frozenset(("groups", "email_domains", "role", "team"))
TOP_KEYS = frozenset(("groups_claim", "agent_login_claim", "language", "rules"))


class MappingError(InvalidInput):
    """The mapping file is unusable; ``where`` says which part, ``detail`` why."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"{where}: {detail}", key="sso.mapping_invalid", where=where,
                         detail=detail)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SsoRule:
    """One line of the mapping: who it matches (groups and/or e-mail domains; with both,
    the person must match both) and what they become."""

    role: str
    groups: frozenset[str] = frozenset()
    email_domains: frozenset[str] = frozenset()
    team: str | None = None

    def matches(self, groups: frozenset[str], email: str) -> bool:
        domain = email.rsplit("@", 1)[-1].lower() if "@" in email else ""
        group_ok = not self.groups or bool(self.groups & groups)
        domain_ok = not self.email_domains or domain in self.email_domains
        return group_ok and domain_ok


@dataclass(frozen=True, slots=True)
class SsoMapping:
    """The whole mapping: rules in order, and which ID-token claims carry groups and, for
    agents, the agent login."""

    rules: tuple[SsoRule, ...]
    groups_claim: str = "groups"
    agent_login_claim: str = "preferred_username"
    language: str = "en"

    def rule_for(self, groups: Iterable[str], email: str) -> SsoRule | None:
        """The first rule this person matches, or None (no role: refused)."""
        held = frozenset(str(g).strip() for g in groups)
        return next((rule for rule in self.rules if rule.matches(held, email or "")), None)


def _names(value: Any, where: str, *, lower: bool = False) -> frozenset[str]:
    """A list of names (a single name is accepted too); empty names are an error."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise MappingError(where, "give a name or a list of names")
    names = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise MappingError(where, f"{item!r} is not a name")
        names.append(item.strip().lower() if lower else item.strip())
    return frozenset(names)


def _rule(raw: Any, number: int) -> SsoRule:
    where = f"rules[{number}]"
    if not isinstance(raw, Mapping):
        raise MappingError(where, "a rule is a mapping with role and groups or email_domains")
    unknown = sorted(set(raw) - RULE_KEYS)
    if unknown:
        raise MappingError(
            where, f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(RULE_KEYS))})"
        )
    role = str(raw.get("role") or "").strip().lower()
    if role not in ROLES:
        raise MappingError(
            f"{where}.role", f"{raw.get('role')!r} is not a role ({', '.join(ROLES)})"
        )
    if "groups" not in raw and "email_domains" not in raw:
        raise MappingError(where, "say whom the rule matches: groups, email_domains or both")
    groups = _names(raw["groups"], f"{where}.groups") if "groups" in raw else frozenset()
    domains = (
        _names(raw["email_domains"], f"{where}.email_domains", lower=True)
        if "email_domains" in raw
        else frozenset()
    )
    if any("@" in d for d in domains):
        raise MappingError(f"{where}.email_domains", "write the domain only, without '@'")
    team = raw.get("team")
    if team is not None and (not isinstance(team, str) or not team.strip()):
        raise MappingError(f"{where}.team", "a team is the name of a QA Studio team")
    return SsoRule(role, groups, domains, team.strip() if team else None)


def _claim_name(raw: Mapping, key: str, default: str) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise MappingError(key, "the name of an ID-token claim")
    return value.strip()


def parse_mapping(text: str) -> SsoMapping:
    """The mapping in ``text`` (YAML), or MappingError saying where and what is wrong."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "file"
        raise MappingError(where, "not valid YAML") from None
    if not isinstance(raw, Mapping):
        raise MappingError("file", "expected keys such as rules: and groups_claim:")
    unknown = sorted(set(raw) - TOP_KEYS)
    if unknown:
        raise MappingError(unknown[0], f"unknown key (allowed: {', '.join(sorted(TOP_KEYS))})")
    rules = raw.get("rules")
    if not isinstance(rules, list) or not rules:
        raise MappingError("rules", "give at least one rule")
    language = str(raw.get("language", "en")).strip().lower()
    if language not in LANGUAGES:
        raise MappingError("language", f"{language!r} is not one of {', '.join(LANGUAGES)}")
    return SsoMapping(
        rules=tuple(_rule(rule, number) for number, rule in enumerate(rules, start=1)),
        groups_claim=_claim_name(raw, "groups_claim", "groups"),
        agent_login_claim=_claim_name(raw, "agent_login_claim", "preferred_username"),
        language=language,
    )


def load_mapping(path: str | Path) -> SsoMapping:
    """The mapping file at ``path``; a missing or unreadable file is a MappingError too."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(str(path), f"cannot be read ({type(exc).__name__})") from None
    return parse_mapping(text)

"""User administration on both databases: admin only, valid roles, agent links, audit."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from qa_app.services.accounts import auth, identity, users
from qa_app.services.actor import SYSTEM, Actor
from qa_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import Agent, AuditEvent

os.environ.setdefault(auth.HASH_COST_ENV, "test")


def _call(url, fn, *args, **kwargs):
    with unit_of_work(url) as session:
        return fn(session, *args, **kwargs)


def test_add_generates_a_strong_password_once(db_url):
    row, password = _call(db_url, users.add_user, SYSTEM, "olga", "reviewer", display_name="Olga")
    assert row.role == "reviewer" and row.display_name == "Olga" and row.is_active
    assert password and len(password) >= 16
    assert any(c.isdigit() for c in password) and any(c.isupper() for c in password)
    assert _call(db_url, auth.authenticate, "olga", password).username == "olga"
    _, given = _call(db_url, users.add_user, SYSTEM, "ivan", "lead", password="ivan-secret-99")
    assert given is None


def test_add_refuses_duplicates_bad_names_and_roles(db_url):
    _call(db_url, users.add_user, SYSTEM, "olga", "reviewer")
    with pytest.raises(Conflict) as dup:
        _call(db_url, users.add_user, SYSTEM, "OLGA", "reviewer")
    assert dup.value.key == "users.exists"
    with pytest.raises(InvalidInput) as role:
        _call(db_url, users.add_user, SYSTEM, "petr", "boss")
    assert role.value.key == "users.unknown_role" and "reviewer" in role.value.params["roles"]
    with pytest.raises(InvalidInput) as name:
        _call(db_url, users.add_user, SYSTEM, "bad name!", "reviewer")
    assert name.value.key == "users.bad_username"
    with pytest.raises(InvalidInput):
        _call(db_url, users.add_user, SYSTEM, "petr", "reviewer", password="short")


def test_agent_user_needs_an_existing_agent(db_url):
    with pytest.raises(InvalidInput) as missing:
        _call(db_url, users.add_user, SYSTEM, "anna", "agent")
    assert missing.value.key == "users.agent_required"
    with pytest.raises(NotFound) as unknown:
        _call(db_url, users.add_user, SYSTEM, "anna", "agent", agent_login="a.petrova")
    assert unknown.value.params == {"login": "a.petrova"}
    _call(db_url, lambda s: s.add(Agent(login="a.petrova")))
    row, _ = _call(db_url, users.add_user, SYSTEM, "anna", "agent", agent_login="A.Petrova")
    assert row.agent_login == "a.petrova"


def test_only_admins_manage_users(db_url):
    _call(db_url, users.add_user, SYSTEM, "lead1", "lead")
    lead = Actor(user_id=None, username="lead1", role="lead")
    for action in (
        lambda s: users.add_user(s, lead, "x1", "reviewer"),
        lambda s: users.list_users(s, lead),
        lambda s: users.set_role(s, lead, "lead1", "admin"),
        lambda s: users.reset_password(s, lead, "lead1"),
        lambda s: users.deactivate(s, lead, "lead1"),
    ):
        with pytest.raises(PermissionDenied):
            _call(db_url, action)


def test_role_change_reset_and_deactivate_are_audited(db_url):
    _call(db_url, users.add_user, SYSTEM, "root", "admin", password="root-secret-123")
    _call(db_url, users.add_user, SYSTEM, "olga", "reviewer", password="olga-secret-123")
    assert _call(db_url, users.set_role, SYSTEM, "olga", "trainer").role == "trainer"
    for _ in range(auth.FAILURES_BEFORE_LOCK):
        with pytest.raises(auth.SignInFailed):
            _call(db_url, auth.authenticate, "olga", "wrong-password")
    new_password = _call(db_url, users.reset_password, SYSTEM, "olga")
    assert _call(db_url, auth.authenticate, "olga", new_password).role == "trainer"
    assert not _call(db_url, users.deactivate, SYSTEM, "olga").is_active
    assert [
        r.username for r in _call(db_url, users.list_users, SYSTEM, include_inactive=False)
    ] == ["root"]
    actions = _call(db_url, lambda s: list(s.scalars(select(AuditEvent.action))))
    for expected in ("user.added", "user.role_changed", "user.password_reset", "user.deactivated"):
        assert expected in actions


def test_last_admin_and_self_are_protected(db_url):
    row, _ = _call(db_url, users.add_user, SYSTEM, "root", "admin")
    root = Actor(user_id=row.id, username="root", role="admin")
    with pytest.raises(Conflict) as last:
        _call(db_url, users.set_role, SYSTEM, "root", "lead")
    assert last.value.key == "users.last_admin"
    with pytest.raises(Conflict) as self_off:
        _call(db_url, users.deactivate, root, "root")
    assert self_off.value.key == "users.cannot_deactivate_self"
    with pytest.raises(NotFound):
        _call(db_url, users.deactivate, root, "ghost")


def test_set_language_is_saved(db_url):
    row, _ = _call(db_url, users.add_user, SYSTEM, "olga", "reviewer")
    actor = Actor(user_id=row.id, username="olga", role="reviewer")
    assert _call(db_url, users.set_language, actor, "RU") == "ru"
    assert _call(db_url, identity.load_actor, row.id).language == "ru"
    with pytest.raises(InvalidInput):
        _call(db_url, users.set_language, actor, "de")

"""Single sign-on: the mapping file (validated with clear errors) and the accounts it makes,
on a real SQLite file and the real PostgreSQL server. The claims are what Streamlit's
``st.user`` carries after ``st.login`` (the ID token's claims); the browser path with a
real OpenID provider is ``test_e2e_sso.py``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from qa_app.services import accounts
from qa_app.services import database as services_db
from qa_app.services.accounts.sso import NO_PASSWORD
from qa_app.services.errors import InvalidInput, ServiceError
from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent, AuditEvent, SignInSession, Team, User

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
ISSUER = "http://idp.example.test"

MAPPING = """
groups_claim: groups
language: ru
rules:
  - groups: [qa-admins]
    role: admin
  - groups: [support-leads]
    role: lead
    team: North
  - groups: [agents]
    role: agent
  - email_domains: [example.com]
    groups: [qa-reviewers]
    role: reviewer
  - email_domains: partner.org
    role: shopper
"""


def claims(sub: str, email: str, groups=(), **extra) -> dict:
    return {"iss": ISSUER, "sub": sub, "email": email, "groups": list(groups),
            "iat": int((NOW - timedelta(seconds=5)).timestamp()), **extra}  # fmt: skip


@pytest.fixture
def world(db_url):
    with storage_db.unit_of_work(db_url) as session:
        north = Team(name="North")
        session.add(north)
        session.flush()
        session.add(Agent(login="d.smirnov", display_name="Dmitry", team_id=north.id))
        session.add(User(username="admin", password_hash="x", role="admin"))
        session.commit()
    return db_url


def sign_in(url: str, the_claims: dict, mapping_text: str = MAPPING, now=NOW):
    mapping = accounts.parse_sso_mapping(mapping_text)
    return accounts.do_sso_sign_in(services_db.unit_of_work(url), the_claims, mapping, now=now)


def users_and_events(url: str):
    with storage_db.unit_of_work(url) as session:
        users = {u.username: (u.role, u.team_id, u.sso_subject, u.password_hash, u.language)
                 for u in session.query(User)}  # fmt: skip
        events = [(e.action, e.details) for e in session.query(AuditEvent).order_by(AuditEvent.id)]
        sessions = session.query(SignInSession).count()
    return users, events, sessions


def test_a_mapped_group_creates_the_account_with_role_team_and_a_session(world):
    actor, token = sign_in(world, claims("u-1", "Olga.Lead@example.com", ["support-leads"],
                                         name="Olga"))  # fmt: skip
    assert actor.role == "lead" and actor.username == "Olga.Lead@example.com"
    assert actor.language == "ru"  # the mapping's language for new accounts
    english = sign_in(world, claims("u-1e", "e@example.com", ["qa-reviewers"], locale="en-GB"))
    assert english[0].language == "en"  # the provider's locale, when it is one of ours
    check = accounts.do_check_session(services_db.unit_of_work(world), token, timedelta(hours=1),
                                      now=NOW)  # fmt: skip
    assert check.actor is not None and check.actor.user_id == actor.user_id
    users, events, _ = users_and_events(world)
    role, team_id, subject, password_hash, _ = users["Olga.Lead@example.com"]
    assert role == "lead" and team_id is not None and subject == f"{ISSUER}|u-1"
    assert password_hash == NO_PASSWORD
    assert not accounts.verify_password(password_hash, NO_PASSWORD)
    actions = [a for a, _ in events]
    assert actions == ["user.sso_created", "auth.signed_in"] * 2
    assert events[0][1]["role"] == "lead" and events[1][1]["method"] == "sso"


def test_no_matching_rule_is_refused_and_nothing_is_created(world):
    with pytest.raises(accounts.SsoRefused) as refused:
        sign_in(world, claims("u-2", "guest@elsewhere.net", ["marketing"]))
    assert refused.value.key == "sso.no_role"
    assert refused.value.params["email"] == "guest@elsewhere.net"
    users, events, sessions = users_and_events(world)
    assert set(users) == {"admin"} and sessions == 0
    assert events == [("auth.sso_refused", {"reason": "no_role", "groups": "marketing"})]


def test_the_first_rule_wins_and_a_rule_with_groups_and_domain_needs_both(world):
    # qa-reviewers from another domain: the reviewer rule needs example.com too
    with pytest.raises(accounts.SsoRefused):
        sign_in(world, claims("u-3", "r@other.com", ["qa-reviewers"]))
    assert sign_in(world, claims("u-4", "r@example.com", ["qa-reviewers"]))[0].role == "reviewer"
    # admin listed first wins over the lead rule
    both = claims("u-5", "boss@example.com", ["support-leads", "qa-admins"])
    assert sign_in(world, both)[0].role == "admin"
    # a domain-only rule, groups claim absent
    partner = {k: v for k, v in claims("u-6", "p@Partner.org").items() if k != "groups"}
    assert sign_in(world, partner)[0].role == "shopper"


def test_a_later_sign_in_follows_the_groups_and_ends_older_sessions(world):
    first, old_token = sign_in(world, claims("u-7", "m@example.com", ["qa-reviewers"]))
    again, _ = sign_in(world, claims("u-7", "m@example.com", ["support-leads"]),
                       now=NOW + timedelta(minutes=1))  # fmt: skip
    assert again.user_id == first.user_id and again.role == "lead"
    old = accounts.do_check_session(services_db.unit_of_work(world), old_token,
                                    timedelta(hours=1), now=NOW + timedelta(minutes=2))  # fmt: skip
    assert old.actor is None and old.reason == "revoked"
    _, events, _ = users_and_events(world)
    assert ("user.sso_updated", {"old": "reviewer", "new": "lead"}) in events


def test_an_agent_is_linked_to_their_agent_or_refused_clearly(world):
    actor, _ = sign_in(world, claims("u-8", "d.smirnov@example.com", ["agents"]))
    assert actor.role == "agent" and actor.agent_id is not None and actor.team_id is not None
    with pytest.raises(accounts.SsoRefused) as refused:
        sign_in(world, claims("u-9", "nobody@example.com", ["agents"]))
    assert refused.value.key == "sso.agent_not_found" and refused.value.params["login"] == "nobody"


def test_refusals_that_protect_existing_accounts(world):
    # a local password account with the same name is not taken over
    with pytest.raises(accounts.SsoRefused) as taken:
        sign_in(world, claims("u-10", "admin", ["qa-admins"]))
    assert taken.value.key == "sso.no_email"
    _add_local(world)
    with pytest.raises(accounts.SsoRefused) as taken:
        sign_in(world, claims("u-11", "local@example.com", ["qa-admins"]))
    assert taken.value.key == "sso.name_taken"
    # a deactivated single sign-on account stays out
    sign_in(world, claims("u-12", "gone@example.com", ["qa-reviewers"]))
    _deactivate(world, "gone@example.com")
    with pytest.raises(accounts.SsoRefused) as gone:
        sign_in(world, claims("u-12", "gone@example.com", ["qa-reviewers"]))
    assert gone.value.key == "sso.deactivated"
    # a mapped team that does not exist
    with pytest.raises(accounts.SsoRefused) as team:
        sign_in(world, claims("u-13", "x@example.com", ["support-leads"]),
                MAPPING.replace("team: North", "team: South"))  # fmt: skip
    assert team.value.key == "sso.team_not_found" and team.value.params["team"] == "South"
    users, _, _ = users_and_events(world)
    assert "x@example.com" not in users


def _add_local(url: str) -> None:
    from qa_app.services.actor import SYSTEM

    accounts.do_add_user(services_db.unit_of_work(url), SYSTEM, "local@example.com", "reviewer",
                         password="a-long-password-1")  # fmt: skip


def _deactivate(url: str, username: str) -> None:
    from qa_app.services.actor import SYSTEM

    accounts.do_deactivate(services_db.unit_of_work(url), SYSTEM, username)


def test_an_old_identity_does_not_open_a_new_session(world):
    old = claims("u-14", "late@example.com", ["qa-reviewers"])
    with pytest.raises(accounts.SsoStale):
        sign_in(world, old, now=NOW + timedelta(minutes=11))
    with pytest.raises(accounts.SsoStale):
        sign_in(world, {k: v for k, v in old.items() if k != "iat"})
    users, _, _ = users_and_events(world)
    assert "late@example.com" not in users


@pytest.mark.parametrize(
    ("text", "where", "detail"),
    [
        ("rules: [", "line", "not valid YAML"),
        ("- a\n- b", "file", "expected keys"),
        ("rules: []", "rules", "at least one rule"),
        ("rulez: []", "rulez", "unknown key"),
        ("rules:\n  - groups: [a]\n    role: boss", "rules[1].role", "'boss' is not a role"),
        ("rules:\n  - role: admin", "rules[1]", "groups, email_domains or both"),
        ("rules:\n  - groups: [a]\n    role: admin\n    colour: red", "rules[1]", "'colour'"),
        ("rules:\n  - groups: []\n    role: admin", "rules[1].groups", "list of names"),
        (
            "rules:\n  - email_domains: ['@x.com']\n    role: admin",
            "rules[1].email_domains",
            "without '@'",
        ),
        ("rules:\n  - groups: a\n    role: admin\n    team: ''", "rules[1].team", "team"),
        ("language: de\nrules:\n  - groups: a\n    role: admin", "language", "'de'"),
        ("groups_claim: ''\nrules:\n  - groups: a\n    role: admin", "groups_claim", "claim"),
    ],
)
def test_a_bad_mapping_says_where_and_why(text, where, detail):
    with pytest.raises(accounts.SsoMappingError) as bad:
        accounts.parse_sso_mapping(text)
    assert bad.value.params["where"].startswith(where)
    assert detail in bad.value.params["detail"]
    assert bad.value.key == "sso.mapping_invalid"


def test_the_documented_example_mapping_is_valid():
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "docs" / "sso-mapping.example.yaml"
    mapping = accounts.load_sso_mapping(example)
    assert mapping.rules and mapping.rule_for(["qa-admins"], "a@example.com").role == "admin"


def test_a_missing_mapping_file_is_a_clear_error(tmp_path):
    with pytest.raises(accounts.SsoMappingError) as missing:
        accounts.load_sso_mapping(tmp_path / "nope.yaml")
    assert "cannot be read" in missing.value.params["detail"]


@pytest.fixture
def pg_url(pg_available):
    """A migrated PostgreSQL schema of its own, for sign-ins side by side."""
    if pg_available:
        pytest.skip(pg_available)
    from conftest import migrated_pg_schema

    yield from migrated_pg_schema()


def test_parallel_first_sign_ins_make_one_account_or_a_clear_conflict(pg_url):
    from test_races import THREADS, outcome, race

    person = claims("u-race", "race@example.com", ["qa-reviewers"])
    done, conflicts = outcome(race(lambda i: sign_in(pg_url, person)))
    assert len(done) >= 1 and len(done) + len(conflicts) == THREADS
    assert {c.key for c in conflicts} <= {"error.concurrent"}
    users, events, sessions = users_and_events(pg_url)
    assert [name for name in users if name != "admin"] == ["race@example.com"]
    assert sessions == len(done)
    assert [a for a, _ in events].count("user.sso_created") == 1


def test_a_single_sign_on_account_has_no_password_to_change(world):
    actor, _ = sign_in(world, claims("u-15", "np@example.com", ["qa-reviewers"]))
    with pytest.raises(InvalidInput) as refused:
        accounts.do_change_password(services_db.unit_of_work(world), actor, "", "new-password-123")
    assert refused.value.key == "sso.no_password"
    # nor does the password form sign it in
    with pytest.raises(ServiceError):
        accounts.do_sign_in(services_db.unit_of_work(world), "np@example.com", NO_PASSWORD)

"""The app shell in Streamlit's AppTest: every page in PAGES for every role allowed (and a
denial for one that is not), sign-in, lockout message, idle timeout, deactivation, language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from ui_harness import (
    TEST_PASSWORD,
    make_user,
    reader_text,
    run_app,
    run_page,
    seed,
    seed_conversations,
    visible_text,
)

from qa_app.i18n import t
from qa_app.services.accounts import users
from qa_app.services.actor import SYSTEM
from qa_app.services.permissions import ROLES as ALL_ROLES
from qa_app.storage import db as storage_db
from qa_app.storage.models import SignInSession
from qa_app.ui import context
from qa_app.ui.screens import PAGES, pages_for_role

CASES = [(spec.key, role) for spec in PAGES for role in ALL_ROLES if spec.allows(role)]
DENIALS = [
    (spec.key, next(role for role in reversed(ALL_ROLES) if not spec.allows(role)))
    for spec in PAGES
    if not all(spec.allows(role) for role in ALL_ROLES)
]


@pytest.fixture(scope="module")
def shared_url(tmp_path_factory):
    """One migrated SQLite file with conversations, shared by the page smoke tests."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ui') / 'qa.db'}"
    storage_db.upgrade(url)
    seed_conversations(url, 60)
    yield url
    storage_db.dispose_engine(url)


def _agent_kwargs(role: str) -> dict:
    return {"agent_login": "a.petrova"} if role == "agent" else {}


@pytest.mark.parametrize(("page_key", "role"), CASES)
def test_every_page_renders_for_allowed_roles(shared_url, page_key, role):
    at = run_page(page_key, role, shared_url, **_agent_kwargs(role))
    assert not at.exception, at.exception
    denied = t("shell.page_denied", "en", role=t(f"role.{role}", "en"))
    assert denied not in visible_text(at)


@pytest.mark.parametrize("page_key", [spec.key for spec in PAGES])
def test_every_page_renders_in_russian(shared_url, page_key):
    role = "admin"
    at = run_page(page_key, role, shared_url, "ru", username="admin-ru")
    assert not at.exception, at.exception
    text = visible_text(at)
    assert t("shell.signed_in_as", "ru") in text  # the shell speaks the user's language
    assert t("shell.signed_in_as", "en") not in text


@pytest.mark.parametrize(("page_key", "role"), DENIALS)
def test_page_denied_for_other_roles(shared_url, page_key, role):
    at = run_page(page_key, role, shared_url, **_agent_kwargs(role))
    assert not at.exception
    assert [e.value for e in at.error] == [
        t("shell.page_denied", "en", role=t(f"role.{role}", "en"))
    ]


def test_navigation_lists_only_allowed_pages():
    agent_pages = {spec.key for spec in pages_for_role("agent")}
    assert "users" not in agent_pages and {"overview", "account"} <= agent_pages
    assert {spec.key for spec in pages_for_role("admin")} == {spec.key for spec in PAGES}


def _sign_in(at, username: str, password: str):
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    return at.button[0].click().run() if not at.form_submit_button else (
        at.form_submit_button[0].click().run()
    )  # fmt: skip


def test_sign_in_wrong_then_right(sqlite_url):
    make_user(sqlite_url, "reviewer", username="olga")
    at = run_app(sqlite_url, None, "ru")
    assert t("signin.title", "ru") in visible_text(at)
    at = _sign_in(at, "olga", "wrong-password")
    assert [e.value for e in at.error] == [t("auth.invalid_credentials", "ru")]
    at = _sign_in(at, "olga", TEST_PASSWORD)
    assert not at.exception
    assert at.session_state[context.SESSION_USER] is not None
    assert t("queue.title", "en") in visible_text(at)  # a reviewer starts on their queue


LANDINGS = {
    "admin": "overview",
    "lead": "overview",
    "reviewer": "queue",
    "trainer": "coaching",
    "agent": "my_results",
    "shopper": "mystery_visits",
}


def test_every_role_lands_on_its_own_first_page():
    """One rule (``landing_page``) decides where each role starts, and the router's default
    page is that page, which the role may open."""
    from qa_app.ui.app import navigation_for
    from qa_app.ui.screens import landing_page, page_by_key

    assert {role: landing_page(role) for role in ALL_ROLES} == LANDINGS
    for role in ALL_ROLES:
        assert page_by_key(LANDINGS[role]).allows(role)
        pages = [p for section in navigation_for(role).values() for p in section]
        # outside a running script a Page keeps only these (Streamlit's own default marker):
        # the bare address is one hidden page that switches to the landing page
        defaults = [p for p in pages if p._default]
        assert len(defaults) == 1 and defaults[0].visibility == "hidden"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_shopper_signs_in_onto_their_visits(sqlite_url, lang):
    make_user(sqlite_url, "shopper", username="sveta", lang=lang)
    at = run_app(sqlite_url, None, lang)
    at = _sign_in(at, "sveta", TEST_PASSWORD)
    assert not at.exception
    text = visible_text(at)
    assert t("mystery.visits.title", lang) in text
    assert t("overview.title", lang) not in text


def test_lockout_message_tells_time_left(sqlite_url):
    make_user(sqlite_url, "reviewer", username="olga")
    at = run_app(sqlite_url, None, "en")
    for _ in range(5):
        at = _sign_in(at, "olga", "wrong-password")
    at = _sign_in(at, "olga", TEST_PASSWORD)
    assert [e.value for e in at.error] == [t("auth.locked", "en", minutes=1)]


def test_first_run_explains_how_to_create_an_admin(sqlite_url):
    at = run_app(sqlite_url, None, "en")
    assert t("signin.no_users", "en") in [w.value for w in at.warning]


def test_idle_session_signs_out(sqlite_url):
    """Idle time is the stored session's: no click for longer than the limit (moved back
    in the database) signs the tab out at its next run."""
    at = run_app(sqlite_url, "lead")
    idle = timedelta(seconds=context.idle_limit_seconds() + 5)

    def age(session) -> None:
        for row in session.scalars(select(SignInSession)):
            row.last_seen_at = row.last_seen_at - idle

    seed(sqlite_url, age)
    at.run()
    assert context.SESSION_USER not in at.session_state
    assert t("shell.session_expired", "en") in [i.value for i in at.info]


def test_deactivation_and_role_change_apply_on_next_run(sqlite_url):
    """A role change ends the open tab at its next run (it signed in with the old role);
    signing in again gives the new role; deactivation ends it with its own message."""
    make_user(sqlite_url, "admin", username="root")
    at = run_app(sqlite_url, "reviewer", username="olga")
    assert at.session_state[context.SESSION_ROLE] == "reviewer" and not at.exception
    seed(sqlite_url, lambda s: users.set_role(s, SYSTEM, "olga", "admin"))
    at.run()
    assert context.SESSION_USER not in at.session_state
    assert t("shell.session_ended", "en") in [i.value for i in at.info]
    at = _sign_in(at, "olga", TEST_PASSWORD)
    assert at.session_state[context.SESSION_ROLE] == "admin"
    seed(sqlite_url, lambda s: users.deactivate(s, SYSTEM, "olga"))
    at.run()
    assert t("shell.account_inactive", "en") in [i.value for i in at.info]


def test_language_switch_is_saved_for_the_user(sqlite_url):
    at = run_page("account", "trainer", sqlite_url)
    assert at.title[0].value == t("account.title", "en")
    at.segmented_control(key="account_language").set_value("ru").run()
    assert at.title[0].value == t("account.title", "ru")
    again = run_page("overview", "trainer", sqlite_url, "ru")
    assert again.title[0].value == t("overview.title", "ru")


def test_sign_out(sqlite_url):
    at = run_app(sqlite_url, "lead")
    at.button(key="sign_out").click().run()
    assert context.SESSION_USER not in at.session_state
    assert t("shell.signed_out", "en") in [i.value for i in at.info]


def test_admin_adds_a_user_and_sees_the_password_once(sqlite_url):
    at = run_page("users", "admin", sqlite_url)
    at.text_input[0].input("new.reviewer")
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert t("users.added", "en", username="new.reviewer") in [
        reader_text(s.value) for s in at.success
    ]
    assert len(at.code) == 1 and len(at.code[0].value) >= 16
    assert "new.reviewer" in at.dataframe[0].value.iloc[:, 0].tolist()


def test_overview_empty_state_in_both_languages(sqlite_url):
    for lang in ("en", "ru"):
        at = run_page("overview", "lead", sqlite_url, lang)
        assert [i.value for i in at.info] == [t("overview.empty", lang)]


def test_agent_overview_shows_only_own_count(shared_url):
    at = run_page("overview", "agent", shared_url, agent_login="a.petrova", username="anna")
    assert at.metric[0].value == "30"  # half of the 60 seeded conversations
    lead = run_page("overview", "lead", shared_url)
    assert lead.metric[0].value == "60"


def test_errors_are_translated_never_raw():
    from qa_app.services.errors import InvalidInput, PermissionDenied

    denied = context.describe_error(PermissionDenied("x", role="agent"), "ru")
    assert denied == t("error.permission_denied", "ru", role=t("role.agent", "ru"))
    assert context.describe_error(InvalidInput("bad date"), "en") == "Invalid input: bad date"
    unexpected = context.describe_error(ValueError("secret path /etc"), "en")
    assert unexpected == t("shell.unexpected_error", "en") and "/etc" not in unexpected


def test_russian_interface_uses_one_word_per_role():
    """An agent is «оператор» (as the role is called), a reviewer in tables and forms is
    «проверяющий», a team is «группа» (as in «руководитель группы»): pages used to mix
    «сотрудник», «специалист» and «команда» for the same people."""
    import re

    from qa_app.i18n import catalogue

    ru = {key: texts["ru"] for key, texts in catalogue().items()}
    assert not [k for k, v in ru.items() if re.search(r"сотрудник", v, re.IGNORECASE)]
    assert [k for k, v in ru.items() if re.search(r"специалист", v, re.IGNORECASE)] == [
        "role.reviewer"
    ]
    team_words = ("overview.filter.teams", "overview.chart.by_team", "users.col.team")
    assert [ru[k] for k in team_words] == ["Группы", "По группам", "Группа"]


def test_every_choice_list_has_a_translated_placeholder():
    """Streamlit's own placeholder ("Choose options") is English only: every multiselect
    in the app passes one from the catalogue."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "qa_app" / "ui"
    missing = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "multiselect"
                and "placeholder" not in {k.arg for k in node.keywords}
            ):
                missing.append(f"{path.name}:{node.lineno}")
    assert not missing


def test_lead_sidebar_names_the_queue_page_for_what_it_shows():
    from qa_app.ui.screens import page_by_key

    queue = page_by_key("queue")
    assert t(queue.title_key_for("reviewer"), "en") == "My queue"
    assert t(queue.title_key_for("lead"), "en") == "Review queues"
    assert t(queue.title_key_for("lead"), "ru") == "Очереди оценки"


def test_pages_a_role_may_not_open_are_routed_but_hidden():
    """A shared link to a page outside the role lands on the translated role guard, not on
    Streamlit's English "Page not found"; the sidebar still lists only allowed pages."""
    from qa_app.ui.app import navigation_for

    for role in ("agent", "trainer", "reviewer"):
        pages = [p for section in navigation_for(role).values() for p in section]
        visible = [p for p in pages if p.visibility == "visible"]
        hidden = [p for p in pages if p.visibility == "hidden"]
        assert len(visible) == len(pages_for_role(role))
        assert len(hidden) == len(PAGES) - len(pages_for_role(role)) + 1  # + the bare address
    admin = [p for section in navigation_for("admin").values() for p in section]
    assert [p for p in admin if p.visibility == "hidden"] == [p for p in admin if p._default]


def test_agreement_figures_are_written_like_the_calibration_page():
    from qa_app.ui.autoqa_view import _kappa, _share

    assert (_kappa(0.314, "ru"), _kappa(-0.01, "ru"), _kappa(0.5, "en")) == (
        "0,31",
        "−0,01",
        "0.50",
    )
    assert (_kappa(None, "ru"), _kappa(float("nan"), "en")) == ("—", "—")
    assert (_share(0.437), _share(None)) == ("44%", "—")


def test_apostrophes_and_quotes_in_names_show_as_typed():
    """The criterion "Acknowledges the customer's feelings" showed as "customer&#x27;s" on the
    disputes page; markup still cannot get through."""
    from qa_app.ui.user_text import inline

    assert reader_text(inline('the customer\'s "name"')) == 'the customer\'s "name"'
    assert reader_text(inline("<b>**x**</b> #1")) == "<b>**x**</b> #1"
    assert "<b>" not in inline("<b>**x**</b> #1") and "*" not in inline("**x**")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_clicking_the_chosen_sign_in_language_keeps_it_shown(sqlite_url, lang):
    """A segmented control deselects the option clicked again; the sign-in page keeps its
    language and shows it chosen, instead of a control with nothing selected."""
    at = run_app(sqlite_url, None, lang)
    control = at.segmented_control(key="signin_language")
    assert control.value == lang
    control.set_value(None).run()
    assert not at.exception
    assert at.segmented_control(key="signin_language").value == lang
    assert t("signin.title", lang) in visible_text(at)

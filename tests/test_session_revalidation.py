"""An open tab outlives nothing: two "browsers" (two AppTest instances on one database).
When an admin resets a reviewer's password, deactivates them or changes their role in one,
the reviewer's tab in the other signs out at its next click, writes nothing as the old
identity, and keeps what the reviewer had typed but not saved; signing in again as the same
user gives it back and saves it under the new session, and never to another user."""

from __future__ import annotations

import pytest
from review_fixtures import seed_workflow
from sqlalchemy import event, select
from ui_harness import TEST_PASSWORD, make_user, run_page, seed, whole_page

from qa_app.i18n import t
from qa_app.services.accounts import sign_in_sessions
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import Review, SignInSession
from qa_app.ui import context
from qa_app.ui.review_form import comment_key, state_key


def _review_tab(url: str) -> tuple:
    """rev1's tab on the review page of their one assignment, with politeness saved."""
    flow = seed_workflow(url, conversations=2)
    aid = seed(
        url, lambda s: sampling.assign_conversation(s, flow.lead, flow.conversation_ids[0], "rev1")
    )
    make_user(url, "admin", username="root")
    at = run_page("review", "reviewer", url, username="rev1")
    assert not at.exception
    at.radio(key=state_key(aid, "politeness", "v")).set_value(2).run()
    assert _draft(url, aid) == ({"politeness": 2.0}, "")
    return whole_page(at), aid


def _draft(url: str, aid: int) -> tuple[dict, str]:
    with storage_db.unit_of_work(url) as session:
        review = session.scalar(select(Review).where(Review.assignment_id == aid))
        grades = {g.criterion_id: g.value for g in review.grades}
        return grades, review.comment


def _admin_does(url: str, button: str, *, role: str | None = None) -> str | None:
    """In the admin's own browser: pick rev1 on the users page and press ``button``;
    returns the one-time password when one is shown."""
    admin = run_page("users", "admin", url, username="root")
    admin.selectbox(key="users_target").select("rev1").run()
    if role:
        user_id = next(k for k in admin.session_state if str(k).startswith("users_new_role_"))
        admin.selectbox(key=user_id).select(role).run()
    admin.button(key=button).click().run()
    assert not admin.exception and not admin.error
    return admin.code[0].value if admin.code else None


def _type_unsaved(at, aid: int):
    """The reviewer keeps working in the old tab: a grade and a comment, then a click."""
    at.radio(key=state_key(aid, "greeting", "v")).set_value(1)
    at.text_area(key=comment_key(aid)).input("Greeted warmly, typed after the reset")
    return at.run()


def _sign_in(at, username: str, password: str):
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    return at.form_submit_button[0].click().run()


@pytest.mark.parametrize(("button", "role"), [
    ("users_reset", None), ("users_deactivate", None), ("users_set_role", "lead"),
])  # fmt: skip
def test_open_tab_signs_out_at_its_next_click_and_writes_nothing(db_url, button, role):
    at, aid = _review_tab(db_url)
    old_token = at.session_state[context.SESSION_TOKEN]
    _admin_does(db_url, button, role=role)
    at = _type_unsaved(at, aid)
    assert not at.exception
    assert context.SESSION_USER not in at.session_state
    assert at.text_input(key="signin_password") is not None  # the sign-in form
    expected = "shell.account_inactive" if button == "users_deactivate" else "shell.session_ended"
    assert t(expected, "en") in [i.value for i in at.info]
    assert _draft(db_url, aid) == ({"politeness": 2.0}, "")  # nothing saved as the old tab
    with storage_db.unit_of_work(db_url) as session:
        assert sign_in_sessions.resume_session(session, old_token, context_idle()) is None


def context_idle():
    from datetime import timedelta

    return timedelta(seconds=context.idle_limit_seconds())


def test_draft_typed_after_a_password_reset_is_saved_after_signing_in_again(db_url):
    at, aid = _review_tab(db_url)
    old_token = at.session_state[context.SESSION_TOKEN]
    password = _admin_does(db_url, "users_reset")
    at = _type_unsaved(at, aid)
    assert context.SESSION_USER not in at.session_state
    at = _sign_in(at, "rev1", password)
    assert not at.exception
    assert at.session_state[context.SESSION_TOKEN] != old_token
    assert at.radio(key=state_key(aid, "politeness", "v")).value == 2
    assert at.radio(key=state_key(aid, "greeting", "v")).value == 1
    assert at.text_area(key=comment_key(aid)).value == "Greeted warmly, typed after the reset"
    # saved under the new session, on top of the version the tab had seen
    assert _draft(db_url, aid) == (
        {"politeness": 2.0, "greeting": 1.0},
        "Greeted warmly, typed after the reset",
    )


def test_kept_draft_is_never_given_to_another_user(db_url):
    at, aid = _review_tab(db_url)
    _admin_does(db_url, "users_reset")
    at = _type_unsaved(at, aid)
    at = _sign_in(at, "rev2", TEST_PASSWORD) if _with_password(db_url, "rev2") else at
    assert at.session_state[context.SESSION_USER] is not None
    leftovers = [k for k in at.session_state if str(k).startswith(f"rv{aid}.")]
    assert leftovers == [] and context.SESSION_KEPT not in at.session_state
    assert _draft(db_url, aid) == ({"politeness": 2.0}, "")


def _with_password(url: str, username: str) -> bool:
    """Give a seeded user (stored with a placeholder hash) the test password."""
    from qa_app.services.accounts import auth, identity

    def set_password(session) -> bool:
        user = identity.find_user(session, username)
        user.password_hash = auth.hash_password(TEST_PASSWORD)
        return True

    return seed(url, set_password)


def test_a_callback_cannot_write_after_the_session_ended(sqlite_url):
    """Widget callbacks run before the page's run re-checks the session: the language
    switch checks it itself, so a revoked tab's click saves nothing."""
    at = run_page("account", "trainer", sqlite_url, username="tina")
    seed(sqlite_url, lambda s: sign_in_sessions.revoke_user_sessions(
        s, context_actor(at), at.session_state[context.SESSION_USER], "test"))  # fmt: skip
    at.segmented_control(key="account_language").set_value("ru").run()
    assert context.SESSION_USER not in at.session_state
    from qa_app.services.accounts import identity

    with storage_db.unit_of_work(sqlite_url) as session:
        assert identity.find_user(session, "tina").language == "en"


def context_actor(at):
    return at.session_state[context.SESSION_ACTOR]


def test_each_run_checks_the_session_with_one_query(sqlite_url):
    at = run_page("account", "trainer", sqlite_url)
    engine = storage_db.get_engine(sqlite_url)
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        at.run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    touching = [s for s in statements if "sign_in_sessions" in s]
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("SELECT")
    assert "JOIN users" in touching[0]
    with storage_db.unit_of_work(sqlite_url) as session:
        assert session.scalar(select(SignInSession.revoked_at)) is None

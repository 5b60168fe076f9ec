"""Accounts as the app and the command line use them: each sign-in, sign-out, settings
change and admin action is one complete unit of work (``do_x`` runs ``x`` and commits)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qa_app.services.accounts.auth import authenticate, change_password, record_sign_out
from qa_app.services.accounts.identity import load_actor
from qa_app.services.accounts.sign_in_sessions import (
    open_session,
    resume_session,
    revoke_session,
    touch_session,
)
from qa_app.services.accounts.users import (
    add_user,
    deactivate,
    reactivate,
    reset_password,
    set_language,
    set_role,
)
from qa_app.services.actor import Actor
from qa_app.services.use_case import atomic

do_add_user = atomic(add_user)
do_set_role = atomic(set_role)
do_reset_password = atomic(reset_password)
do_deactivate = atomic(deactivate)
do_reactivate = atomic(reactivate)
do_set_language = atomic(set_language)
do_change_password = atomic(change_password)
do_revoke_session = atomic(revoke_session)


def sign_in(session: Session, username: str, password: str) -> tuple[Actor, str]:
    """Check the credentials and open a sign-in session: the actor and the cookie token."""
    actor = authenticate(session, username, password)
    return actor, open_session(session, actor)


def sign_out(session: Session, actor: Actor, token: str | None) -> None:
    """Audit the sign-out and revoke this browser's session, so a reload cannot resume it."""
    record_sign_out(session, actor)
    revoke_session(session, token)


def refresh_actor(session: Session, user_id: int, touch_token: str | None = None) -> Actor | None:
    """The signed-in user as stored now (None when deactivated meanwhile); with
    ``touch_token``, records activity on that sign-in session too."""
    actor = load_actor(session, user_id)
    if actor is not None and touch_token:
        touch_session(session, touch_token)
    return actor


do_sign_in = atomic(sign_in)
do_sign_out = atomic(sign_out)
do_refresh_actor = atomic(refresh_actor)
do_resume_session = atomic(resume_session)

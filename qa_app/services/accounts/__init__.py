"""Who may sign in and as whom: users, passwords, sign-in sessions.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.accounts.auth import (
    MIN_PASSWORD_LENGTH,
    authenticate,
    change_password,
    record_sign_out,
)
from qa_app.services.accounts.identity import (
    actor_for,
    find_user,
    load_actor,
)
from qa_app.services.accounts.sign_in_sessions import (
    ABSOLUTE_LIFETIME,
    SessionCheck,
    check_session,
    open_session,
    resume_session,
    revoke_session,
    touch_session,
)
from qa_app.services.accounts.users import (
    UserRow,
    add_user,
    count_users,
    deactivate,
    list_users,
    reactivate,
    reset_password,
    set_language,
    set_role,
)

__all__ = [
    "ABSOLUTE_LIFETIME",
    "MIN_PASSWORD_LENGTH",
    "SessionCheck",
    "UserRow",
    "actor_for",
    "add_user",
    "authenticate",
    "change_password",
    "check_session",
    "count_users",
    "deactivate",
    "find_user",
    "list_users",
    "load_actor",
    "open_session",
    "reactivate",
    "record_sign_out",
    "reset_password",
    "resume_session",
    "revoke_session",
    "set_language",
    "set_role",
    "touch_session",
]

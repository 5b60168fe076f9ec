"""Who may sign in and as whom: users, passwords, sign-in sessions.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.accounts.actions import (
    do_add_user,
    do_change_password,
    do_check_session,
    do_deactivate,
    do_reactivate,
    do_refresh_actor,
    do_reset_password,
    do_resume_session,
    do_revoke_session,
    do_set_language,
    do_set_role,
    do_sign_in,
    do_sign_out,
    refresh_actor,
    sign_in,
    sign_out,
)
from qa_app.services.accounts.api_tokens import (
    DEFAULT_LIFETIME_DAYS as DEFAULT_TOKEN_LIFETIME_DAYS,
)
from qa_app.services.accounts.api_tokens import (
    MAX_LIFETIME_DAYS as MAX_TOKEN_LIFETIME_DAYS,
)
from qa_app.services.accounts.api_tokens import (
    ApiTokenRow,
    TokenCheck,
    check_api_token,
    create_api_token,
    list_api_tokens,
    revoke_api_token,
)
from qa_app.services.accounts.auth import (
    MIN_PASSWORD_LENGTH,
    authenticate,
    change_password,
    current_cost,
    hash_password,
    record_sign_out,
    verify_password,
)
from qa_app.services.accounts.identity import (
    actor_for,
    find_user,
    load_actor,
)
from qa_app.services.accounts.screens import (
    SignInScreen,
    sign_in_screen,
    users_screen,
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
from qa_app.services.accounts.sso import SsoRefused, SsoStale, missing_teams, sso_sign_in
from qa_app.services.accounts.sso_mapping import (
    MappingError as SsoMappingError,
)
from qa_app.services.accounts.sso_mapping import (
    SsoMapping,
    SsoRule,
)
from qa_app.services.accounts.sso_mapping import (
    load_mapping as load_sso_mapping,
)
from qa_app.services.accounts.sso_mapping import (
    parse_mapping as parse_sso_mapping,
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
from qa_app.services.use_case import atomic

do_create_api_token = atomic(create_api_token)
do_list_api_tokens = atomic(list_api_tokens)
do_revoke_api_token = atomic(revoke_api_token)
do_check_api_token = atomic(check_api_token)
do_sso_sign_in = atomic(sso_sign_in)
do_missing_teams = atomic(missing_teams)

__all__ = [
    "SsoMapping",
    "SsoMappingError",
    "SsoRefused",
    "SsoRule",
    "SsoStale",
    "do_sso_sign_in",
    "do_missing_teams",
    "missing_teams",
    "load_sso_mapping",
    "parse_sso_mapping",
    "sso_sign_in",
    "DEFAULT_TOKEN_LIFETIME_DAYS",
    "MAX_TOKEN_LIFETIME_DAYS",
    "ApiTokenRow",
    "TokenCheck",
    "check_api_token",
    "create_api_token",
    "do_check_api_token",
    "do_create_api_token",
    "do_list_api_tokens",
    "do_revoke_api_token",
    "list_api_tokens",
    "revoke_api_token",
    "ABSOLUTE_LIFETIME",
    "MIN_PASSWORD_LENGTH",
    "SessionCheck",
    "SignInScreen",
    "UserRow",
    "actor_for",
    "add_user",
    "authenticate",
    "change_password",
    "check_session",
    "count_users",
    "current_cost",
    "deactivate",
    "do_add_user",
    "do_change_password",
    "do_check_session",
    "do_deactivate",
    "do_reactivate",
    "do_refresh_actor",
    "do_reset_password",
    "do_resume_session",
    "do_revoke_session",
    "do_set_language",
    "do_set_role",
    "do_sign_in",
    "do_sign_out",
    "find_user",
    "hash_password",
    "list_users",
    "load_actor",
    "open_session",
    "reactivate",
    "record_sign_out",
    "refresh_actor",
    "reset_password",
    "resume_session",
    "revoke_session",
    "set_language",
    "set_role",
    "sign_in",
    "sign_in_screen",
    "sign_out",
    "touch_session",
    "users_screen",
    "verify_password",
]

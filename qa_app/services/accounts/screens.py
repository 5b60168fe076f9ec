"""What the sign-in and user-admin pages read, each in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.services.accounts.users import UserRow, count_users, list_users
from qa_app.services.actor import Actor
from qa_app.storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class SignInScreen:
    #: False on a fresh install: the page then says how to create the first admin.
    has_users: bool


def sign_in_screen(uow: UnitOfWork) -> SignInScreen:
    with uow:
        return SignInScreen(has_users=count_users(uow.session) > 0)


def users_screen(uow: UnitOfWork, actor: Actor, *, include_inactive: bool = True) -> list[UserRow]:
    """The accounts (by default active or not) for the user-admin page (admins only)."""
    with uow:
        return list_users(uow.session, actor, include_inactive=include_inactive)

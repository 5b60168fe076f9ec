"""The unit of work on both databases: commit keeps, leaving without commit rolls back,
an exception rolls back, and a use case cannot open a unit of work that is already open."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qa_app.services import accounts, database
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import Conflict
from qa_app.storage.models import Team
from qa_app.storage.uow import UnitOfWorkInUse


def _teams(url: str) -> list[str]:
    with database.unit_of_work(url) as uow:
        return list(uow.session.scalars(select(Team.name).order_by(Team.name)))


def test_commit_keeps_the_work(db_url):
    with database.unit_of_work(db_url) as uow:
        uow.session.add(Team(name="Tier 1"))
        uow.commit()
        assert uow.committed
    assert _teams(db_url) == ["Tier 1"]


def test_leaving_without_commit_rolls_back(db_url):
    with database.unit_of_work(db_url) as uow:
        uow.session.add(Team(name="Tier 1"))
        uow.session.flush()
        assert uow.session.scalar(select(func.count()).select_from(Team)) == 1
    assert not uow.committed
    assert _teams(db_url) == []


def test_an_exception_rolls_back_and_propagates(db_url):
    with pytest.raises(ZeroDivisionError), database.unit_of_work(db_url) as uow:
        uow.session.add(Team(name="Tier 1"))
        uow.session.flush()
        _ = 1 / 0
    assert _teams(db_url) == []


def test_work_after_commit_is_rolled_back(db_url):
    with database.unit_of_work(db_url) as uow:
        uow.session.add(Team(name="kept"))
        uow.commit()
        uow.session.add(Team(name="dropped"))
    assert _teams(db_url) == ["kept"]


def test_a_unit_of_work_does_not_nest_and_has_no_session_when_closed(db_url):
    uow = database.unit_of_work(db_url)
    with pytest.raises(RuntimeError, match="not open"):
        _ = uow.session
    with uow, pytest.raises(UnitOfWorkInUse):
        uow.__enter__()
    with uow:  # entered again afterwards: a fresh session
        uow.session.add(Team(name="again"))
        uow.commit()
    assert _teams(db_url) == ["again"]


def test_factory_makes_independent_units_on_one_database(db_url):
    factory = database.unit_of_work_factory(db_url)
    first, second = factory(), factory()
    assert first is not second
    with first:
        first.session.add(Team(name="Tier 1"))
        first.commit()
    with second:
        assert second.session.scalar(select(Team.name)) == "Tier 1"


def test_atomic_use_case_commits_on_return_and_rolls_back_on_error(db_url):
    row, password = accounts.do_add_user(database.unit_of_work(db_url), SYSTEM, "olga", "lead")
    assert row.username == "olga" and password
    assert accounts.do_add_user.__name__ == "do_add_user"
    with pytest.raises(Conflict):  # the same name again: nothing half-written stays
        accounts.do_add_user(database.unit_of_work(db_url), SYSTEM, "OLGA", "reviewer")
    assert [r.username for r in accounts.users_screen(database.unit_of_work(db_url), SYSTEM)] == [
        "olga"
    ]

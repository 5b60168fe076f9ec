"""Right to erasure across every table, on SQLite and PostgreSQL.

The tables are enumerated from the SQLAlchemy metadata, not listed here: a table added
later that points (directly or through another table) at conversations must get a seeded
row in ``privacy_fixtures.seed_customer``, or the coverage test below fails and says so.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from qa_app.cli import cli
from qa_app.services import privacy
from qa_app.services.actor import Actor
from qa_app.services.database import unit_of_work
from qa_app.services.errors import NotFound, PermissionDenied
from qa_app.storage import db as storage_db
from qa_app.storage.models import AuditEvent, Base, Conversation
from tests.privacy_fixtures import seed_customer
from tests.review_fixtures import seed_workflow

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
VICTIM, OTHER = "cust-777", "cust-888"
MARK, OTHER_MARK = "МАРКЕР777", "MARK888"


def _derived_tables() -> set[str]:
    """Every table whose foreign keys lead, in any number of steps, to conversations."""
    reached = {"conversations"}
    changed = True
    while changed:
        changed = False
        for table in Base.metadata.sorted_tables:
            if table.name not in reached and any(
                fk.column.table.name in reached for fk in table.foreign_keys
            ):
                reached.add(table.name)
                changed = True
    return reached


def _seed(url: str) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    flow = seed_workflow(url, conversations=2)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    victim = seed_customer(flow, VICTIM, MARK, started=start, index=1)
    victim2 = seed_customer(flow, VICTIM, MARK + "b", started=start, index=2, source="zendesk")
    other = seed_customer(flow, OTHER, OTHER_MARK, started=start, index=3)
    for name, ids in victim2.items():
        victim[name] |= ids
    return victim, other


def _rows(url: str) -> dict[str, list[dict]]:
    with storage_db.get_engine(url).connect() as connection:
        return {
            table.name: [dict(r._mapping) for r in connection.execute(sa.select(table))]
            for table in Base.metadata.sorted_tables
        }


def test_the_fixture_seeds_every_derived_table(db_url):
    victim, _ = _seed(db_url)
    missing = sorted(_derived_tables() - {name for name, ids in victim.items() if ids})
    assert missing == [], f"seed_customer must create a row in {missing} to test its erasure"


def test_erasure_leaves_nothing_of_the_customer_in_any_table(db_url):
    victim, other = _seed(db_url)
    before = _rows(db_url)
    report = privacy.do_erase_customer(unit_of_work(db_url), _admin(), VICTIM, now=NOW)
    assert report.conversations == 2
    assert report.sources == ("test", "zendesk")
    assert report.rows == {name: len(ids) for name, ids in victim.items()}
    after = _rows(db_url)
    for table in Base.metadata.sorted_tables:
        keys = [c.name for c in table.primary_key.columns]
        kept = {
            row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys)
            for row in after[table.name]
        }
        assert not kept & victim.get(table.name, set()), table.name
        assert other.get(table.name, set()) <= kept, f"{table.name}: another customer lost rows"
        for row in after[table.name]:  # no column of any row still spells out the customer
            text = repr(row)
            assert VICTIM not in text and MARK not in text, (table.name, row)
    untouched = set(before) - _derived_tables() - {"audit_events"}
    for name in untouched:
        assert after[name] == before[name], name
    event = after["audit_events"][-1]
    assert event["action"] == "privacy.erased"
    assert event["entity_id"] == privacy.customer_ref(VICTIM)
    assert event["details"]["conversations"] == 2


def test_dry_run_reports_and_changes_nothing(db_url):
    victim, _ = _seed(db_url)
    before = _rows(db_url)
    report = privacy.do_erase_customer(
        unit_of_work(db_url), _admin(), VICTIM, source="zendesk", dry_run=True, now=NOW
    )
    assert report.dry_run and report.conversations == 1 and report.rows["messages"] == 2
    assert _rows(db_url) == before


def test_unknown_customer_and_roles_are_refused(db_url):
    _seed(db_url)
    with pytest.raises(NotFound):
        privacy.do_erase_customer(unit_of_work(db_url), _admin(), "nobody", now=NOW)
    for role in ("lead", "reviewer", "trainer", "agent"):
        with pytest.raises(PermissionDenied):
            privacy.do_erase_customer(unit_of_work(db_url), Actor(1, "x", role), VICTIM, now=NOW)
    with storage_db.unit_of_work(db_url) as session:
        assert session.query(Conversation).filter_by(customer_id=VICTIM).count() == 2
        assert session.query(AuditEvent).filter_by(action="privacy.erased").count() == 0


def test_cli_erase_prints_the_report_and_exit_codes(db_url):
    _seed(db_url)
    runner = CliRunner()
    args = ["--db", db_url, "erase", "--customer", VICTIM, "--now", NOW.isoformat()]
    result = runner.invoke(cli, [*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would erase 2 conversation(s)" in result.output and "messages" in result.output
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"customer {privacy.customer_ref(VICTIM)}: erased 2" in result.output
    assert VICTIM not in result.output
    result = runner.invoke(cli, args)
    assert result.exit_code == 3
    assert "No conversations of this customer" in result.output


def _admin() -> Actor:
    return Actor(None, "admin", "admin")


def test_erasure_deletes_the_attachment_files_too(db_url, tmp_path, monkeypatch):
    """The bytes of a shopper's screenshot are personal data as much as its row: erasing
    the conversation the visit produced removes the file, and leaves another's file."""
    monkeypatch.setenv("QA_STUDIO_ATTACHMENTS_DIR", str(tmp_path / "files"))
    from qa_app.services.mystery.attachments import storage_dir

    _seed(db_url)
    folder = storage_dir()
    victim_file, other_file = folder / f"{MARK}-file", folder / f"{OTHER_MARK}-file"
    victim_file.write_bytes(b"\x89PNG victim")
    other_file.write_bytes(b"\x89PNG other")

    privacy.do_erase_customer(unit_of_work(db_url), _admin(), VICTIM, now=NOW)

    assert not victim_file.exists()
    assert other_file.read_bytes() == b"\x89PNG other"

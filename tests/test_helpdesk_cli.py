"""``qa-studio import --from zendesk|intercom|freshdesk`` and ``--mask`` through click's
CliRunner, stored on SQLite and PostgreSQL; internal notes and bot replies are stored but
never scored as customer-facing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from qa_app.cli import cli
from qa_app.services.actor import SYSTEM
from qa_app.services.autoqa import scoring_runs as autoscoring
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import Agent, AuditEvent, AutoScore, Conversation, Message, Team
from scoring.pipeline.autoqa import AutoQAPipeline

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples" / "helpdesk"
FILES = {
    "zendesk": EXAMPLES / "zendesk-tickets.json",
    "intercom": EXAMPLES / "intercom-conversations.json",
    "freshdesk": EXAMPLES / "freshdesk-tickets.json",
}


@pytest.fixture(autouse=True)
def _no_masking_settings(monkeypatch):
    monkeypatch.delenv("QA_STUDIO_MASK", raising=False)
    monkeypatch.delenv("QA_STUDIO_MASKING_CONFIG", raising=False)


def invoke(url, *args):
    return CliRunner().invoke(cli, ["--db", url, "import", *args], catch_exceptions=False)


def stored(url, source):
    """``{external_id: (conversation, [(role, author, text)])}`` of one source."""
    with unit_of_work(url) as session:
        rows = session.scalars(select(Conversation).where(Conversation.source == source)).all()
        return {
            c.external_id: (
                {"channel": c.channel, "language": c.language, "status": c.status,
                 "csat": c.csat, "tags": c.tags, "escalated": c.escalated,
                 "customer_name": c.customer_name},
                [(m.role, m.author, m.text) for m in c.messages],
            )
            for c in rows
        }  # fmt: skip


@pytest.mark.parametrize("helpdesk", sorted(FILES))
def test_each_example_imports_and_reimports_unchanged(db_url, helpdesk):
    first = invoke(db_url, "--from", helpdesk, str(FILES[helpdesk]))
    assert first.exit_code == 0, first.output
    assert f"{FILES[helpdesk].name}: 2 imported, 0 updated, 0 unchanged, 0 rejected rows" in (
        first.output
    )
    assert f"warning: {helpdesk}: unknown field" in first.output
    conversations = stored(db_url, helpdesk)  # the help desk's name is the default source
    assert len(conversations) == 2
    roles = [role for _, messages in conversations.values() for role, _, _ in messages]
    assert {"customer", "agent", "system"} <= set(roles)
    again = invoke(db_url, "--from", helpdesk, str(FILES[helpdesk]))
    assert "0 imported, 0 updated, 2 unchanged" in again.output


def test_zendesk_rows_as_stored(db_url):
    invoke(db_url, "--from", "zendesk", "--source", "zd-eu", str(FILES["zendesk"]))
    conversation, messages = stored(db_url, "zd-eu")["1001"]
    assert conversation == {
        "channel": "chat", "language": "ru", "status": "resolved", "csat": 5,
        "tags": ["billing", "refund"], "escalated": False, "customer_name": "Ирина Смирнова",
    }  # fmt: skip
    assert [(role, author) for role, author, _ in messages] == [
        ("customer", None),
        ("bot", "Answer Bot"),
        ("agent", "anna.petrova@support.example"),
        ("system", "anna.petrova@support.example"),
        ("customer", None),
    ]
    with unit_of_work(db_url) as session:
        logins = dict(session.execute(select(Agent.login, Agent.is_bot)).all())
        teams = set(session.scalars(select(Team.name)))
    assert logins == {
        "anna.petrova@support.example": False,
        "mark.lee@support.example": False,
        "Answer Bot": True,  # a bot is reported as an agent of its own, flagged
        "Zendesk automation": True,
    }
    assert teams == {"Billing", "Tier 1"}


def test_mask_stores_masked_text_and_reports_counts(db_url):
    result = invoke(db_url, "--from", "freshdesk", "--mask", str(FILES["freshdesk"]))
    assert result.exit_code == 0, result.output
    assert (
        "personal data masked before storing: customer names: 1, passport numbers: 1, "
        "phone numbers: 1" in result.output
    )
    conversation, messages = stored(db_url, "freshdesk")["31"]
    assert conversation["customer_name"] is None
    assert messages[0][2].endswith("Паспорт для получения [passport].")
    assert messages[-1][2] == "Хорошо, буду ждать. Телефон для курьера [phone]"
    with unit_of_work(db_url) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "import.file"))
        assert event.details["masked"] == {"customer_name": 1, "passport": 1, "phone": 1}


def test_mask_setting_from_the_environment_and_no_mask_overrides_it(
    sqlite_url, monkeypatch, tmp_path
):
    config = tmp_path / "masking.yaml"
    config.write_text("masking:\n  customer_name: false\n  phone: false\n", encoding="utf-8")
    monkeypatch.setenv("QA_STUDIO_MASK", "yes")
    monkeypatch.setenv("QA_STUDIO_MASKING_CONFIG", str(config))
    invoke(sqlite_url, "--from", "zendesk", str(FILES["zendesk"]))
    conversation, messages = stored(sqlite_url, "zendesk")["1001"]
    assert messages[0][2].endswith("Мой телефон +7 916 123-45-67, почта [email]")
    assert conversation["customer_name"] == "Ирина Смирнова"
    invoke(sqlite_url, "--from", "zendesk", "--source", "plain", "--no-mask", str(FILES["zendesk"]))
    _, plain = stored(sqlite_url, "plain")["1001"]
    assert plain[0][2].endswith("почта irina.smirnova@mail.ru")


def test_bad_masking_configuration_stops_before_importing(sqlite_url, monkeypatch, tmp_path):
    config = tmp_path / "masking.yaml"
    config.write_text("custom:\n  - name: contract\n    pattern: 'ДГ-(\\d+'\n", encoding="utf-8")
    monkeypatch.setenv("QA_STUDIO_MASKING_CONFIG", str(config))
    result = invoke(sqlite_url, "--from", "zendesk", "--mask", str(FILES["zendesk"]))
    assert result.exit_code == 2
    assert (
        'masking: custom pattern #1 "contract" is not a valid regular expression' in result.output
    )
    assert "Traceback" not in result.output
    assert stored(sqlite_url, "zendesk") == {}


def test_wrong_help_desk_is_one_clear_line_and_others_still_import(sqlite_url):
    result = invoke(sqlite_url, "--from", "zendesk", str(FILES["intercom"]), str(FILES["zendesk"]))
    assert result.exit_code == 2
    assert (
        "error: intercom-conversations.json: no zendesk tickets found in the file "
        "(is it a zendesk export?)" in result.output
    )
    assert "zendesk-tickets.json: 2 imported" in result.output


def test_rejections_and_warnings_in_russian(sqlite_url, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[{"id": 5, "status": 2, "created_at": "вчера", "description_text": "Привет"}]')
    result = invoke(sqlite_url, "--from", "freshdesk", "--lang", "ru", str(path))
    assert result.exit_code == 1
    assert "bad.json:1: created_at: не дата и время: «вчера»" in result.output


def test_internal_notes_are_never_scored_and_bot_replies_are_scored_as_the_bots(sqlite_url):
    for helpdesk, path in FILES.items():
        assert invoke(sqlite_url, "--from", helpdesk, str(path)).exit_code == 0
    with unit_of_work(sqlite_url) as session:
        autoscoring.score_conversations(session, SYSTEM, pipeline=AutoQAPipeline())
    with unit_of_work(sqlite_url) as session:
        scored_roles = session.execute(
            select(Message.role, func.count())
            .join(AutoScore, AutoScore.message_id == Message.id)
            .group_by(Message.role)
        ).all()
        stored_roles = set(session.scalars(select(Message.role).distinct()))
    assert stored_roles == {"customer", "agent", "bot", "system"}
    assert {role for role, _ in scored_roles} == {"customer", "agent", "bot"}

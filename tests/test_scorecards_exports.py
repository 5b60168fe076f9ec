"""Scorecard, team and review exports: the page's figures in PDF (Cyrillic text intact),
XLSX read back with openpyxl and formula-safe CSV; refused like the pages; audited."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from qa_app.i18n import t
from qa_app.services import database, scorecards
from qa_app.services.errors import InvalidInput, PermissionDenied
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import AuditEvent
from tests.scorecard_fixtures import NOW, seed_operation

MARCH = scorecards.Period(date(2026, 3, 1), date(2026, 3, 20))


@pytest.fixture
def op(db_url):
    return seed_operation(db_url)


def _uow(op):
    return database.unit_of_work(op.url)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _events(op) -> list[tuple[str, str, dict]]:
    with unit_of_work(op.url) as session:
        rows = session.execute(select(AuditEvent.action, AuditEvent.actor, AuditEvent.details))
        return [(a, who, d) for a, who, d in rows if a.startswith("export.")]


def test_scorecard_pdf_in_russian_keeps_cyrillic_and_the_page_figures(op):
    anna = op.agent_ids["anna"]
    exported = scorecards.do_export_scorecard(_uow(op), op.lead, anna, MARCH, "pdf", "ru",
                                              now=NOW)  # fmt: skip
    assert exported.data.startswith(b"%PDF") and exported.file_name.endswith(".pdf")
    text = _pdf_text(exported.data)
    assert f"{t('scorecards.title', 'ru')}: Анна Петрова" in text
    assert "Оценка качества" in text and "Вежливость" in text
    # the page's figure: 75.0 with 95% CI 56.3-93.7 on 4 reviews, written the Russian way
    assert "75,0" in text and "56,3–93,7, n = 4" in text
    assert "=comment 0" in text  # comments as typed
    # the CSI as the page shows it: 60,4 from 3 responses of 4 conversations (75%)
    assert "CSI" in text and "60,4" in text
    assert "3 ответов на 4 диалогов (доля ответивших 75%)" in text
    assert "Скорость" in text and "Вежливость" in text
    assert _events(op) == [("export.scorecard", "lead", {
        "format": "pdf", "period": "2026-03-01..2026-03-20",
        "file": "scorecard-anna-2026-03-01-2026-03-20.pdf"})]  # fmt: skip


def test_scorecard_xlsx_opens_with_openpyxl_and_matches(op):
    exported = scorecards.do_export_scorecard(_uow(op), op.anna, op.agent_ids["anna"], MARCH,
                                              "xlsx", "en", now=NOW)  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(exported.data))
    assert book.sheetnames[:3] == ["About", "Summary", "Criteria"]
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert summary[0] == ("Figure", "Value", "95% CI low", "95% CI high", "n")
    assert summary[1] == ("Quality score", 75.0, 56.3, 93.7, 4)
    csi_row = next(r for r in summary if str(r[0]).startswith("CSI"))
    assert csi_row[1] == 60.4 and csi_row[4] == 3
    surveys = {r[0]: r for r in book["Surveys"].iter_rows(values_only=True)}
    head = surveys["Figure"]
    csi = dict(zip(head, surveys[csi_row[0]], strict=True))
    assert (csi["Responses"], csi["Conversations"], csi["Response rate, %"]) == (3, 4, 75.0)
    assert "Too few responses (3 < 30)" in csi["Warnings"]
    attributes = list(book["CSI by attribute"].iter_rows(values_only=True))
    assert attributes[1:] == [("Courtesy", 3, 41.7, 1.0, 25.0), ("Speed", 3, 66.7, 3.0, 75.0)]
    reviews = list(book["Reviews"].iter_rows(values_only=True))
    assert len(reviews) == 5 and {r[5] for r in reviews[1:]} == {60.0, 70.0, 80.0, 90.0}


def test_team_xlsx_and_formula_safe_csv(op):
    with unit_of_work(op.url) as session:
        from qa_app.storage.models import Agent

        session.get(Agent, op.agent_ids["boris"]).display_name = '=HYPERLINK("x")'
    team = scorecards.do_export_team(_uow(op), op.lead, scorecards.TeamFilters(MARCH), "xlsx",
                                     now=NOW)  # fmt: skip
    sheet = openpyxl.load_workbook(io.BytesIO(team.data))["Team dashboard"]
    rows = list(sheet.iter_rows(values_only=True))
    names = {r[1] for r in rows[1:]}
    assert "Анна Петрова" in names and '\'=HYPERLINK("x")' in names
    assert {r[0] for r in rows[1:]} == {"too few reviews to rank"}
    csv = scorecards.do_export_team(_uow(op), op.lead, scorecards.TeamFilters(MARCH), "csv",
                                    now=NOW).data.decode("utf-8-sig")  # fmt: skip
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv
    reviews = scorecards.do_export_reviews(_uow(op), op.lead, MARCH, "csv", now=NOW)
    assert reviews.data.decode("utf-8-sig").count("\r\n") == 1 + 7


def test_exports_are_refused_exactly_like_the_pages(op):
    boris = op.agent_ids["boris"]
    with pytest.raises(PermissionDenied):
        scorecards.do_export_scorecard(_uow(op), op.anna, boris, MARCH, "pdf", now=NOW)
    with pytest.raises(PermissionDenied):
        scorecards.do_export_reviews(_uow(op), op.anna, MARCH, "csv", agent_id=boris, now=NOW)
    with pytest.raises(PermissionDenied):
        scorecards.do_export_reviews(_uow(op), op.anna, MARCH, "csv", now=NOW)
    with pytest.raises(PermissionDenied):
        scorecards.do_export_team(_uow(op), op.trainer_t1, scorecards.TeamFilters(MARCH), "csv")
    with pytest.raises(InvalidInput):
        scorecards.do_export_scorecard(_uow(op), op.lead, boris, MARCH, "docx", now=NOW)
    assert _events(op) == []  # a refused export leaves no trace but its error
    own = scorecards.do_export_reviews(_uow(op), op.anna, MARCH, "csv",
                                       agent_id=op.agent_ids["anna"], now=NOW)  # fmt: skip
    assert own.data.decode("utf-8-sig").count("\r\n") == 1 + 4


def test_cli_export_acts_as_the_user_and_is_refused_like_the_page(op, tmp_path):
    from click.testing import CliRunner

    from qa_app.cli import cli

    runner = CliRunner()
    out = tmp_path / "anna.xlsx"
    base = ["--db", op.url, "export"]
    done = runner.invoke(cli, [*base, "scorecard", "--format", "xlsx", "--period",
                               "2026-03-01..2026-03-20", "--as", "anna", "--output", str(out)])  # fmt: skip
    assert done.exit_code == 0, done.output
    summary = list(openpyxl.load_workbook(out)["Summary"].iter_rows(values_only=True))
    assert summary[1] == ("Quality score", 75.0, 56.3, 93.7, 4)
    refused = runner.invoke(cli, [*base, "scorecard", "--format", "pdf", "--period", "2026-03",
                                  "--agent", "boris", "--as", "anna",
                                  "--output", str(tmp_path / "boris.pdf")])  # fmt: skip
    assert refused.exit_code == 4 and "may not read this agent" in refused.output
    assert not (tmp_path / "boris.pdf").exists()
    team = runner.invoke(cli, [*base, "team", "--format", "pdf", "--period", "2026-03",
                               "--as", "lead", "--lang", "ru", "--output", str(tmp_path / "t.pdf")])  # fmt: skip
    assert team.exit_code == 0, team.output
    assert "Панель группы" in _pdf_text((tmp_path / "t.pdf").read_bytes())
    bad = runner.invoke(cli, [*base, "team", "--format", "csv", "--period", "March",
                              "--as", "lead", "--output", str(tmp_path / "t.csv")])  # fmt: skip
    assert bad.exit_code == 2 and "March" in bad.output
    assert [e[0] for e in _events(op)] == ["export.scorecard", "export.team"]

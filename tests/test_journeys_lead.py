"""Team lead journey in Debian's chromium, in English and Russian: the lead opens the
demo's latest calibration session and reads its results, opens the team dashboard, then
the fast and curt agent's scorecard and downloads it as a PDF; the file is a real PDF with
the agent's name in it (and Russian text on the Russian run).
"""

from __future__ import annotations

import io

import pytest
from journeys import LANGS
from sqlalchemy import select

from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent

# A journey walks a whole role through a real browser on a 2-core machine: one retry of a
# step that timed out under load, never of a wrong text, a console error or a database check
# (those fail the same way twice).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.flaky(reruns=1, reruns_delay=2, only_rerun=["TimeoutError"]),
]

AGENT = "t.baker"


def _agent(db_url: str) -> tuple[int, str]:
    with storage_db.unit_of_work(db_url) as session:
        row = session.execute(
            select(Agent.id, Agent.display_name).where(Agent.login == AGENT)
        ).one()
        return row.id, row.display_name


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    assert data.startswith(b"%PDF-"), data[:20]
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("lang", LANGS)
def test_lead_reads_calibration_team_and_downloads_a_scorecard(journey, journey_server, lang):
    _url, db_url = journey_server(lang)
    agent_id, agent_name = _agent(db_url)
    walk = journey("lead", lang)
    page = walk.page
    walk.sign_in("lead")
    walk.open("calibration")
    page.get_by_role("heading", name=walk.tr("calibration.header.results")).first.wait_for()
    assert walk.tr("calibration.header.discussion") in walk.main_text()
    walk.step("calibration-results")
    walk.open("team")
    assert walk.tr("team.title") in walk.main_text()
    walk.step("team-dashboard")
    walk.open(f"scorecard?agent={agent_id}")
    assert AGENT in walk.main_text()
    walk.step("scorecard")
    walk.click(page.locator(".st-key-sc_export_prepare button"))
    download_button = page.locator(".st-key-sc_export_download button")
    download_button.wait_for()
    download_button.scroll_into_view_if_needed()
    walk.step("scorecard-prepared", full_page=False)
    with page.expect_download() as info:
        download_button.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    saved = walk.folder / download.suggested_filename
    download.save_as(saved)
    text = _pdf_text(saved.read_bytes())
    assert agent_name in text or AGENT in text, text[:500]
    if lang == "ru":
        assert any("а" <= ch <= "я" for ch in text.lower()), text[:500]
    walk.finish()

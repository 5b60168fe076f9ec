"""Mystery-shopper journey in Debian's chromium, in English and Russian: the demo shopper
signs in, opens Mystery visits, records a visit (every checklist item answered, a summary)
with a screenshot attached, and saves it; the visit and its attachment are stored.
"""

from __future__ import annotations

import io

import pytest
from journeys import LANGS
from sqlalchemy import select

from qa_app.storage import db as storage_db
from qa_app.storage.models import MysteryAttachment, MysteryVisit

# A journey walks a whole role through a real browser on a 2-core machine: one retry of a
# step that timed out under load, never of a wrong text, a console error or a database check
# (those fail the same way twice).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.flaky(reruns=1, reruns_delay=2, only_rerun=["TimeoutError"]),
]


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (160, 90), (40, 140, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("lang", LANGS)
def test_shopper_records_a_visit_with_an_attachment(journey, journey_server, lang, tmp_path):
    _url, db_url = journey_server(lang)
    shot = tmp_path / "chat.png"
    shot.write_bytes(_png())
    summary = ("Quick answer, no greeting" if lang == "en"
               else "Ответили быстро, но без приветствия")  # fmt: skip
    walk = journey("shopper", lang)
    page = walk.page
    walk.sign_in("shopper")
    walk.open("mystery-visits")
    walk.step("visits")
    page.get_by_role("tab", name=walk.tr("mystery.visits.tab.record")).click()
    form = page.locator("[data-testid='stForm']")
    groups = form.locator("[data-testid='stRadio']")
    groups.first.wait_for()
    for index in range(groups.count()):  # a form: the clicks start no run
        groups.nth(index).locator("label").nth(1).click()
    form.get_by_label(walk.tr("mystery.form.summary")).fill(summary)
    form.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files([str(shot)])
    form.get_by_text("chat.png").wait_for()
    walk.step("visit-filled")
    walk.click(form.get_by_role("button", name=walk.tr("mystery.form.submit")))
    with storage_db.unit_of_work(db_url) as session:
        visit = session.scalar(select(MysteryVisit).order_by(MysteryVisit.id.desc()))
        files = session.scalars(
            select(MysteryAttachment).where(MysteryAttachment.visit_id == visit.id)
        ).all()
        assert visit.summary == summary
        assert [f.content_type for f in files] == ["image/png"]
        saved = walk.tr("mystery.form.saved", id=visit.id)
    walk.see(saved)
    walk.step("visit-saved", full_page=False)
    walk.finish()

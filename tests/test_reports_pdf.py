"""PDF reports read back with pypdf: the text a reader sees, the pages, the images."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from qa_app.reports import (
    Column,
    KeyFigure,
    PdfReport,
    criteria_chart,
    histogram_chart,
    trend_chart,
)

NOW = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _image_boxes(page) -> list[tuple[float, float, float, float]]:
    """(width, height, x, y) in points of each image drawn on ``page`` (its "cm ... Do")."""
    content = page.get_contents().get_data().decode("latin-1")
    found = re.findall(r"([\d.]+) 0 0 ([\d.]+) ([\d.-]+) ([\d.-]+) cm /I\d+ Do", content)
    return [tuple(float(n) for n in box) for box in found]


def _words(page_text: str) -> list[str]:
    return page_text.split()


def test_russian_and_english_text_comes_back_intact():
    report = PdfReport(generated_at=NOW, lang="ru", footer="Стр. {page} из {pages} · {generated}")
    report.title("Карточка агента: Анна Петрова")
    report.subtitle("Quarterly scorecard, Tier 1")
    report.heading("Сильные стороны")
    report.paragraph("Вежливость и эмпатия выше цели; clarity needs work. Ёжик съел щёлочь.")
    [page] = _text(report.to_bytes())
    words = _words(page)
    for word in (
        "Карточка",
        "агента:",
        "Анна",
        "Петрова",
        "Сильные",
        "стороны",
        "Вежливость",
        "эмпатия",
        "Ёжик",
        "щёлочь.",
        "Quarterly",
        "scorecard,",
        "clarity",
    ):
        assert word in words, word
    assert "Стр. 1 из 1 · 2026-03-30 09:00 UTC" in page


def test_key_figures_show_label_value_and_caption():
    report = PdfReport(generated_at=NOW)
    report.key_figures(
        [
            KeyFigure("Quality score", "77%", "n = 37, 95% CI 71–83"),
            KeyFigure("Оценка CSAT", "4,6", "n = 120"),
            KeyFigure("Disputes", "2"),
        ]
    )
    page = _text(report.to_bytes())[0]
    for part in ("Quality score", "77%", "n = 37, 95% CI 71–83", "Оценка CSAT", "4,6", "Disputes"):
        assert part in page, part


def test_user_text_is_plain_never_markup_or_page_alias():
    report = PdfReport(generated_at=NOW)
    typed = "**urgent** <b>bold</b> [link](http://x) {nb} {page} $x$ # not a heading"
    report.title(typed)
    report.paragraph(typed)
    report.table(["Comment"], [[typed]])
    page = _text(report.to_bytes())[0]
    assert page.count("**urgent**") == 3
    assert page.count("<b>bold</b>") == 3
    assert page.count("{nb}") == 3  # fpdf2 would otherwise print the page count here
    assert page.count("[link](http://x)") == 3


def test_long_table_breaks_across_pages_repeating_its_header():
    report = PdfReport(generated_at=NOW, lang="ru")
    report.heading("Агенты")
    rows = [[f"агент-{i:03d}", 0.5 + i / 1000, i, -i / 10] for i in range(200)]
    report.table(
        [Column("Агент"), Column("Оценка", digits=3), Column("n"), Column("Сдвиг", digits=1)],
        rows,
    )
    pages = _text(report.to_bytes())
    assert len(pages) >= 4 and report.page_count == len(pages)
    for number, page in enumerate(pages, start=1):
        assert "Агент Оценка n Сдвиг" in page  # the header row on every page
        assert f"{number} / {len(pages)} · 2026-03-30 09:00 UTC" in page
    everything = "\n".join(pages)
    assert all(f"агент-{i:03d}" in everything for i in range(200))
    assert "агент-199 0,699 199 −19,9" in everything  # Russian decimals and a real minus


def test_a_heading_never_sits_alone_at_the_bottom_of_a_page():
    report = PdfReport(generated_at=NOW)
    report.table(["n"], [[i] for i in range(37)])  # ends about 2 cm above the page's end
    assert report.page_count == 1
    report.heading("Next section")
    report.paragraph("Body")
    pages = _text(report.to_bytes())
    assert len(pages) == 2
    assert "Next section" not in pages[0]
    assert "Next section" in pages[1] and "Body" in pages[1]


def test_charts_are_embedded_as_images():
    weeks = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(8)]
    values = [0.7 + 0.01 * i for i in range(8)]
    report = PdfReport(generated_at=NOW)
    report.heading("Trend")
    report.image(
        trend_chart(weeks, values, [v - 0.05 for v in values], [v + 0.05 for v in values]),
        caption="Weekly quality score with its 95% interval",
    )
    report.image(histogram_chart([0.5, 0.6, 0.7, 0.7, 0.8]), width_mm=90)
    reader = PdfReader(io.BytesIO(report.to_bytes()))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 2
    assert images[0].image.size == (1050, 450)  # 7 x 3 inches at 150 dpi
    assert "Weekly quality score with its 95% interval" in reader.pages[0].extract_text()


def test_an_image_that_does_not_fit_moves_whole_to_the_next_page():
    report = PdfReport(generated_at=NOW)
    report.table(["n"], [[i] for i in range(30)])  # about 6.5 cm left; the chart needs 7.7
    assert report.page_count == 1
    report.image(histogram_chart([1, 2, 3]))
    reader = PdfReader(io.BytesIO(report.to_bytes()))
    assert [len(page.images) for page in reader.pages] == [0, 1]


def test_an_image_taller_than_a_page_is_shrunk_onto_one_page():
    labels = [f"Критерий {i}" for i in range(80)]
    values = [0.5] * 80
    report = PdfReport(generated_at=NOW)
    report.paragraph("Before")
    report.image(criteria_chart(labels, values, values, values))
    report.paragraph("After")
    reader = PdfReader(io.BytesIO(report.to_bytes()))
    assert [len(page.images) for page in reader.pages] == [0, 1, 0]  # a page of its own
    assert "After" in reader.pages[2].extract_text()
    [(width, height, x, y)] = _image_boxes(reader.pages[1])
    page_height = float(reader.pages[1].mediabox.height)
    assert y >= 0 and y + height <= page_height  # drawn inside the page, not past its edge


def test_same_inputs_give_the_same_bytes():
    def build() -> bytes:
        report = PdfReport(generated_at=NOW, lang="ru")
        report.title("Отчёт")
        report.image(histogram_chart([0.1, 0.2, 0.2, 0.9]))
        report.table(["a", "b"], [["x", 1.5]])
        return report.to_bytes()

    assert build() == build()


def test_footer_time_is_shown_in_the_requested_zone():
    report = PdfReport(generated_at=NOW, tz=ZoneInfo("Europe/Moscow"), footer="{generated}")
    assert _text(report.to_bytes())[0].strip() == "2026-03-30 12:00 MSK"


def test_metadata_title_author_and_language():
    report = PdfReport(generated_at=NOW, lang="ru", author="Лид команды")
    report.title("Отчёт команды")
    reader = PdfReader(io.BytesIO(report.to_bytes()))
    assert reader.metadata.title == "Отчёт команды"
    assert reader.metadata.author == "Лид команды"
    assert reader.metadata.creation_date.replace(tzinfo=UTC) == NOW


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: PdfReport(generated_at=datetime(2026, 3, 30)), "timezone-aware"),
        (lambda: PdfReport(generated_at=NOW, footer="{page} of {total}"), "footer template"),
        (lambda: PdfReport(generated_at=NOW).table(["a", "b"], [[1]]), "row 1 has 1 values"),
        (lambda: PdfReport(generated_at=NOW).image(b"GIF89a..."), "expects PNG bytes"),
        (lambda: Column("Score", align="middle"), "align must be one of"),
    ],
    ids=["naive time", "unknown placeholder", "short row", "not a png", "bad alignment"],
)
def test_bad_input_gets_a_specific_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()

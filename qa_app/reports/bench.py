"""How long exports take, beside the bare libraries doing similar work in the same run.

    python -m qa_app.reports.bench [--repeat 3] [--rows 20000]

The target from the task: a 10-page PDF with 3 charts builds in well under 5 s. Timings
are figures to read, not a test: the machine is shared and a timed unit test would flake.
Each line shows our layer and a reference measured just before it (fpdf2 with the same
font and no layout; pandas' own CSV/XLSX writers without the safety pass), so the cost of
what we add is visible. Best of ``--repeat`` runs; the first imports are timed once.
"""

from __future__ import annotations

import argparse
import importlib
import io
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pandas as pd

NOW = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
TARGET_SECONDS = 5.0


def sample_frame(rows: int, seed: int = 7) -> pd.DataFrame:
    """Review-export-like rows with Cyrillic text, numbers, dates and a hostile cell."""
    rng = random.Random(seed)
    return pd.DataFrame(
        {
            "conversation_id": [f"c-{i}" for i in range(rows)],
            "agent": [rng.choice(["а.петрова", "i.smirnov", "=HYPERLINK(1)"]) for _ in range(rows)],
            "score": [round(rng.uniform(0.3, 1.0), 3) for _ in range(rows)],
            "offset": [round(rng.gauss(0, 2), 2) for _ in range(rows)],
            "reviewed_at": [NOW - timedelta(minutes=7 * i) for i in range(rows)],
            "comment": [
                rng.choice(["Вежливо, по делу", "Needs empathy", "-"]) for _ in range(rows)
            ],
        }
    )


def sample_charts(lang: str = "ru") -> list[bytes]:
    """The three chart kinds a team report has: weekly trend, distribution, criteria."""
    from qa_app.reports.charts import criteria_chart, histogram_chart, trend_chart

    rng = random.Random(3)
    weeks = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(12)]
    trend = [0.7 + 0.01 * i for i in range(12)]
    scores = [rng.gauss(0.75, 0.1) for _ in range(400)]
    labels = [f"Критерий {i}" for i in range(8)]
    values = [rng.uniform(0.5, 0.95) for _ in labels]
    return [
        trend_chart(weeks, trend, [v - 0.04 for v in trend], [v + 0.04 for v in trend],
                    title="По неделям", lang=lang, percent=True),
        histogram_chart(scores, bins=20, title="Распределение", lang=lang, percent=True),
        criteria_chart(labels, values, [v - 0.05 for v in values], [v + 0.05 for v in values],
                       targets=0.8, lang=lang, percent=True),
    ]  # fmt: skip


def build_ten_page_report(lang: str = "ru") -> tuple[bytes, int]:
    """Title, key figures, three charts, text and a long table: ten A4 pages."""
    from qa_app.reports.pdf_document import KeyFigure, PdfReport

    rng = random.Random(5)
    report = PdfReport(generated_at=NOW, lang=lang, footer="{page} / {pages} · {generated}")
    report.title("Отчёт команды Tier 1 / Team report")
    report.subtitle("2026-01-05 – 2026-03-29")
    report.key_figures(
        [KeyFigure("Оценка качества", "77%", "n = 37, 95% CI 71–83"), KeyFigure("CSAT", "4,6")]
    )
    for png in sample_charts(lang):
        report.image(png)
    for _ in range(4):
        report.paragraph("Разговоры оценены по рубрике; интервалы — 95 %. " * 12)
    rows = [
        [f"агент {i}", rng.uniform(0.4, 1), rng.randint(5, 60), "Вежливо, по делу"]
        for i in range(300)
    ]
    report.table(["Агент", "Оценка", "n", "Комментарий"], rows)
    return report.to_bytes(), report.page_count


def _fpdf_reference() -> bytes:
    """fpdf2 alone: the same embedded fonts and the same number of plain text lines."""
    from fpdf import FPDF

    from qa_app.reports.typeface import FAMILY, REGULAR

    pdf = FPDF()
    pdf.add_font(FAMILY, "", str(REGULAR))
    pdf.set_font(FAMILY, size=9)
    pdf.add_page()
    for i in range(300):
        pdf.cell(0, 5, f"агент {i}  0,77  12  Вежливо, по делу", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _best(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def _once(action: Callable[[], object]) -> float:
    return _best(action, 1)


def _pdf_lines(repeat: int) -> list[str]:
    pdf, pages = build_ten_page_report()
    reference = _best(_fpdf_reference, repeat)
    charts = _best(sample_charts, repeat)
    ours = _best(build_ten_page_report, repeat)
    return [
        f"PDF  {pages} pages, 3 charts, {len(pdf) / 1024:.0f} KiB: {ours:.2f} s "
        f"(target < {TARGET_SECONDS:.0f} s), of which the 3 charts {charts:.2f} s; "
        f"reference: fpdf2 alone, 300 plain lines, same font: {reference:.2f} s"
    ]


def _spreadsheet_lines(rows: int, repeat: int) -> list[str]:
    from qa_app.reports import Sheet, to_csv_bytes, to_xlsx_bytes

    frame = sample_frame(rows)
    naive = frame.assign(reviewed_at=frame.reviewed_at.dt.tz_localize(None))
    csv_reference = _best(lambda: frame.to_csv(index=False).encode("utf-8-sig"), repeat)
    csv_ours = _best(lambda: to_csv_bytes(frame), repeat)
    xlsx_reference = _best(lambda: naive.to_excel(io.BytesIO(), index=False), 1)
    xlsx_ours = _best(lambda: to_xlsx_bytes([Sheet("Reviews", frame, {"score": "percent"})]), 1)
    return [
        f"CSV  {rows:,} rows: {csv_ours:.2f} s (reference: pandas to_csv {csv_reference:.2f} s)",
        f"XLSX {rows:,} rows: {xlsx_ours:.2f} s "
        f"(reference: pandas to_excel with openpyxl {xlsx_reference:.2f} s)",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args(argv)
    fpdf_import = _once(lambda: importlib.import_module("fpdf"))
    charts_import = _once(lambda: importlib.import_module("qa_app.reports.charts"))
    print(f"first import: fpdf2 {fpdf_import:.2f} s, matplotlib {charts_import:.2f} s")
    for line in _pdf_lines(args.repeat) + _spreadsheet_lines(args.rows, args.repeat):
        print(line)


if __name__ == "__main__":
    main()

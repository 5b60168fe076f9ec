"""The reports package: public surface, layering, fonts shipped with their licence."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import qa_app.reports as reports
from qa_app.reports.bench import build_ten_page_report
from qa_app.reports.typeface import BOLD, LICENSE, REGULAR

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "qa_app" / "reports"


def test_every_public_name_resolves():
    assert sorted(reports.__all__) == sorted(set(reports.__all__))
    for name in reports.__all__:
        assert getattr(reports, name) is not None, name


def test_reports_import_no_higher_layer():
    """Services and pages call the exporters, never the other way round."""
    forbidden = (
        "qa_app.services",
        "qa_app.storage",
        "qa_app.ui",
        "qa_app.cli",
        "streamlit",
        "sqlalchemy",
        "plotly",
    )
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.startswith(forbidden)]
    assert found == []


def test_fonts_are_committed_with_their_licence_and_installed_as_package_data():
    for font in (REGULAR, BOLD):
        assert font.read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType file
    licence = LICENSE.read_text(encoding="utf-8")
    assert "Bitstream Vera" in licence and "Arev" in licence
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    assert "*.ttf" in patterns and "*.txt" in patterns and "*.md" in patterns
    dependencies = " ".join(config["project"]["dependencies"])
    assert "fpdf2" in dependencies and "matplotlib" in dependencies


def test_the_bench_report_has_ten_pages_and_three_charts():
    """The document the timing figure is about is the one the task names."""
    import io

    from pypdf import PdfReader

    pdf, pages = build_ten_page_report()
    reader = PdfReader(io.BytesIO(pdf))
    assert pages == len(reader.pages) >= 10
    assert sum(len(page.images) for page in reader.pages) == 3

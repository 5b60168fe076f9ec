"""The layering in DESIGN.md, checked on every run so it cannot rot silently."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("scoring", ("qa_app", "streamlit", "sqlalchemy", "alembic")),
        ("qa_app/ui", ("qa_app.storage", "sqlalchemy.orm.decl_api")),
        ("qa_app/ingest", ("qa_app.storage", "qa_app.services", "qa_app.ui", "streamlit")),
        ("qa_app/services", ("qa_app.ui", "qa_app.cli", "streamlit")),
        ("qa_app/storage", ("qa_app.services", "qa_app.ui", "qa_app.cli", "streamlit")),
    ],
)
def test_layers_import_downward_only(package, forbidden):
    assert _violations(package, forbidden) == []


def test_the_check_itself_finds_a_violation(tmp_path, monkeypatch):
    bad = tmp_path / "scoring"
    bad.mkdir()
    (bad / "leak.py").write_text("import streamlit as st\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert _violations("scoring", ("streamlit",)) == ["scoring/leak.py imports streamlit"]

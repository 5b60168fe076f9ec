"""The catalogue is complete in both languages, and every key the code names exists in it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from qa_app.i18n import catalogue, problems, t

ROOT = Path(__file__).resolve().parent.parent
TRANSLATORS = {"tr", "t"}
#: Exceptions that carry a catalogue key (``key=`` argument or ``key = ...`` class attribute).
ERROR_SUFFIXES = ("Error", "Denied", "NotFound", "Conflict", "InvalidInput", "Failed", "Locked")


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _keys_in(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in TRANSLATORS and node.args and (key := _literal(node.args[0])):
                found.append((node.lineno, key))
            if name.endswith(ERROR_SUFFIXES):
                for keyword in node.keywords:
                    if keyword.arg == "key" and (key := _literal(keyword.value)):
                        found.append((node.lineno, key))
        elif isinstance(node, ast.ClassDef) and any(
            _name(b).endswith(ERROR_SUFFIXES) for b in node.bases
        ):
            for stmt in node.body:
                is_key = isinstance(stmt, ast.Assign) and [_name(x) for x in stmt.targets] == [
                    "key"
                ]
                if is_key and (key := _literal(stmt.value)):
                    found.append((stmt.lineno, key))
    return sorted(found)


def used_keys(root: Path = ROOT / "qa_app") -> list[str]:
    """``file:line key`` for every literal catalogue key used under ``root``."""
    uses = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        uses.extend(f"{path.relative_to(ROOT)}:{line} {key}" for line, key in _keys_in(tree))
    return uses


def test_every_key_has_both_languages_and_same_placeholders():
    assert problems() == []


def test_every_key_used_in_code_exists():
    known = catalogue()
    missing = [use for use in used_keys() if use.rsplit(" ", 1)[1] not in known]
    assert missing == []


def test_scan_finds_keys_and_would_catch_a_missing_one(tmp_path):
    (tmp_path / "page.py").write_text(
        'tr("overview.title")\nt("no.such.key", "ru")\n'
        'raise InvalidInput("x", key="also.missing")\n'
        'class Boom(ServiceError):\n    key = "error.generic"\n',
        encoding="utf-8",
    )
    tree = ast.parse((tmp_path / "page.py").read_text(encoding="utf-8"))
    keys = [key for _, key in _keys_in(tree)]
    assert keys == ["overview.title", "no.such.key", "also.missing", "error.generic"]
    assert [k for k in keys if k not in catalogue()] == ["no.such.key", "also.missing"]


def test_scan_sees_the_real_code():
    assert len(used_keys()) > 50


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_role_and_channel_names_exist(lang):
    for role in ("admin", "lead", "reviewer", "trainer", "agent"):
        assert t(f"role.{role}", lang) != f"role.{role}"
    for channel in ("chat", "email", "messenger", "social", "phone"):
        assert t(f"overview.channel.{channel}", lang) != f"overview.channel.{channel}"


def test_russian_texts_are_russian():
    """A Russian text identical to the English one is usually a forgotten translation."""
    same = [
        key
        for key, texts in catalogue().items()
        if texts.get("ru") == texts.get("en")
        and any(c.isalpha() for c in texts.get("en", ""))
        and not _untranslatable(texts["en"])
    ]
    assert same == []


def _untranslatable(text: str) -> bool:
    """Brand names, abbreviations and codes read the same in both languages."""
    words = [w for w in text.replace("{", " ").replace("}", " ").split() if w.isalpha()]
    return all(w.isupper() or w in {"QA", "Studio", "CSAT", "NPS", "SLA"} for w in words)

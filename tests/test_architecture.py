"""The map of the code, checked on every run so it cannot rot silently.

* layers import downward only (DESIGN.md): scoring is a pure library, the UI never
  touches storage, ingest knows no database, ...;
* runtime scoring never imports ``scoring.training``;
* the UI and the command line reach the database only through ``qa_app.services``: the UI
  never opens a session (no ``db_session``), the CLI imports neither storage nor SQLAlchemy;
* code outside a service package imports the package (``qa_app.services.reviews``), never
  its modules; every name in a package's ``__all__`` exists and every area has tests;
* no import cycle between packages;
* roles are compared only in ``services/permissions.py`` and ``services/actor.py``.

Each rule has a test that plants a violation and shows the check finds it.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE_ROOTS = ("qa_app", "scoring")
SERVICES = "qa_app/services"
ROLE_CHECKS_ALLOWED = ("qa_app/services/permissions.py", "qa_app/services/actor.py")


# -- reading the code ------------------------------------------------------------------------


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk_runtime(node: ast.AST) -> Iterator[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:`` (annotations only, never run)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            yield from (n for orelse in child.orelse for n in _walk_runtime_one(orelse))
            continue
        yield child
        yield from _walk_runtime(child)


def _walk_runtime_one(node: ast.AST) -> Iterator[ast.AST]:
    yield node
    yield from _walk_runtime(node)


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_from(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute module of a ``from ... import`` (relative imports resolved)."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(path: Path, root: Path = ROOT) -> set[str]:
    """Absolute names a module imports at run time: ``import a.b`` gives ``a.b``;
    ``from a import b`` gives ``a`` and ``a.b`` (b may be a module)."""
    module = _module_name(path, root)
    names: set[str] = set()
    for node in _walk_runtime(_parse(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(node, module, path.name == "__init__.py")
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def _sources(package: str, root: Path = ROOT) -> list[Path]:
    return sorted((root / package).rglob("*.py"))


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _violations(package: str, forbidden: tuple[str, ...], root: Path | None = None) -> list[str]:
    root = root or ROOT
    found = []
    for path in _sources(package, root):
        for name in sorted(_imports(path, root)):
            if any(_within(name, f) for f in forbidden):
                found.append(f"{path.relative_to(root)} imports {name}")
    return found


# -- layers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("scoring", ("qa_app", "streamlit", "sqlalchemy", "alembic")),
        ("qa_app/ui", ("qa_app.storage", "sqlalchemy", "alembic")),
        ("qa_app/cli", ("qa_app.storage", "sqlalchemy", "alembic", "streamlit")),
        ("qa_app/api", ("qa_app.storage", "sqlalchemy", "alembic", "streamlit", "qa_app.ui")),
        ("qa_app/ingest", ("qa_app.storage", "qa_app.services", "qa_app.ui", "streamlit")),
        ("qa_app/services", ("qa_app.ui", "qa_app.cli", "qa_app.api", "streamlit")),
        ("qa_app/storage", ("qa_app.services", "qa_app.ui", "qa_app.cli", "streamlit")),
    ],
)
def test_layers_import_downward_only(package, forbidden):
    assert _violations(package, forbidden) == []


def test_the_check_itself_finds_a_violation(tmp_path):
    bad = tmp_path / "scoring"
    bad.mkdir()
    (bad / "leak.py").write_text("import streamlit as st\n", encoding="utf-8")
    assert _violations("scoring", ("streamlit",), tmp_path) == ["scoring/leak.py imports streamlit"]


def test_imports_under_type_checking_do_not_count(tmp_path):
    pkg = tmp_path / "qa_app" / "ui"
    pkg.mkdir(parents=True)
    (pkg / "typed.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from qa_app.storage.models import User\n"
        "else:\n    from qa_app.storage import db\n",
        encoding="utf-8",
    )
    assert _violations("qa_app/ui", ("qa_app.storage",), tmp_path) == [
        "qa_app/ui/typed.py imports qa_app.storage",
        "qa_app/ui/typed.py imports qa_app.storage.db",
    ]


# -- runtime scoring never imports training ------------------------------------------------------

NOT_RUNTIME = ("scoring/training", "scoring/evaluation")


def _runtime_scoring_imports_training(root: Path) -> list[str]:
    found = []
    for path in _sources("scoring", root):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(NOT_RUNTIME):
            continue
        for name in sorted(_imports(path, root)):
            if _within(name, "scoring.training"):
                found.append(f"{relative} imports {name}")
    return found


def test_runtime_scoring_never_imports_training():
    assert _runtime_scoring_imports_training(ROOT) == []


def test_training_check_finds_a_runtime_import(tmp_path):
    (tmp_path / "scoring" / "scorers").mkdir(parents=True)
    (tmp_path / "scoring" / "training").mkdir()
    (tmp_path / "scoring" / "scorers" / "tone.py").write_text(
        "def fit():\n    from scoring.training import corpora\n", encoding="utf-8"
    )
    (tmp_path / "scoring" / "training" / "tone.py").write_text(
        "from scoring.training import corpora\n", encoding="utf-8"
    )
    assert _runtime_scoring_imports_training(tmp_path) == [
        "scoring/scorers/tone.py imports scoring.training",
        "scoring/scorers/tone.py imports scoring.training.corpora",
    ]


# -- the UI never opens a session ------------------------------------------------------------------


def _session_calls(package: str, root: Path) -> list[str]:
    """Calls of ``db_session`` (the old way for pages to open a session) anywhere."""
    found = []
    for path in _sources(package, root):
        for node in ast.walk(_parse(path)):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called == "db_session":
                    found.append(f"{path.relative_to(root)}:{node.lineno} calls db_session")
    return found


def test_ui_never_opens_a_session():
    assert _session_calls("qa_app/ui", ROOT) == []
    assert _session_calls("qa_app/cli", ROOT) == []
    assert _session_calls("qa_app/api", ROOT) == []


def test_session_check_finds_a_call(tmp_path):
    (tmp_path / "qa_app" / "ui").mkdir(parents=True)
    (tmp_path / "qa_app" / "ui" / "page.py").write_text(
        "from qa_app.ui import context\n\ndef render():\n"
        "    with context.db_session() as session:\n        pass\n",
        encoding="utf-8",
    )
    assert _session_calls("qa_app/ui", tmp_path) == ["qa_app/ui/page.py:4 calls db_session"]


def test_cli_check_finds_a_storage_import(tmp_path):
    (tmp_path / "qa_app" / "cli").mkdir(parents=True)
    (tmp_path / "qa_app" / "cli" / "commands_x.py").write_text(
        "from qa_app.storage.db import unit_of_work\n", encoding="utf-8"
    )
    assert _violations("qa_app/cli", ("qa_app.storage",), tmp_path) == [
        "qa_app/cli/commands_x.py imports qa_app.storage.db",
        "qa_app/cli/commands_x.py imports qa_app.storage.db.unit_of_work",
    ]


# -- service packages: one public surface each ---------------------------------------------------


def _service_packages(root: Path = ROOT) -> list[str]:
    return sorted(p.parent.name for p in (root / SERVICES).glob("*/__init__.py"))


def _reaching_into_packages(root: Path) -> list[str]:
    """Imports of a service package's modules from outside that package."""
    packages = _service_packages(root)
    found = []
    for top in SOURCE_ROOTS:
        if not (root / top).is_dir():
            continue
        for path in _sources(top, root):
            relative = path.relative_to(root).as_posix()
            own = relative.split("/")[2] if relative.startswith(SERVICES + "/") else None
            for name in sorted(_imports(path, root)):
                parts = name.split(".")
                if len(parts) < 4 or parts[:2] != ["qa_app", "services"]:
                    continue
                area, inner = parts[2], parts[3]
                is_module = (root / SERVICES / area / f"{inner}.py").exists() or (
                    root / SERVICES / area / inner / "__init__.py"
                ).exists()
                if area in packages and area != own and is_module:
                    found.append(f"{relative} imports {name}")
    return found


def test_code_outside_a_service_package_imports_only_the_package():
    assert _reaching_into_packages(ROOT) == []


def test_package_check_finds_an_import_of_a_module(tmp_path):
    reviews = tmp_path / "qa_app" / "services" / "reviews"
    reviews.mkdir(parents=True)
    (reviews / "__init__.py").write_text("from qa_app.services.reviews.grading import x\n")
    (reviews / "grading.py").write_text("x = 1\n")
    (tmp_path / "qa_app" / "ui").mkdir()
    (tmp_path / "qa_app" / "ui" / "page.py").write_text(
        "from qa_app.services import reviews\nfrom qa_app.services.reviews import grading\n"
    )
    assert _reaching_into_packages(tmp_path) == [
        "qa_app/ui/page.py imports qa_app.services.reviews.grading"
    ]


def test_every_public_name_exists():
    missing = []
    for area in _service_packages():
        package = importlib.import_module(f"qa_app.services.{area}")
        public = getattr(package, "__all__", None)
        assert public, f"qa_app.services.{area} has no __all__"
        missing += [f"{area}.{name}" for name in public if not hasattr(package, name)]
        assert len(set(public)) == len(public), f"{area}: a name is listed twice in __all__"
    assert missing == []


#: Areas whose tests predate the one-package-per-area layout and keep their names.
AREA_TEST_FILES = {
    "accounts": ("test_auth.py", "test_users_service.py", "test_sign_in_sessions.py"),
    "imports": ("test_import_service.py",),
}


def _untested_areas(root: Path) -> list[str]:
    """Service areas with no ``tests/test_<area>*.py`` (or a listed older file)."""
    tests = root / "tests"
    untested = []
    for area in _service_packages(root):
        files = list(tests.glob(f"test_{area}*.py"))
        files += [tests / f for f in AREA_TEST_FILES.get(area, ()) if (tests / f).exists()]
        if not files:
            untested.append(area)
    return untested


def test_every_service_area_has_tests():
    assert _untested_areas(ROOT) == []


def test_area_check_finds_an_untested_area(tmp_path):
    for area in ("reviews", "coaching"):
        (tmp_path / SERVICES / area).mkdir(parents=True)
        (tmp_path / SERVICES / area / "__init__.py").write_text("__all__ = []\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_reviews_service.py").write_text("")
    assert _untested_areas(tmp_path) == ["coaching"]


# -- no cycles between packages ------------------------------------------------------------------


def component(package: str) -> str:
    """The box on the map (docs/architecture.md) a package belongs to: each service area
    (``qa_app.services.reviews``), the shared services (``qa_app.services``), every other
    app package (``qa_app.ui`` with its ``screens``, ``qa_app.demo`` with its ``corpus``) and
    every scoring sub-package (``scoring.scorers``). A sub-package is part of its box: the
    router in ``qa_app/ui`` importing the pages in ``qa_app/ui/screens``, which use the
    helpers beside the router, is one package using its own parts, not a cycle."""
    parts = package.split(".")
    depth = 3 if parts[:2] == ["qa_app", "services"] else 2
    return ".".join(parts[:depth])


def _package_of(module: str, packages: set[str]) -> str | None:
    """The innermost package holding ``module`` (a package holds itself)."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in packages:
            return candidate
    return None


def package_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Box -> boxes its modules import at run time (``TYPE_CHECKING`` ignored)."""
    packages = {  # every folder of modules, with or without __init__ (qa_app/ui has none)
        _module_name(p.parent / "__init__.py", root)
        for top in SOURCE_ROOTS
        for p in (root / top).rglob("*.py")
    }
    graph: dict[str, set[str]] = {component(p): set() for p in packages}
    for top in SOURCE_ROOTS:
        if not (root / top).is_dir():
            continue
        for path in _sources(top, root):
            source = _package_of(_module_name(path, root), packages)
            for name in _imports(path, root):
                target = _package_of(name, packages)
                if source and target and component(target) != component(source):
                    graph[component(source)].add(component(target))
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as ``[a, b, ..., a]``, or None when the graph is acyclic."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycles_between_packages():
    cycle = find_cycle(package_graph())
    assert cycle is None, "import cycle between packages: " + " -> ".join(cycle)


def test_cycle_check_finds_a_planted_cycle(tmp_path):
    for package, imports in (
        ("qa_app", ""),
        ("qa_app/services", ""),
        ("qa_app/services/reviews", "from qa_app.services import calibration\n"),
        ("qa_app/services/calibration", "from qa_app.services.reviews import queue\n"),
        (
            "qa_app/ui",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from qa_app.services import reviews\n",
        ),  # fmt: skip
    ):
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
        (tmp_path / package / "__init__.py").write_text(imports)
    (tmp_path / "qa_app/services/reviews/queue.py").write_text("x = 1\n")
    (tmp_path / "qa_app/services/tools.py").write_text("from qa_app.ui import x\n")
    (tmp_path / "qa_app/ui/screens").mkdir()  # a router and its pages: one box, no cycle
    (tmp_path / "qa_app/ui/app.py").write_text("from qa_app.ui import screens\n")
    (tmp_path / "qa_app/ui/screens/__init__.py").write_text("from qa_app.ui import context\n")
    graph = package_graph(tmp_path)
    assert graph["qa_app.ui"] == set()  # annotations only, and its own sub-package
    assert graph["qa_app.services"] == {"qa_app.ui"}
    assert find_cycle(graph) == [
        "qa_app.services.calibration",
        "qa_app.services.reviews",
        "qa_app.services.calibration",
    ]


# -- roles are compared in one place ---------------------------------------------------------------


def _is_actor_role(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Attribute) and node.attr == "role"):
        return False
    owner = node.value
    name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
    return name == "actor"


def _role_checks(root: Path) -> list[str]:
    """``actor.role ==`` / ``!=`` / ``in`` / ``not in`` comparisons outside the registry."""
    found = []
    for top in SOURCE_ROOTS:
        for path in _sources(top, root):
            relative = path.relative_to(root).as_posix()
            if relative in ROLE_CHECKS_ALLOWED:
                continue
            for node in ast.walk(_parse(path)):
                if not isinstance(node, ast.Compare):
                    continue
                operands = [node.left, *node.comparators]
                if any(_is_actor_role(o) for o in operands):
                    found.append(f"{relative}:{node.lineno} compares actor.role")
    return found


def test_roles_are_compared_only_in_the_permissions_registry():
    assert _role_checks(ROOT) == []


def test_role_check_finds_a_comparison(tmp_path):
    (tmp_path / "qa_app" / "services").mkdir(parents=True)
    (tmp_path / "qa_app" / "services" / "reports.py").write_text(
        "def export(actor, user):\n"
        "    if actor.role == 'lead' or user.role == 'admin':\n        pass\n"
        "    return 'admin' in ctx.actor.role or self.actor.role not in ('agent',)\n",
        encoding="utf-8",
    )
    (tmp_path / "qa_app" / "services" / "permissions.py").write_text(
        "def can(actor, action):\n    return actor.role in ACTIONS[action]\n", encoding="utf-8"
    )
    assert _role_checks(tmp_path) == [
        "qa_app/services/reports.py:2 compares actor.role",
        "qa_app/services/reports.py:4 compares actor.role",
        "qa_app/services/reports.py:4 compares actor.role",
    ]

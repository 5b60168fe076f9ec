"""``qa-studio bench browsers`` at its smallest: two real chromium pages, each on its own
``qa-studio serve`` process, both on one PostgreSQL database. Every review a browser
submitted is stored once; the servers' memory is read; no page error."""

from __future__ import annotations

import shutil

import pytest
from conftest import migrated_pg_schema

from qa_app.bench import scale
from qa_app.bench.browsers import measure_browsers
from qa_app.cli.commands_bench_load import format_browsers

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def pg_url(pg_available):
    if pg_available:
        pytest.skip(pg_available)
    if shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    yield from migrated_pg_schema()


def test_two_browsers_on_two_servers_store_every_review_once(pg_url, tmp_path):
    export = tmp_path / "export.jsonl"
    scale.write_export(export, 20)
    figures = measure_browsers(pg_url, export, browsers=2, servers=2, reviews=1, seconds=120)

    assert figures.submitted == 2
    assert figures.stored_reviews == 2 and figures.duplicated == 0
    assert figures.console_errors == []
    assert len(figures.submits_ms) == 2 and len(figures.clicks_ms) >= 2
    assert figures.memory_before_mb > 0 and figures.memory_open_mb > 0
    text = "\n".join(format_browsers(figures))
    assert "2 browsers on 2 servers" in text and "per session" in text

"""Conversations pushed as JSON objects (the REST API) instead of a file.

They take exactly the file import's path: the objects are written as a JSONL file (one
conversation per line, in the order given) and ``import_file`` reads, validates, masks and
stores them, so a pushed conversation is checked by the same validators, is idempotent on
(source, external id) by the same content hash, and is rejected with the same field and
reason as a line of an uploaded file. Line ``n`` of the file is item ``n - 1`` of the push.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.errors import InvalidInput
from qa_app.services.imports.options import ImportOptions
from qa_app.services.imports.runs import import_file
from qa_app.services.imports.summary import ImportSummary
from qa_app.services.permissions import require

#: Most conversations one push may carry (larger sets go as several pushes or a file).
MAX_PUSHED = 1000


def import_records(
    session: Session,
    actor: Actor,
    records: Sequence[object],
    options: ImportOptions | None = None,
    name: str = "api",
) -> ImportSummary:
    """Import conversation objects (the JSONL format's lines) as one import run.

    Commits per batch like a file import. Rejections name the item as ``line`` (1-based).
    """
    require(actor, "import.run")
    if not records:
        raise InvalidInput("no conversations given", key="error.invalid_input",
                           detail="no conversations given")  # fmt: skip
    if len(records) > MAX_PUSHED:
        detail = f"at most {MAX_PUSHED} conversations per push ({len(records)} given)"
        raise InvalidInput(detail, key="error.invalid_input", detail=detail)
    options = options or ImportOptions()
    with tempfile.TemporaryDirectory(prefix="qa-studio-push-") as folder:
        path = Path(folder) / f"{name}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        options.errors_dir = Path(folder)
        options.display_name = options.display_name or f"{name}.jsonl"
        summary = import_file(session, path, actor, options)
        summary.errors_path = None  # the errors file went with the folder
    return summary

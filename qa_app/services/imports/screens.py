"""What the import page reads and does, each in one unit of work.

``do_import_file`` commits per batch as it goes (memory stays flat and progress is
durable on a large file) and once more at the end; a file that cannot be read at all
leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.services.actor import Actor
from qa_app.services.imports.history import recent_imports
from qa_app.services.imports.runs import import_file
from qa_app.services.use_case import atomic
from qa_app.storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ImportScreen:
    #: The latest import runs, newest first, as plain dicts for the history table.
    history: list[dict]


def import_screen(uow: UnitOfWork, actor: Actor) -> ImportScreen:
    with uow:
        return ImportScreen(recent_imports(uow.session, actor))


do_import_file = atomic(import_file)

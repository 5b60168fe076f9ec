"""Rubric versions stored in the database, checked against the schema.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.rubrics.files import (
    check_rubric_files,
    read_rubric_file,
)
from qa_app.services.rubrics.screens import (
    RubricsScreen,
    do_ensure_default_rubric,
    do_save_rubric,
    rubrics_screen,
)
from qa_app.services.rubrics.store import (
    RubricInvalid,
    RubricSummary,
    StoredRubric,
    VersionInfo,
    active_version,
    check_yaml,
    ensure_default_rubric,
    get_version,
    list_rubrics,
    list_versions,
    save_rubric,
)

__all__ = [
    "RubricInvalid",
    "RubricSummary",
    "RubricsScreen",
    "StoredRubric",
    "VersionInfo",
    "active_version",
    "check_rubric_files",
    "check_yaml",
    "do_ensure_default_rubric",
    "do_save_rubric",
    "ensure_default_rubric",
    "get_version",
    "list_rubrics",
    "list_versions",
    "read_rubric_file",
    "rubrics_screen",
    "save_rubric",
]

"""Rubric versions stored in the database, checked against the schema.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.rubrics.files import (
    check_rubric_files,
    read_rubric_file,
)
from qa_app.services.rubrics.store import (
    RubricInvalid,
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
    "check_rubric_files",
    "read_rubric_file",
    "RubricInvalid",
    "StoredRubric",
    "VersionInfo",
    "active_version",
    "check_yaml",
    "ensure_default_rubric",
    "get_version",
    "list_rubrics",
    "list_versions",
    "save_rubric",
]

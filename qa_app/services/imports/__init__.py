"""Getting conversations in: file import runs, validation reports, bulk writing.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.imports.history import recent_imports
from qa_app.services.imports.runs import (
    DEFAULT_SOURCE,
    ImportFailed,
    ImportOptions,
    ImportProgress,
    ImportSummary,
    default_timezone_name,
    import_file,
    upload_limit_mb,
)

__all__ = [
    "DEFAULT_SOURCE",
    "ImportFailed",
    "ImportOptions",
    "ImportProgress",
    "ImportSummary",
    "default_timezone_name",
    "import_file",
    "recent_imports",
    "upload_limit_mb",
]

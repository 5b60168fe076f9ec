"""Getting conversations in: file import runs, validation reports, bulk writing.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.imports.runs import (
    DEFAULT_SOURCE,
    ImportFailed,
    ImportOptions,
    ImportProgress,
    ImportSummary,
    default_timezone_name,
    import_file,
    recent_imports,
    upload_limit_mb,
)
from qa_app.services.imports.screens import (
    ImportScreen,
    do_import_file,
    import_screen,
)

__all__ = [
    "DEFAULT_SOURCE",
    "ImportFailed",
    "ImportOptions",
    "ImportProgress",
    "ImportScreen",
    "ImportSummary",
    "default_timezone_name",
    "do_import_file",
    "import_file",
    "import_screen",
    "recent_imports",
    "upload_limit_mb",
]

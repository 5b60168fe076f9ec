"""Getting conversations in: file import runs, validation reports, bulk writing.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.imports.history import recent_imports
from qa_app.services.imports.mappings import (
    MAPPING_FIELDS,
    ColumnMapping,
    TablePreview,
    get_preset,
    is_survey_field,
    list_presets,
    mapped_reader,
    mapping_from_document,
    preview_file,
    save_preset,
    survey_attribute_for,
)
from qa_app.services.imports.options import (
    DEFAULT_SOURCE,
    MASK_KINDS,
    ImportOptions,
    default_timezone_name,
    masking_defaults,
    masking_settings,
    upload_limit_mb,
)
from qa_app.services.imports.pushed import MAX_PUSHED, import_records
from qa_app.services.imports.runs import ImportFailed, import_file
from qa_app.services.imports.screens import (
    ImportScreen,
    do_import_file,
    import_screen,
)
from qa_app.services.imports.summary import ImportProgress, ImportSummary
from qa_app.services.use_case import atomic

do_save_preset = atomic(save_preset)
do_list_presets = atomic(list_presets)
do_get_preset = atomic(get_preset)
do_import_records = atomic(import_records)

__all__ = [
    "MAX_PUSHED",
    "do_import_records",
    "import_records",
    "MAPPING_FIELDS",
    "ColumnMapping",
    "TablePreview",
    "do_get_preset",
    "do_list_presets",
    "do_save_preset",
    "get_preset",
    "is_survey_field",
    "survey_attribute_for",
    "list_presets",
    "mapped_reader",
    "mapping_from_document",
    "preview_file",
    "save_preset",
    "DEFAULT_SOURCE",
    "MASK_KINDS",
    "ImportFailed",
    "ImportOptions",
    "ImportProgress",
    "ImportScreen",
    "ImportSummary",
    "default_timezone_name",
    "do_import_file",
    "import_file",
    "import_screen",
    "masking_defaults",
    "masking_settings",
    "recent_imports",
    "upload_limit_mb",
]

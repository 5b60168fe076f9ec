"""The audit log: reading it with filters and exporting it (admin).

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.auditlog.export import FORMATS, ExportFile, export_audit_log
from qa_app.services.auditlog.log import PAGE_LIMIT, AuditFilters, AuditRow, audit_rows
from qa_app.services.auditlog.screens import AuditScreen, audit_screen
from qa_app.services.use_case import atomic

do_export_audit_log = atomic(export_audit_log)

__all__ = [
    "FORMATS",
    "PAGE_LIMIT",
    "AuditFilters",
    "AuditRow",
    "AuditScreen",
    "ExportFile",
    "audit_rows",
    "audit_screen",
    "do_export_audit_log",
    "export_audit_log",
]

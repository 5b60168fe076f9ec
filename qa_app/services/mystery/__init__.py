"""Mystery shopping: scenarios, visits with checklists and attachments, CSV import, reports.

``load_mystery_scenarios`` reads ``rubrics/mystery-scenarios.yaml``; ``load_mystery_checklist``
reads a checklist (a rubric marked ``kind: mystery-checklist``) as a ``scoring.rubric.Rubric``,
so a visit is scored with the same maths as a review. Pages read through ``*_screen`` and
change through ``do_*``; ``failed_items_by_agent`` feeds the coaching recommendations.
Who sees which visit is decided once, in ``visits.visible``.
"""

from qa_app.services.mystery.actions import (
    do_add_attachments,
    do_create_scenario,
    do_export_report,
    do_import_visits_csv,
    do_install_catalogue,
    do_record_visit,
    do_set_published,
    do_update_scenario,
    do_update_visit,
)
from qa_app.services.mystery.attachments import EXTENSIONS as ATTACHMENT_EXTENSIONS
from qa_app.services.mystery.attachments import MAX_BYTES as ATTACHMENT_MAX_BYTES
from qa_app.services.mystery.attachments import remove_files as remove_attachment_files
from qa_app.services.mystery.attachments import stored_names as attachment_stored_names
from qa_app.services.mystery.checklist import (
    CHECKLIST_KIND,
    DEFAULT_CHECKLIST,
    available_checklists,
    check_mystery_checklist_text,
    checklist_by_id,
    load_mystery_checklist,
    validate_mystery_checklist,
)
from qa_app.services.mystery.coaching_feed import FailedItem, failed_items_by_agent
from qa_app.services.mystery.csv_import import (
    RowProblem,
    VisitImportResult,
    import_visits_csv,
    visits_csv_template,
)
from qa_app.services.mystery.editing import update_visit
from qa_app.services.mystery.exports import FORMATS as EXPORT_FORMATS
from qa_app.services.mystery.exports import export_report, key_figures, sections
from qa_app.services.mystery.reports import MIN_VISITS, MysteryReport, ReportFilter, mystery_report
from qa_app.services.mystery.scenario_catalogue import (
    DEFAULT_SCENARIOS,
    SCENARIOS_KIND,
    FollowUp,
    MysteryScenario,
    MysteryScenarioCatalogue,
    Observation,
    Persona,
    check_mystery_scenarios_text,
    load_mystery_scenarios,
    parse_mystery_scenarios,
    validate_mystery_scenarios,
)
from qa_app.services.mystery.scenarios import (
    ScenarioInfo,
    ScenarioInput,
    create_scenario,
    install_catalogue,
    update_scenario,
)
from qa_app.services.mystery.screens import (
    ChecklistItem,
    EditableVisit,
    ReportScreen,
    ScenariosScreen,
    VisitDetail,
    VisitRow,
    VisitsScreen,
    attachment_file,
    report_screen,
    scenarios_screen,
    visits_screen,
)
from qa_app.services.mystery.visit_building import build_visit
from qa_app.services.mystery.visit_files import add_attachments, read_attachment
from qa_app.services.mystery.visit_inputs import AnswerInput, Upload, VisitInput
from qa_app.services.mystery.visits import record_visit, set_published
from scoring.rubric.documents import CatalogueError, Problem

__all__ = [
    "ATTACHMENT_EXTENSIONS",
    "ATTACHMENT_MAX_BYTES",
    "attachment_stored_names",
    "remove_attachment_files",
    "EXPORT_FORMATS",
    "MIN_VISITS",
    "AnswerInput",
    "ChecklistItem",
    "EditableVisit",
    "FailedItem",
    "MysteryReport",
    "ReportFilter",
    "ReportScreen",
    "RowProblem",
    "ScenarioInfo",
    "ScenarioInput",
    "ScenariosScreen",
    "Upload",
    "VisitDetail",
    "VisitImportResult",
    "VisitInput",
    "VisitRow",
    "VisitsScreen",
    "add_attachments",
    "attachment_file",
    "available_checklists",
    "build_visit",
    "checklist_by_id",
    "create_scenario",
    "do_add_attachments",
    "do_create_scenario",
    "do_export_report",
    "do_import_visits_csv",
    "do_install_catalogue",
    "do_record_visit",
    "do_set_published",
    "do_update_scenario",
    "do_update_visit",
    "export_report",
    "failed_items_by_agent",
    "import_visits_csv",
    "install_catalogue",
    "key_figures",
    "mystery_report",
    "read_attachment",
    "record_visit",
    "report_screen",
    "scenarios_screen",
    "sections",
    "set_published",
    "update_scenario",
    "update_visit",
    "visits_csv_template",
    "visits_screen",
    "CHECKLIST_KIND",
    "DEFAULT_CHECKLIST",
    "DEFAULT_SCENARIOS",
    "SCENARIOS_KIND",
    "CatalogueError",
    "FollowUp",
    "MysteryScenario",
    "MysteryScenarioCatalogue",
    "Observation",
    "Persona",
    "Problem",
    "check_mystery_checklist_text",
    "check_mystery_scenarios_text",
    "load_mystery_checklist",
    "load_mystery_scenarios",
    "parse_mystery_scenarios",
    "validate_mystery_checklist",
    "validate_mystery_scenarios",
]

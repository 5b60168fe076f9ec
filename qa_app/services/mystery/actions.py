"""Each button of the mystery-shopper pages as one complete unit of work (``do_x`` runs
``x`` and commits only when it returned)."""

from __future__ import annotations

from qa_app.services.mystery.csv_import import import_visits_csv
from qa_app.services.mystery.editing import update_visit
from qa_app.services.mystery.exports import export_report
from qa_app.services.mystery.scenarios import create_scenario, install_catalogue, update_scenario
from qa_app.services.mystery.visit_files import add_attachments
from qa_app.services.mystery.visits import record_visit, set_published
from qa_app.services.use_case import atomic

do_create_scenario = atomic(create_scenario)
do_update_scenario = atomic(update_scenario)
do_install_catalogue = atomic(install_catalogue)
do_record_visit = atomic(record_visit)
do_add_attachments = atomic(add_attachments)
do_set_published = atomic(set_published)
do_update_visit = atomic(update_visit)
do_import_visits_csv = atomic(import_visits_csv)
do_export_report = atomic(export_report)

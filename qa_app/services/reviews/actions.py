"""The review page's changes, each complete and atomic in its own unit of work
(``do_x(uow, ...)`` runs ``x(session, ...)`` and commits only when it returned, so a
conflict or a refused grade leaves the database as it was)."""

from __future__ import annotations

from qa_app.services.reviews.grading import save_draft, submit_review
from qa_app.services.use_case import atomic

do_save_draft = atomic(save_draft)
do_submit_review = atomic(submit_review)

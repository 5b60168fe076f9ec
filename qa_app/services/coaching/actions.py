"""Coaching plan changes, each one committed unit of work (``do_x = atomic(x)``)."""

from __future__ import annotations

from qa_app.services.coaching.plans import (
    confirm_session,
    create_plan,
    record_session,
    update_plan,
)
from qa_app.services.use_case import atomic

do_create_plan = atomic(create_plan)
do_update_plan = atomic(update_plan)
do_record_session = atomic(record_session)
do_confirm_session = atomic(confirm_session)

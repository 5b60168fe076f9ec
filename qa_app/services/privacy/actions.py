"""One committed change per call: what the Privacy page and the CLI do."""

from __future__ import annotations

from qa_app.services.privacy.erasure import erase_customer
from qa_app.services.privacy.retention import purge, purge_if_due, set_policy
from qa_app.services.use_case import atomic

do_erase_customer = atomic(erase_customer)
do_set_policy = atomic(set_policy)
do_purge = atomic(purge)
do_purge_if_due = atomic(purge_if_due)

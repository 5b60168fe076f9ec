"""Raising and deciding a dispute, each one complete unit of work (``do_x`` runs ``x`` and
commits only when it returned)."""

from __future__ import annotations

from qa_app.services.disputes.decisions import raise_dispute, resolve_dispute
from qa_app.services.use_case import atomic

do_raise_dispute = atomic(raise_dispute)
do_resolve_dispute = atomic(resolve_dispute)

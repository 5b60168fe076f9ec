"""Acknowledging a review as one complete unit of work."""

from __future__ import annotations

from qa_app.services.results.acknowledgement import acknowledge_review
from qa_app.services.use_case import atomic

do_acknowledge_review = atomic(acknowledge_review)

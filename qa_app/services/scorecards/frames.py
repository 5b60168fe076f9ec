"""The frames every agent-level figure is computed from, cached per period and scope.

These are building blocks other areas (coaching) may call through the package. The
queries are in ``frame_queries``; the period and scope they read in ``period``.

A lead, a trainer and an export all read the same frames for the same period and scope.
Each frame is kept (per database, frame and arguments) with a stamp of the data it was
read from; a later call whose stamp matches gets a copy without touching the big tables.
Anything that changes a counted figure (a submitted or corrected review, a grade change
from a dispute, an import) moves the stamp.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.scorecards.frame_queries import (
    build_conversation_counts,
    build_conversation_frame,
    build_grade_counts,
    build_response_times,
    build_review_frame,
    build_survey_frame,
)
from qa_app.services.scorecards.period import Period, Scope
from qa_app.storage.models import Conversation, GradeChange, Review, ReviewGrade

_CACHE: OrderedDict[tuple, tuple[tuple, pd.DataFrame]] = OrderedDict()
_LOCK = threading.Lock()  # the app serves several sessions from threads
_CACHE_SIZE = 48
_STAMP = "scorecards.data_stamp"


def data_stamp(session: Session) -> tuple:
    """What the frames depend on, read once per unit of work (a handful of indexed
    aggregates, milliseconds on 100,000 conversations)."""
    stamp = session.info.get(_STAMP)
    if stamp is None:
        reviews = session.execute(select(func.count(), func.max(Review.updated_at),
                                         func.max(Review.id))).one()  # fmt: skip
        conversations = session.execute(
            select(func.count(), func.max(Conversation.updated_at), func.max(Conversation.id))
        ).one()
        grades = session.execute(select(func.max(ReviewGrade.id))).one()
        changes = session.execute(select(func.count()).select_from(GradeChange)).one()
        stamp = (*reviews, *conversations, *grades, *changes)
        session.info[_STAMP] = stamp
    return stamp


def _cached(session: Session, build, *args) -> pd.DataFrame:
    key = (str(session.get_bind().url), build.__name__, args)
    stamp = data_stamp(session)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == stamp:
            _CACHE.move_to_end(key)
            return hit[1].copy()
    frame = build(session, *args)
    with _LOCK:
        _CACHE[key] = (stamp, frame.copy())
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return frame


def conversation_counts(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    """Conversations per agent in scope (SQL ``GROUP BY``): the base of review coverage."""
    return _cached(session, build_conversation_counts, period, scope)


def forget_frames() -> None:
    """Drop every cached frame (tests; a restore of a backup)."""
    with _LOCK:
        _CACHE.clear()


def review_frame(session: Session, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """One row per counted review (``REVIEW_COLUMNS``), calibration reviews flagged."""
    return _cached(session, build_review_frame, period, scope)


def grade_counts(session: Session, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """Counted grades per (agent, rubric version, criterion, value): SQL ``GROUP BY``."""
    return _cached(session, build_grade_counts, period, scope)


def conversation_frame(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    """One row per conversation in scope: timing, survey answers, escalation, status."""
    return _cached(session, build_conversation_frame, period, scope)


def response_times(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    """(weekday, hour, frt seconds) of the conversations in scope with a first response."""
    return _cached(session, build_response_times, period, scope)


def survey_frame(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    """Multi-attribute survey ratings of the conversations in scope (``SURVEY_COLUMNS``)."""
    return _cached(session, build_survey_frame, period, scope)

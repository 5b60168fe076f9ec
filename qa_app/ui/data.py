"""Cached data access for the shell and the Overview page.

Migrations run once per process and database; overview figures are cached for a minute
per (database, visibility scope, filters) so moving between pages stays quick. Keys are
plain values only, so one user's cache entry can never serve another's scope.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import autoqa, coaching, mystery, overview
from qa_app.services import database as services_db
from qa_app.services.actor import Actor


@st.cache_resource(show_spinner=False)
def prepare_database(url: str) -> str:
    """Apply pending migrations once per server process for this database."""
    return services_db.prepare_database(url)


def _scope(actor: Actor) -> Actor:
    """Only what decides visibility, so staff share one cache entry and agents get their own."""
    if actor.is_agent:
        return Actor(user_id=None, username="", role="agent", agent_id=actor.agent_id)
    return Actor(user_id=None, username="", role="staff")


def overview_options(url: str, actor: Actor, tz: str) -> overview.FilterOptions:
    return _overview_options(url, _scope(actor), tz)


def overview_figures(
    url: str, actor: Actor, filters: overview.OverviewFilters, tz: str
) -> overview.Overview:
    return _overview_figures(url, _scope(actor), filters, tz)


@st.cache_data(ttl=60, show_spinner=False, max_entries=64)
def _overview_options(url: str, scope: Actor, tz: str) -> overview.FilterOptions:
    return overview.filter_options_screen(services_db.unit_of_work(url), scope, tz)


@st.cache_data(ttl=60, show_spinner=False, max_entries=64)
def _overview_figures(
    url: str, scope: Actor, filters: overview.OverviewFilters, tz: str
) -> overview.Overview:
    return overview.overview_screen(services_db.unit_of_work(url), scope, filters, tz)


def forget_overview() -> None:
    """Drop cached Overview figures, e.g. right after an import, so they show at once."""
    _overview_options.clear()
    _overview_figures.clear()


@st.cache_data(show_spinner=False, max_entries=8)
def autoqa_agreement(url: str, stamp: str) -> autoqa.AgreementScreen:
    """Held-out fits take seconds on a large review history: kept per database until its
    scoring runs, reviews or rubrics change (``stamp``; the same for every staff member,
    so the key holds no user; the page checks the role)."""
    return autoqa.agreement_screen(services_db.unit_of_work(url))


@st.cache_data(ttl=300, show_spinner=False, max_entries=8)
def autoqa_handover(url: str) -> pd.DataFrame:
    """Hand-overs per bot read every stored hand-over signal: cached five minutes per
    database like the agreement (the same for all staff; the page checks the role)."""
    return autoqa.handover_screen(services_db.unit_of_work(url))


@st.cache_data(show_spinner=False, max_entries=8)
def autoqa_distributions(url: str, signals: tuple[str, ...], stamp: str):
    """Per-agent signal distributions: seconds to summarise 100,000 scored conversations,
    so kept per database until scoring runs, conversations or agents change (``stamp``)."""
    return autoqa.signal_distribution_screen(services_db.unit_of_work(url), signals=signals)


def drivers(
    url: str, actor: Actor, now, team_id: int | None, channel: str | None
) -> coaching.DriversScreen:
    """The satisfaction drivers take seconds (every behaviour against every outcome): cached
    five minutes per database, role, hour and filters (the figures do not depend on who
    asks beyond the role, which the service checks)."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    return _drivers(url, actor.role, hour, team_id, channel)


@st.cache_data(ttl=300, show_spinner=False, max_entries=32)
def _drivers(url: str, role: str, hour, team_id, channel) -> coaching.DriversScreen:
    scope = Actor(user_id=None, username=role, role=role)
    return coaching.drivers_screen(services_db.unit_of_work(url), scope, hour, team_id, channel)


def mystery_report(
    url: str, actor: Actor, filters: mystery.ReportFilter, lang: str
) -> mystery.ReportScreen:
    """The mystery-shopper report, cached a minute per user (visibility differs per
    shopper and agent), period, channel and language: re-runs after the first are quick."""
    scope = Actor(user_id=actor.user_id, username=actor.username, role=actor.role,
                  agent_id=actor.agent_id)  # fmt: skip
    return _mystery_report(url, scope, filters, lang)


@st.cache_data(ttl=60, show_spinner=False, max_entries=32)
def _mystery_report(
    url: str, scope: Actor, filters: mystery.ReportFilter, lang: str
) -> mystery.ReportScreen:
    return mystery.report_screen(services_db.unit_of_work(url), scope, filters, lang)


def forget_mystery() -> None:
    """Drop cached mystery reports after a change (a visit saved, published or imported)."""
    _mystery_report.clear()

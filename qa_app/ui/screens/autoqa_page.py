"""Automatic scoring: status of the corpus, a run button for leads, per-agent automatic
signals and how well AutoQA agrees with the team's reviewers.

Agents do not open this page (their own automatic scores appear with their results).
"""

from __future__ import annotations

import streamlit as st

from qa_app.services import autoqa, rubrics
from qa_app.services.errors import ServiceError
from qa_app.services.permissions import can
from qa_app.ui import autoqa_view, context
from qa_app.ui.context import tr
from qa_app.ui.transcript_view import duration_text

ACTION = "page.autoqa"
CHART_SIGNALS = (*autoqa.KEY_SIGNALS, "first_response_sla")


@st.cache_resource(show_spinner=False)
def pipeline_version() -> str:
    """Loading every scorer takes seconds: once per server process."""
    return autoqa.current_pipeline_version()


def _progress_callback(bar):
    lang = context.current_lang()

    def show(done: int, total: int, rate: float, eta: float | None) -> None:
        text = tr(
            "autoqa.run.progress",
            done=f"{done:,}",
            total=f"{total:,}",
            rate=f"{rate:,.0f}",
            eta=duration_text(eta, lang),
        )
        bar.progress(done / total if total else 1.0, text=text)

    return show


def render_run(actor, status: autoqa.ScoringStatus) -> None:
    """Lead/admin: score new and changed conversations here, with a progress bar."""
    st.subheader(tr("autoqa.run.header"))
    cols = st.columns([1, 3])
    jobs = cols[0].number_input(tr("autoqa.run.jobs"), 1, 8, 1, key="autoqa.jobs")
    rescore_all = cols[1].checkbox(tr("autoqa.run.all"), key="autoqa.all")
    st.caption(tr("autoqa.run.hint"))
    if not st.button(
        tr("autoqa.run.start"), type="primary", icon=":material/play_arrow:", key="autoqa.start"
    ):
        return
    bar = st.progress(0.0)
    try:
        with context.db_session() as session:
            summary = autoqa.score_conversations(
                session,
                actor,
                rescore_all=rescore_all,
                n_jobs=int(jobs),
                progress=_progress_callback(bar),
            )
    except ServiceError as exc:
        context.show_error(exc)
        return
    if summary.scored == 0:
        st.success(tr("autoqa.run.nothing"), icon=":material/task_alt:")
        return
    st.session_state["autoqa.flash"] = tr(
        "autoqa.run.done",
        scored=f"{summary.scored:,}",
        messages=f"{summary.messages:,}",
        seconds=f"{summary.seconds:.1f}",
    )
    st.rerun()


def render_distributions(actor) -> None:
    with context.db_session() as session:
        frame = autoqa.agent_signal_frame(session, actor, CHART_SIGNALS)
    autoqa_view.render_distributions(frame, autoqa.KEY_SIGNALS)


@st.cache_data(ttl=300, show_spinner=False, max_entries=8)
def _agreement(url: str) -> tuple[list, list]:
    """Held-out fits take seconds on a large review history: cached five minutes per database
    (the same for every staff member, so the key holds no user)."""
    from qa_app.services.actor import SYSTEM

    with context.db_session() as session:
        reports = autoqa.agreement_reports(session, SYSTEM)
        return reports, rubrics.list_rubrics(session)


def render_agreement(actor) -> None:
    with context.db_session() as session:
        autoqa.agreement_reports(session, actor, slug=None, check_only=True)
    reports, summaries = _agreement(context.database_url())
    lang = context.current_lang()
    names = {r.slug: (r.name_ru if lang == "ru" else r.name_en) for r in summaries}
    autoqa_view.render_agreement(reports, names)


def render() -> None:
    actor = context.require_page(ACTION)
    st.title(tr("autoqa.title"))
    st.caption(tr("autoqa.intro"))
    context.show_flash("autoqa.flash")
    try:
        with context.db_session() as session:
            status = autoqa.scoring_status(session, actor, pipeline_version())
        autoqa_view.render_status(status)
        if can(actor, "autoqa.run"):
            render_run(actor, status)
        render_distributions(actor)
        render_agreement(actor)
    except ServiceError as exc:
        context.show_error(exc)

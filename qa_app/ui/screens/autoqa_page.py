"""Automatic scoring: status of the corpus, a run button for leads, per-agent automatic
signals and how well AutoQA agrees with the team's reviewers.

Agents do not open this page (their own automatic scores appear with their results).
"""

from __future__ import annotations

import streamlit as st

from qa_app.services import autoqa
from qa_app.services.errors import ServiceError
from qa_app.services.permissions import can
from qa_app.ui import autoqa_view, context, data
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
        summary = autoqa.do_score_conversations(
            context.uow(),
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


def render_agreement(agreement: autoqa.AgreementScreen) -> None:
    lang = context.current_lang()
    names = {
        slug: (ru if lang == "ru" else en) for slug, (en, ru) in agreement.rubric_names.items()
    }
    autoqa_view.render_agreement(agreement.reports, names)


def render() -> None:
    actor = context.require_page(ACTION)
    st.title(tr("autoqa.title"))
    st.caption(tr("autoqa.intro"))
    context.show_flash("autoqa.flash")
    try:
        screen = autoqa.autoqa_screen(context.uow(), actor, pipeline_version())
    except ServiceError as exc:
        context.show_error(exc)
        return
    autoqa_view.render_status(screen.status)
    if can(actor, "autoqa.run"):
        render_run(actor, screen.status)
    url = context.database_url()
    summary = data.autoqa_distributions(url, CHART_SIGNALS, screen.distribution_stamp)
    autoqa_view.render_distributions(summary, autoqa.KEY_SIGNALS)
    autoqa_view.render_handover(data.autoqa_handover(url))
    render_agreement(data.autoqa_agreement(url, screen.agreement_stamp))

"""Mystery-shopper visits: the visits one may see and one in full (answers, comments,
transcript, attachments), recording a visit, publishing to agents, and CSV import.

A shopper sees and records their own visits; a lead enters results for anyone, publishes
and imports; a trainer reads; an agent sees published results about themselves. The
service decides all of it; this page only leaves out what the screen says one may not do.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from qa_app.services import imports, mystery
from qa_app.services.errors import ServiceError
from qa_app.ui import context, data, mystery_visit_edit, mystery_visit_form, user_text
from qa_app.ui.context import tr
from qa_app.ui.screens.import_page import ZONES

ACTION = "page.mystery_visits"
OPEN = "mystery.visits.open"
ATTACHMENT = "mystery.visits.attachment"
IMPORT_RESULT = "mystery.import.result"
PUBLISH_FLASH = "mystery.visits.publish_flash"
TAB = "mystery.visits.tab"


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "—"


def _score(value) -> str:
    return "—" if value is None else f"{value:.0f}"


def render_list(screen: mystery.VisitsScreen) -> int | None:
    rows = screen.visits
    frame = pd.DataFrame(
        {
            "#": [r.id for r in rows],
            tr("mystery.col.contacted"): [_when(r.contacted_at) for r in rows],
            tr("mystery.col.scenario"): [r.scenario for r in rows],
            tr("mystery.col.channel"): [tr(f"overview.channel.{r.channel}") for r in rows],
            tr("mystery.col.agent"): [r.agent for r in rows],
            tr("mystery.col.score"): [r.score for r in rows],
            tr("mystery.col.passed"): [r.passed for r in rows],
            tr("mystery.col.published"): [r.published for r in rows],
            tr("mystery.col.files"): [r.attachments for r in rows],
        }
    )
    if screen.names_shopper:
        frame.insert(5, tr("mystery.col.shopper"), [r.shopper for r in rows])
    st.dataframe(
        frame, hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 320),
        column_config={tr("mystery.col.score"): st.column_config.NumberColumn(format="%.0f"),
                       tr("mystery.col.scenario"): st.column_config.TextColumn(width="medium")},
    )  # fmt: skip
    st.caption(tr("mystery.visits.count", shown=len(rows), total=screen.total))
    labels = {
        r.id: tr("mystery.visits.option", id=r.id, date=_when(r.contacted_at), scenario=r.scenario)
        for r in rows
    }
    if st.session_state.get(OPEN) not in labels:
        st.session_state[OPEN] = rows[0].id
    return st.selectbox(tr("mystery.visits.open"), list(labels), format_func=labels.get, key=OPEN)


def render_detail(actor, screen: mystery.VisitsScreen) -> None:
    detail = screen.detail
    row = detail.row
    with st.container(border=True):
        st.subheader(
            tr("mystery.visit.heading", id=row.id, scenario=user_text.inline(row.scenario))
        )
        verdict = (
            ""
            if row.passed is None
            else tr("mystery.visit.passed" if row.passed else "mystery.visit.failed")
        )
        badge = ":green-badge[{}]" if row.published else ":gray-badge[{}]"
        published = tr("mystery.visit.published" if row.published else "mystery.visit.unpublished")
        st.markdown(
            f"{tr('mystery.visit.score', score=_score(row.score))} · {verdict} · "
            + badge.format(published)
        )
        st.caption(tr(
            "mystery.visit.facts", channel=tr(f"overview.channel.{row.channel}"),
            contacted=_when(row.contacted_at), first=_when(detail.first_response_at),
            resolved=_when(detail.resolved_at),
        ))  # fmt: skip
        unknown = tr("mystery.form.unknown")
        who = tr("mystery.visit.who", agent=user_text.inline(row.agent or unknown),
                 team=user_text.inline(row.team or unknown))  # fmt: skip
        if screen.names_shopper:
            who += " · " + tr(
                "mystery.visit.shopper", shopper=user_text.inline(row.shopper or unknown)
            )
        st.caption(who)
        if detail.conversation:
            st.caption(tr("mystery.visit.conversation", id=user_text.inline(detail.conversation)))
        with st.container(horizontal=True):
            if screen.may_publish:
                render_publish(actor, row)
            if detail.editable is not None and not mystery_visit_edit.editing(row.id):
                mystery_visit_edit.render_start(row.id, detail.editable.lock_version)
    if mystery_visit_edit.editing(row.id):
        if detail.editable is None:  # published (or reassigned) while being corrected
            st.warning(tr("mystery.edit.no_longer"))
            mystery_visit_edit.stop()
        else:
            mystery_visit_edit.render_edit(actor, screen, row.id)
            render_attachments(detail)
            return
    render_answers(detail)
    if detail.summary.strip():
        st.markdown(f"**{tr('mystery.visit.summary')}**")
        st.text(detail.summary)
    if detail.transcript.strip():
        with st.expander(tr("mystery.visit.transcript")):
            st.text(detail.transcript)
    render_attachments(detail)


def render_answers(detail: mystery.VisitDetail) -> None:
    st.markdown(f"**{tr('mystery.visit.answers')}**")
    frame = pd.DataFrame(
        {
            tr("mystery.col.item"): [a.item for a in detail.answers],
            tr("mystery.visit.answer"): [tr("mystery.visit.na") if a.not_applicable else a.value for a in detail.answers],
            tr("mystery.visit.result"): [
                "" if a.not_applicable else tr("mystery.visit.not_met" if a.failed else "mystery.visit.met")
                for a in detail.answers
            ],
            tr("mystery.visit.comment"): [a.comment for a in detail.answers],
        }
    )  # fmt: skip
    st.dataframe(frame, hide_index=True, width="stretch")


def _size(size: int) -> str:
    """Decimal units, as the upload box wrote them."""
    return f"{size / 1e6:.1f} MB" if size >= 1_000_000 else f"{size / 1e3:.0f} KB"


def render_attachments(detail: mystery.VisitDetail) -> None:
    if not detail.attachments:
        return
    st.markdown(f"**{tr('mystery.visit.attachments')}**")
    for item in detail.attachments:
        label = tr("mystery.visit.download", name=item.name, size=_size(item.size_bytes))
        if detail.opened is not None and st.session_state.get(ATTACHMENT) == item.id:
            if item.content_type.startswith("image/"):
                try:  # the signature was checked on upload; a damaged body is still possible
                    st.image(detail.opened.data, caption=item.name, width=480)
                except (OSError, ValueError):
                    st.caption(item.name)
            elif item.content_type.startswith("audio/"):
                st.audio(detail.opened.data, format=item.content_type)
            st.download_button(
                label, detail.opened.data, file_name=item.name, mime=item.content_type,
                key=f"mystery.download.{item.id}", on_click="ignore", icon=":material/download:",
            )  # fmt: skip
        elif st.button(
            item.name, key=f"mystery.attachment.{item.id}", icon=":material/attach_file:"
        ):
            st.session_state[ATTACHMENT] = item.id
            st.rerun()


def render_publish(actor, row: mystery.VisitRow) -> None:
    key = "mystery.visit.withdraw" if row.published else "mystery.visit.publish"
    if st.button(tr(key), key=f"mystery.publish.{row.id}"):
        try:
            mystery.do_set_published(
                context.uow(), actor, [row.id], not row.published, now=context.now()
            )
        except ServiceError as exc:
            context.show_error(exc)
            return
        done = "mystery.visit.withdrawn_done" if row.published else "mystery.visit.published_done"
        data.forget_mystery()
        st.session_state[PUBLISH_FLASH] = tr(done)
        st.rerun()


def render_import(actor) -> None:
    st.caption(tr("mystery.import.intro"))
    st.download_button(tr("mystery.import.template"), mystery.visits_csv_template(),
                       file_name="mystery-visits.csv", mime="text/csv", on_click="ignore")  # fmt: skip
    configured = imports.default_timezone_name()
    zones = ZONES if configured in ZONES else (configured, *ZONES)
    upload = st.file_uploader(tr("mystery.import.file"), type=["csv"], key="mystery.import.file")
    zone = st.selectbox(
        tr("mystery.import.timezone"), zones, index=zones.index(configured), key="mystery.import.tz"
    )
    if st.button(tr("mystery.import.run"), type="primary", disabled=upload is None):
        try:
            result = mystery.do_import_visits_csv(
                context.uow(), actor, upload.getvalue(), file_name=upload.name,
                default_tz=ZoneInfo(zone), now=context.now(),
            )  # fmt: skip
        except ServiceError as exc:
            context.show_error(exc)
            return
        data.forget_mystery()
        st.session_state[IMPORT_RESULT] = result
    result = st.session_state.get(IMPORT_RESULT)
    if result is not None:
        render_import_result(result)


def render_import_result(result: mystery.VisitImportResult) -> None:
    message = tr("mystery.import.done", imported=result.imported, rows=result.rows,
                 duplicates=result.duplicates, rejected=result.rejected_rows)  # fmt: skip
    (st.warning if result.problems else st.success)(message)
    if result.problems:
        st.caption(tr("mystery.import.problems"))
        lang = context.current_lang()
        st.dataframe(
            pd.DataFrame({
                tr("mystery.import.col.line"): [p.line for p in result.problems],
                tr("mystery.import.col.visit"): [p.visit_ref for p in result.problems],
                tr("mystery.import.col.field"): [p.field for p in result.problems],
                tr("mystery.import.col.reason"): [p.reason(lang) for p in result.problems],
            }),
            hide_index=True, width="stretch",
        )  # fmt: skip


def render() -> None:
    actor = context.require_page(ACTION)
    st.title(tr("mystery.visits.title"))
    context.show_flash(mystery_visit_form.FLASH)
    context.show_flash(PUBLISH_FLASH)
    if mystery_visit_form.OPEN_NEXT in st.session_state:  # a visit was just saved: open it
        st.session_state[OPEN] = st.session_state.pop(mystery_visit_form.OPEN_NEXT)
    screen = mystery.visits_screen(
        context.uow(), actor, context.current_lang(), st.session_state.get(OPEN),
        st.session_state.get(ATTACHMENT),
    )  # fmt: skip
    titles = [tr("mystery.visits.tab.list")]
    if screen.may_record:
        titles.append(tr("mystery.visits.tab.record"))
    if screen.may_import:
        titles.append(tr("mystery.visits.tab.import"))
    # Keyed, so a message appearing above the tabs (a save's flash) never sends the user
    # back to the first tab, away from the form and its error.
    tabs = st.tabs(titles, key=TAB, on_change="rerun")
    with tabs[0]:
        if not screen.visits:
            none = "mystery.visits.none_agent" if actor.is_agent else "mystery.visits.none"
            st.info(tr(none))
        else:
            render_list(screen)
            if screen.detail is not None:
                render_detail(actor, screen)
    if screen.may_record:
        with tabs[1]:
            mystery_visit_form.render_form(actor, screen)
    if screen.may_import:
        with tabs[-1]:
            render_import(actor)

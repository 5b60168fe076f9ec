"""The visit recording form: scenario brief, times, who answered, checklist answers with
comments, summary, transcript and attachments.

Every input has a key and the form never clears itself, so when a save is refused (an
oversized or forbidden attachment, a missing answer) the user fixes that one thing and
everything else is still there. Only a successful save starts a fresh form.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from qa_app.services import mystery, reviews
from qa_app.services.errors import InvalidInput, ServiceError
from qa_app.ui import context, user_text
from qa_app.ui import data as data_cache
from qa_app.ui.context import tr

FLASH = "mystery.visits.flash"
ROUND = "mystery.form.round"  # bumped after a save: every key below changes, the form is new
NA = "na"
#: The visit to open after the rerun (the list's own key cannot change once it is drawn).
OPEN_NEXT = "mystery.visits.open_next"


def _key(name: str) -> str:
    return f"mystery.form.{st.session_state.get(ROUND, 0)}.{name}"


def _brief(scenario: mystery.ScenarioInfo) -> None:
    with st.container(border=True):
        st.markdown(tr("mystery.form.brief", persona=user_text.inline(scenario.persona)))
        st.markdown(tr("mystery.form.request", request=user_text.inline(scenario.request)))
        st.caption(tr("mystery.form.correct", answer=user_text.inline(scenario.correct_answer)))


def _minutes(raw: str) -> float | None:
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(
            f"not a number of minutes: {raw!r}", key="mystery.form.bad_minutes", value=raw[:20]
        ) from None
    return value


def _item_inputs(items: list[mystery.ChecklistItem]) -> dict[str, tuple[object, str]]:
    values: dict[str, tuple[object, str]] = {}
    category = None
    for item in items:
        if item.category != category:
            category = item.category
            st.markdown(f"**{user_text.inline(category)}**")
        options = [v for v, _ in item.levels] + ([NA] if item.na_allowed else [])
        labels = dict(item.levels) | {NA: tr("mystery.visit.na")}
        left, right = st.columns([3, 2])
        choice = left.radio(
            user_text.inline(item.name), options, index=None, horizontal=True,
            format_func=lambda v, labels=labels: str(labels.get(v, v)), key=_key(f"item.{item.criterion_id}"),
            help=item.description,
        )  # fmt: skip
        comment = right.text_input(
            tr("mystery.form.comment", item=item.name), key=_key(f"comment.{item.criterion_id}"),
            label_visibility="collapsed", placeholder=tr("mystery.visit.comment"),
        )  # fmt: skip
        values[item.criterion_id] = (choice, comment)
    return values


def _answers(values: dict[str, tuple[object, str]]) -> dict[str, mystery.AnswerInput]:
    return {
        item: mystery.AnswerInput(None if choice in (None, NA) else choice, choice == NA, comment)
        for item, (choice, comment) in values.items()
        if choice is not None or comment
    }


def render_form(actor, screen: mystery.VisitsScreen) -> None:
    if not screen.scenarios:
        st.info(tr("mystery.form.no_scenarios"))
        return
    by_id = {s.id: s for s in screen.scenarios}
    # Labels are computed here: a format_func that translates would run outside the page
    # (in tests) and in the wrong language.
    labels = {i: f"{s.name} · {tr(f'overview.channel.{s.channel}')}" for i, s in by_id.items()}
    scenario_id = st.selectbox(
        tr("mystery.form.scenario"), list(by_id), format_func=labels.get, key=_key("scenario")
    )
    scenario = by_id[scenario_id]
    _brief(scenario)
    tz = ZoneInfo(reviews.team_timezone())
    now = context.now().astimezone(tz)
    with st.form(_key("form"), clear_on_submit=False, border=False):
        shopper = ""
        if screen.may_record_any:
            users = [actor.username, *[u for u in screen.shoppers if u != actor.username]]
            shopper = st.selectbox(tr("mystery.form.shopper"), users, key=_key("shopper"))
        c1, c2, c3, c4 = st.columns(4)
        day = c1.date_input(tr("mystery.form.contact_date"), value=now.date(), key=_key("date"))
        moment = c2.time_input(tr("mystery.form.contact_time"), value=now.time().replace(second=0, microsecond=0),
                               key=_key("time"), step=60)  # fmt: skip
        first = c3.text_input(tr("mystery.form.response_after"), key=_key("first"))
        resolved = c4.text_input(tr("mystery.form.resolved_after"), key=_key("resolved"))
        a1, a2 = st.columns(2)
        unknown = tr("mystery.form.unknown")
        agent = a1.selectbox(tr("mystery.form.agent"), ["", *screen.agents], key=_key("agent"),
                             format_func=lambda v: v or unknown)  # fmt: skip
        team = a2.selectbox(tr("mystery.form.team"), ["", *screen.teams], key=_key("team"),
                            format_func=lambda v: v or unknown)  # fmt: skip
        st.subheader(tr("mystery.form.items"))
        values = _item_inputs(screen.checklists[scenario.checklist])
        summary = st.text_area(tr("mystery.form.summary"), key=_key("summary"), height=90)
        transcript = st.text_area(tr("mystery.form.transcript"), key=_key("transcript"), height=120)
        conversation = st.text_input(tr("mystery.form.conversation"), key=_key("conversation"))
        uploads = st.file_uploader(
            tr("mystery.form.files"), accept_multiple_files=True, key=_key("files"),
            type=list(mystery.ATTACHMENT_EXTENSIONS),
        )  # fmt: skip
        submitted = st.form_submit_button(tr("mystery.form.submit"), type="primary")
    if not submitted:
        return
    try:
        contacted = datetime.combine(day, moment, tz)
        after_first, after_resolved = _minutes(first), _minutes(resolved)
        data = mystery.VisitInput(
            scenario=scenario.id,
            contacted_at=contacted,
            first_response_at=None if after_first is None else contacted + timedelta(minutes=after_first),
            resolved_at=None if after_resolved is None else contacted + timedelta(minutes=after_resolved),
            agent_login=agent, team_name=team, summary=summary, transcript=transcript,
            shopper=shopper, conversation_external_id=conversation, answers=_answers(values),
        )  # fmt: skip
        files = [mystery.Upload(f.name, f.getvalue()) for f in uploads or []]
        visit_id = mystery.do_record_visit(context.uow(), actor, data, files, now=context.now())
    except ServiceError as exc:
        context.show_error(exc)
        st.info(tr("mystery.form.kept"))
        return
    data_cache.forget_mystery()
    st.session_state[FLASH] = tr("mystery.form.saved", id=visit_id)
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    st.session_state[OPEN_NEXT] = visit_id
    st.rerun()

"""The visit recording form: scenario brief, times, who answered, checklist answers with
comments, summary, transcript and attachments.

Every input has a key and the form never clears itself, so when a save is refused (an
oversized or forbidden attachment, a missing answer) the user fixes that one thing and
everything else is still there. Only a successful save starts a fresh form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
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
KeyFn = Callable[[str], str]


def _key(name: str) -> str:
    return f"mystery.form.{st.session_state.get(ROUND, 0)}.{name}"


@dataclass(frozen=True, slots=True)
class Typed:
    """What the form holds when it is submitted, before it is checked."""

    shopper: str
    day: date
    moment: time
    first: str
    resolved: str
    agent: str
    team: str
    values: dict[str, tuple[object, str]]
    summary: str
    transcript: str
    conversation: str
    uploads: list


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


def _item_inputs(items: list[mystery.ChecklistItem], key: KeyFn) -> dict[str, tuple[object, str]]:
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
            format_func=lambda v, labels=labels: str(labels.get(v, v)), key=key(f"item.{item.criterion_id}"),
            help=item.description,
        )  # fmt: skip
        comment = right.text_input(
            tr("mystery.form.comment", item=item.name), key=key(f"comment.{item.criterion_id}"),
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


def visit_fields(
    key: KeyFn,
    screen: mystery.VisitsScreen,
    items: list[mystery.ChecklistItem],
    shoppers: list[str],
) -> Typed:
    """The inputs a visit is recorded and corrected with, inside the caller's ``st.form``.
    Every input reads its starting value from its key (``seed`` or ``seed_visit``), so
    nothing typed is ever replaced by a default on a rerun."""
    shopper = ""
    if shoppers:
        shopper = st.selectbox(tr("mystery.form.shopper"), shoppers, key=key("shopper"))
    c1, c2, c3, c4 = st.columns(4)
    day = c1.date_input(tr("mystery.form.contact_date"), key=key("date"))
    moment = c2.time_input(tr("mystery.form.contact_time"), key=key("time"), step=60)
    first = c3.text_input(tr("mystery.form.response_after"), key=key("first"))
    resolved = c4.text_input(tr("mystery.form.resolved_after"), key=key("resolved"))
    a1, a2 = st.columns(2)
    unknown = tr("mystery.form.unknown")
    agent = a1.selectbox(tr("mystery.form.agent"), ["", *screen.agents], key=key("agent"),
                         format_func=lambda v: v or unknown)  # fmt: skip
    team = a2.selectbox(tr("mystery.form.team"), ["", *screen.teams], key=key("team"),
                        format_func=lambda v: v or unknown)  # fmt: skip
    st.subheader(tr("mystery.form.items"))
    values = _item_inputs(items, key)
    summary = st.text_area(tr("mystery.form.summary"), key=key("summary"), height=90)
    transcript = st.text_area(tr("mystery.form.transcript"), key=key("transcript"), height=120)
    conversation = st.text_input(tr("mystery.form.conversation"), key=key("conversation"))
    uploads = st.file_uploader(
        tr("mystery.form.files"), accept_multiple_files=True, key=key("files"),
        type=list(mystery.ATTACHMENT_EXTENSIONS),
    )  # fmt: skip
    return Typed(shopper, day, moment, first, resolved, agent, team, values, summary,
                 transcript, conversation, list(uploads or []))  # fmt: skip


def seed(key: KeyFn, values: dict[str, object]) -> None:
    """Starting values of the form's inputs, written once (a rerun keeps what is typed)."""
    for name, value in values.items():
        st.session_state.setdefault(key(name), value)


def visit_input(typed: Typed, scenario_id: int, tz: ZoneInfo) -> mystery.VisitInput:
    """The typed form as the service's input (InvalidInput for minutes that are no number)."""
    contacted = datetime.combine(typed.day, typed.moment, tz)
    after_first, after_resolved = _minutes(typed.first), _minutes(typed.resolved)
    return mystery.VisitInput(
        scenario=scenario_id,
        contacted_at=contacted,
        first_response_at=None if after_first is None else contacted + timedelta(minutes=after_first),
        resolved_at=None if after_resolved is None else contacted + timedelta(minutes=after_resolved),
        agent_login=typed.agent, team_name=typed.team, summary=typed.summary,
        transcript=typed.transcript, shopper=typed.shopper,
        conversation_external_id=typed.conversation, answers=_answers(typed.values),
    )  # fmt: skip


def uploads_of(typed: Typed) -> list[mystery.Upload]:
    return [mystery.Upload(f.name, f.getvalue()) for f in typed.uploads]


def team_zone() -> ZoneInfo:
    return ZoneInfo(reviews.team_timezone())


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
    tz = team_zone()
    now = context.now().astimezone(tz)
    seed(_key, {"date": now.date(), "time": now.time().replace(second=0, microsecond=0)})
    shoppers = []
    if screen.may_record_any:
        shoppers = [actor.username, *[u for u in screen.shoppers if u != actor.username]]
    with st.form(_key("form"), clear_on_submit=False, border=False):
        typed = visit_fields(_key, screen, screen.checklists[scenario.checklist], shoppers)
        submitted = st.form_submit_button(tr("mystery.form.submit"), type="primary")
    if not submitted:
        return
    try:
        data = visit_input(typed, scenario.id, tz)
        visit_id = mystery.do_record_visit(
            context.uow(), actor, data, uploads_of(typed), now=context.now()
        )
    except ServiceError as exc:
        context.show_error(exc)
        st.info(tr("mystery.form.kept"))
        return
    data_cache.forget_mystery()
    st.session_state[FLASH] = tr("mystery.form.saved", id=visit_id)
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    st.session_state[OPEN_NEXT] = visit_id
    st.rerun()

"""The two dispute forms: raising one (agent, lead) and deciding one (reviewer, lead).

Grades are picked from the criterion's own scale (never typed), a whole-review dispute can
change any criteria when accepted, and a refused submission keeps what was typed: the
form is cleared only after the service has stored it. A decision is chosen first, in
words: accept and change the grade (the new grade is never the current one), accept and
keep the grade, or reject; the message afterwards says exactly which one happened.
"""

from __future__ import annotations

import streamlit as st

from qa_app.services import disputes
from qa_app.services.errors import ServiceError
from qa_app.ui import context
from qa_app.ui.context import current_lang, tr

WHOLE = "__whole__"
NO_PROPOSAL = "__none__"
NA = "__na__"
FLASH = "disputes.flash"
DECISIONS = ("change", "keep", "reject")


def value_label(value) -> str:
    if value == NA:
        return tr("review.na")
    if value in (None, NO_PROPOSAL):
        return "—"
    return f"{value:g}"


def grade_options(line: disputes.GradeLine) -> list:
    """The levels a grade may take: the scale, plus N/A where the criterion allows it."""
    return list(line.scale_values) + ([NA] if line.na_allowed else [])


def _current(line: disputes.GradeLine):
    return NA if line.not_applicable else line.value


def _stored_value(option) -> float | None:
    return None if option == NA else float(option)


def _forget(*keys: str) -> None:
    for key in keys:
        st.session_state.pop(key, None)


def render_raise_form(actor, summary: disputes.ReviewSummary) -> None:
    """Dispute one criterion (optionally proposing a level of its scale) or the whole review."""
    lines = {g.criterion_id: g for g in summary.grades}
    names = {WHOLE: tr("disputes.whole")} | {cid: g.name for cid, g in lines.items()}
    prefix = f"disputes.raise.{summary.review_id}"
    target = st.selectbox(
        tr("disputes.target"), list(names), format_func=names.get, key=f"{prefix}.target"
    )
    line = lines.get(target)
    with st.form(prefix):
        reason = st.text_area(tr("disputes.reason"), key=f"{prefix}.reason")
        proposed = NO_PROPOSAL
        if line is not None:
            options = [NO_PROPOSAL] + [o for o in grade_options(line) if o != _current(line)]
            proposed = st.selectbox(
                tr("disputes.proposed"),
                options,
                format_func=value_label,
                help=tr("disputes.proposed_help", current=value_label(_current(line))),
                key=f"{prefix}.proposed.{target}",
            )
        pressed = st.form_submit_button(tr("disputes.raise"), icon=":material/gavel:")
    if not pressed:
        return
    criterion = None if target == WHOLE else target
    value = None if proposed in (NO_PROPOSAL, NA) else float(proposed)
    try:
        disputes.do_raise_dispute(context.uow(), actor, summary.review_id, reason, criterion, value)
    except ServiceError as exc:
        context.show_error(exc)  # the reason stays in the form
        return
    _forget(f"{prefix}.reason", f"{prefix}.proposed.{target}")
    st.session_state[FLASH] = tr("disputes.raised")
    st.rerun()


def new_grade_options(line: disputes.GradeLine) -> list:
    """Levels an accepted change may set: every level but the current grade."""
    return [o for o in grade_options(line) if o != _current(line)]


def _criterion_change(item: disputes.DisputeInfo, summary: disputes.ReviewSummary) -> dict:
    line = next((g for g in summary.grades if g.criterion_id == item.criterion_id), None)
    if line is None:
        return {}
    options = new_grade_options(line)
    default = item.proposed_value if item.proposed_value in options else None
    choice = st.selectbox(
        tr("disputes.new_value", name=line.name),
        options,
        index=options.index(default) if default in options else 0,
        format_func=value_label,
        help=tr("disputes.proposed_help", current=value_label(_current(line))),
        key=f"disputes.decide.{item.dispute_id}.{line.criterion_id}",
    )
    return {line.criterion_id: choice}


def _whole_review_changes(item: disputes.DisputeInfo, summary: disputes.ReviewSummary) -> dict:
    picked = st.session_state.get(f"disputes.decide.{item.dispute_id}.criteria") or []
    changes = {}
    for line in summary.grades:
        if line.criterion_id not in picked:
            continue
        changes[line.criterion_id] = st.selectbox(
            tr("disputes.new_value", name=line.name),
            new_grade_options(line),
            format_func=value_label,
            help=tr("disputes.proposed_help", current=value_label(_current(line))),
            key=f"disputes.decide.{item.dispute_id}.{line.criterion_id}",
        )
    return changes


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def done_message(result: disputes.DisputeInfo) -> str:
    """What happened, in the words of the decision actually stored."""
    if result.status == "accepted":
        return tr(
            "disputes.done.accepted",
            before=_score(result.score_before),
            after=_score(result.score_after),
        )
    if result.status == "accepted_kept":
        return tr("disputes.done.accepted_kept", before=_score(result.score_before))
    return tr("disputes.done.rejected")


def render_decide_form(actor, item: disputes.DisputeInfo, summary: disputes.ReviewSummary) -> None:
    """Answer an open dispute: change a grade (rescored), keep it, or reject."""
    # The options are the words themselves (a format_func would be applied in English by
    # AppTest); the chosen words map back to the decision.
    words = [tr(f"disputes.decision.{d}") for d in DECISIONS]
    picked = st.radio(
        tr("disputes.decision"),
        words,
        key=f"disputes.decide.{item.dispute_id}.decision.{current_lang()}",
    )
    decision = DECISIONS[words.index(picked)] if picked in words else DECISIONS[0]
    if decision == "change" and item.criterion_id is None:
        names = {g.criterion_id: g.name for g in summary.grades}
        st.multiselect(
            tr("disputes.change_criteria"),
            list(names),
            format_func=names.get,
            help=tr("disputes.change_criteria_help"),
            placeholder=tr("disputes.change_pick"),
            key=f"disputes.decide.{item.dispute_id}.criteria",
        )
    with st.form(f"disputes.decide.{item.dispute_id}"):
        chosen = {}
        if decision == "change":
            if item.criterion_id:
                chosen = _criterion_change(item, summary)
            else:
                chosen = _whole_review_changes(item, summary)
        answer = st.text_area(tr("disputes.answer"), key=f"disputes.answer.{item.dispute_id}")
        pressed = st.form_submit_button(
            tr(f"disputes.record.{decision}"), type="primary", icon=":material/gavel:"
        )
    if not pressed:
        return
    values = {cid: _stored_value(v) for cid, v in chosen.items()}
    try:
        result = disputes.do_resolve_dispute(
            context.uow(),
            actor,
            item.dispute_id,
            decision != "reject",
            answer,
            values if decision == "change" else None,
            keep_grade=decision == "keep",
        )
    except ServiceError as exc:
        context.show_error(exc)  # the answer and the chosen grades stay
        return
    st.session_state[FLASH] = done_message(result)
    st.rerun()

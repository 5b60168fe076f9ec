"""Review: the transcript on the left, the rubric on the right, drafts saved on every change.

Nested keyed fragments keep every click small: a grade click reruns only its category and
the score panel (the score so far and the draft save), a submit saves and reruns only the
review itself (title, transcript, form) to open the next conversation, never the app around
it; each fragment run re-checks the sign-in session first. The transcript column stays in view
(sticky) while the form scrolls with the page, so neither hides in a short inner box.
Keys grade too (``grading_keys``). The page keeps the lock version it last saw; a save
after someone else's shows a clear conflict, keeps the reviewer's input, and offers to load
the other version or keep theirs (``review_drafts``).
"""

from __future__ import annotations

import streamlit as st

from qa_app.i18n import in_language
from qa_app.services import reviews
from qa_app.services.errors import Conflict, InvalidInput
from qa_app.services.permissions import can
from qa_app.ui import context, grading_keys, review_form, user_text
from qa_app.ui.context import current_lang, tr
from qa_app.ui.data_review import ensure_rubrics
from qa_app.ui.review_drafts import (
    autosave,
    conflict_key,
    first_ungraded,
    jump_key,
    lock_key,
    remember,
    render_conflict,
)
from qa_app.ui.transcript_view import render_transcript

TARGET = "review.assignment_id"
ACTION = "page.review"
#: The chat box's height: with the facts above it, the transcript column fits a 900 px
#: screen and stays in view while the form scrolls past it.
CHAT_HEIGHT = 600
LAYOUT_CSS = """
<style>
[data-testid="stColumn"]:has(.st-key-qa-transcript) {
  position: sticky; top: 3.75rem; align-self: flex-start;}
</style>
"""


def requested_assignment() -> tuple[bool, int | None]:
    """The assignment asked for (chosen on the queue page or in the URL): ``(False, None)``
    when none was, ``(True, None)`` when the request cannot be read."""
    raw = st.session_state.get(TARGET) or st.query_params.get("assignment")
    if not raw:
        return False, None
    try:
        return True, int(raw)
    except (TypeError, ValueError):
        return True, None


def load_screen(actor) -> reviews.ReviewScreen | None:
    """The one read of this page run: the requested assignment, or the actor's next one."""
    asked, aid = requested_assignment()
    if asked and aid is None:
        return None
    screen = reviews.review_screen(context.uow(), actor, aid)
    if screen.review is None:
        return None
    if not asked:
        st.session_state[TARGET] = screen.assignment_id
    remember(screen.review)
    return screen


#: Set just before a fragment runs inside a run that has checked the sign-in session
#: already (the page's full run, or the review's own fragment): the fragment takes it and
#: does not query again. A fragment rerun on its own finds it unset and checks itself.
SESSION_CHECKED = "review.session_checked"
#: Keyed fragments (``st.rerun(key)`` from a callback reruns only that one): the whole
#: review (title, transcript, form) for submit-and-next, the grading panel for a refused
#: submit, the score panel for a grade or a comment (``review_form.SCORE_FRAGMENT``).
REVIEW_FRAGMENT = "qa-review"
PANEL_FRAGMENT = "qa-panel"


def checked_actor(actor):
    """The actor for this fragment run, after the sign-in session check (one indexed
    query, skipped when this run checked it already): a grade click after a password
    reset, a deactivation or a role change signs the tab out (the typed grades kept for
    the same user) before anything is read or saved."""
    if st.session_state.pop(SESSION_CHECKED, False):
        return actor
    fresh = context.validated_actor()
    if fresh is None:
        st.rerun(scope="app")
    return fresh


def _submit(actor, ctx: reviews.ReviewContext) -> None:
    """The submit button's callback (it runs before any fragment reruns, so it checks the
    session itself): a refused submit reruns the grading panel with the missing criteria
    flagged and the form at the first of them; a conflict reruns the panel with the two
    ways out; a done one saves and reruns only the review, which opens the next
    conversation (no full page run)."""
    actor = context.validated_actor()
    if actor is None:
        st.rerun()  # signed out meanwhile: the panel's check sends the tab to sign-in
    aid = ctx.assignment_id
    draft = review_form.current_draft(ctx)
    st.session_state[f"rv{aid}.tried"] = True
    try:
        result = reviews.do_submit_review(
            context.uow(), actor, aid, draft, st.session_state[lock_key(aid)]
        )
    except InvalidInput as exc:
        st.session_state[f"rv{aid}.error"] = exc
        score = reviews.preview_score(ctx.rubric.rubric, draft, ctx.auto_na)
        st.session_state[jump_key(aid)] = first_ungraded(ctx, score)
        st.rerun(PANEL_FRAGMENT)
    except Conflict:
        st.session_state[conflict_key(aid)] = True
        st.rerun(PANEL_FRAGMENT)
    review_form.forget_state(aid)
    score = "—" if result.score.overall is None else f"{result.score.overall:.0f}"
    st.session_state["review.flash"] = tr("review.submitted", score=score)
    if result.next_assignment_id is not None:
        st.session_state[TARGET] = result.next_assignment_id
    else:
        st.session_state.pop(TARGET, None)
    st.query_params.clear()
    st.rerun(REVIEW_FRAGMENT)


def render_actions(actor, ctx: reviews.ReviewContext) -> None:
    if not ctx.editable:
        status = ctx.review_status or ctx.assignment_status
        st.info(tr("review.read_only", status=tr(f"review.status.{status}")))
        return
    refused = st.session_state.pop(f"rv{ctx.assignment_id}.error", None)
    if refused is not None:
        context.show_error(refused)
    st.button(
        tr("review.submit"),
        type="primary",
        icon=":material/send:",
        key=grading_keys.SUBMIT_KEY,
        shortcut=grading_keys.SUBMIT_SHORTCUT,
        on_click=_submit,
        args=(actor, ctx),
    )
    st.caption(tr("review.keys_hint"))


def render_title(ctx: reviews.ReviewContext) -> None:
    header = ctx.transcript.header
    st.title(tr("review.title"))
    parts = [
        tr(
            "review.assignment_of",
            reviewer=user_text.inline(in_language(ctx.reviewer, current_lang())),
        )
    ]
    parts.append(
        tr(
            "review.rubric_version",
            name=user_text.inline(ctx.rubric.rubric.name.get(current_lang())),
            version=ctx.rubric.version,
        )
    )
    if ctx.blind:
        parts.append(tr("review.blind"))
    st.caption(" · ".join(parts) + f" · #{header.conversation_id}")


def render() -> None:
    actor = context.require_page(ACTION)
    ensure_rubrics(context.database_url())
    st.session_state[SESSION_CHECKED] = True  # the app's run has just checked it
    review(actor)


@st.fragment(key=REVIEW_FRAGMENT)
def review(actor) -> None:
    """The title, the transcript and the grading panel of one assignment: what a submit
    reruns to open the next conversation."""
    actor = checked_actor(actor)
    with st.empty():  # always there, so the page below keeps its place when it shows
        context.show_flash("review.flash")
    try:  # a fragment's errors never reach the page's guard: say them here
        screen = load_screen(actor)
    except Exception as exc:
        if not context.show_expected_error(exc):
            raise
        return
    if screen is None:
        st.title(tr("review.title"))
        lead = can(actor, "review.read_any")  # leads mostly read others' work from here
        st.info(
            tr("review.queue_empty_lead" if lead else "review.queue_empty"), icon=":material/inbox:"
        )
        return
    ctx = screen.review
    render_title(ctx)
    st.markdown(LAYOUT_CSS, unsafe_allow_html=True)
    if ctx.editable:
        grading_keys.install(tr("review.na"))
    left, right = st.columns([3, 2], gap="medium")
    with left, st.container(key="qa-transcript"):
        render_transcript(ctx.transcript, current_lang(), CHAT_HEIGHT, evidence=screen.evidence)
    with right:
        st.session_state[SESSION_CHECKED] = True  # checked above, in this run
        grading_panel(actor, ctx)


@st.fragment(key=PANEL_FRAGMENT)
def grading_panel(actor, ctx: reviews.ReviewContext) -> None:
    """The score so far, the form and submit; a refused submit reruns it."""
    score_panel(actor, ctx)
    with st.container(key=grading_keys.FORM_KEY):
        review_form.render_form(ctx)
    render_actions(actor, ctx)
    target = st.session_state.pop(jump_key(ctx.assignment_id), None)
    if target:
        nonce = st.session_state.get("review.jumps", 0) + 1
        st.session_state["review.jumps"] = nonce
        grading_keys.jump_to(target, nonce)


@st.fragment(key=review_form.SCORE_FRAGMENT)
def score_panel(actor, ctx: reviews.ReviewContext) -> None:
    """The score so far and the draft save: with its category, what a grade click reruns."""
    actor = checked_actor(actor)
    render_conflict(actor, ctx)
    draft = review_form.current_draft(ctx)
    score = reviews.preview_score(ctx.rubric.rubric, draft, ctx.auto_na)
    review_form.render_score(
        score,
        len(ctx.rubric.rubric.criterion_ids()) - len(ctx.auto_na),  # waived: not asked
        ctx.rubric.rubric.settings.passing_score,
        editable=ctx.editable,
    )
    autosave(actor, ctx, draft)

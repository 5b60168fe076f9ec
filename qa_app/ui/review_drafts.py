"""The review page's drafts: what it saved last, the lock version it saw, and the conflict
when someone else saved in between.

Every change of the form is saved (no button) when it differs from the last save. A save
after someone else's shows a clear conflict, keeps the reviewer's input, and offers to load
the other version or keep theirs. The state lives in ``st.session_state`` under keys per
assignment, so a rerun of one fragment finds it."""

from __future__ import annotations

import streamlit as st

from qa_app.services import reviews
from qa_app.services.errors import Conflict, ServiceError
from qa_app.ui import context, review_form
from qa_app.ui.context import tr


def lock_key(aid: int) -> str:
    return f"rv{aid}.lock"


def saved_key(aid: int) -> str:
    return f"rv{aid}.saved"


def conflict_key(aid: int) -> str:
    return f"rv{aid}.conflict"


def jump_key(aid: int) -> str:
    return f"rv{aid}.jump"


def first_ungraded(ctx: reviews.ReviewContext, score) -> str | None:
    """The first criterion in the rubric's order that has no grade yet."""
    missing = set(score.missing)
    return next((c.id for c in ctx.rubric.rubric.criteria() if c.id in missing), None)


def remember(ctx: reviews.ReviewContext) -> None:
    aid = ctx.assignment_id
    if lock_key(aid) not in st.session_state:
        st.session_state[lock_key(aid)] = ctx.lock_version
        st.session_state[saved_key(aid)] = review_form.normalised(ctx.draft)
        if ctx.editable:  # a freshly opened review starts at its first ungraded criterion
            score = reviews.preview_score(ctx.rubric.rubric, ctx.draft, ctx.auto_na)
            st.session_state[jump_key(aid)] = first_ungraded(ctx, score)
    review_form.load_state(ctx)


def autosave(actor, ctx: reviews.ReviewContext, draft: reviews.ReviewDraft) -> None:
    """Save the draft when it differs from what was last saved (every change, no button)."""
    aid = ctx.assignment_id
    if not ctx.editable or review_form.normalised(draft) == st.session_state.get(saved_key(aid)):
        return
    if st.session_state.get(conflict_key(aid)):
        return  # wait for the reviewer to choose how to resolve the conflict
    try:
        saved = reviews.do_save_draft(
            context.uow(), actor, aid, draft, st.session_state[lock_key(aid)]
        )
    except Conflict:
        st.session_state[conflict_key(aid)] = True
        st.rerun()  # show the two ways out right away; the widgets keep the input
    except ServiceError as exc:
        context.show_error(exc)
        return
    st.session_state[lock_key(aid)] = saved.lock_version
    st.session_state[saved_key(aid)] = review_form.normalised(draft)
    st.toast(tr("review.draft_saved"), icon=":material/cloud_done:")


def render_conflict(actor, ctx: reviews.ReviewContext) -> None:
    """Two ways out of a conflict; until one is chosen the reviewer's input stays as is."""
    aid = ctx.assignment_id
    if not st.session_state.get(conflict_key(aid)):
        return
    st.warning(tr("review.error.stale"), icon=":material/sync_problem:")
    cols = st.columns(2)
    if cols[0].button(tr("review.conflict.take_theirs"), key=f"rv{aid}.theirs"):
        review_form.forget_state(aid)
        st.rerun()
    if cols[1].button(tr("review.conflict.keep_mine"), key=f"rv{aid}.mine", type="primary"):
        fresh = reviews.review_screen(context.uow(), actor, aid).review
        st.session_state[lock_key(aid)] = fresh.lock_version
        st.session_state[saved_key(aid)] = review_form.normalised(fresh.draft)
        st.session_state[conflict_key(aid)] = False
        st.rerun()

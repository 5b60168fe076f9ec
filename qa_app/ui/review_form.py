"""The rubric form beside the transcript: one radio per criterion with its level descriptors,
N/A where the rubric allows it, a comment per criterion, automatic suggestions marked as such.

Widget values live in ``st.session_state`` under keys derived from the assignment, so a
rerun, a failed save or a conflict never loses what the reviewer entered.

Each category is its own fragment, and a grade click reruns only two small ones: its
category (the chosen level's descriptor, the category's score in its header) and the score
panel (the figures and the draft save, ``SCORE_FRAGMENT``), not the other criteria; a
comment reruns only the score panel.
"""

from __future__ import annotations

import html

import streamlit as st

from qa_app.i18n.numbers import decimal
from qa_app.services.autoqa import Suggestion
from qa_app.services.reviews import GradeInput, ReviewContext, ReviewDraft, preview_score
from qa_app.ui import context, grading_keys
from qa_app.ui.applicability_text import auto_na_reason
from qa_app.ui.context import current_lang, tr
from scoring.rubric.files import Category, Criterion
from scoring.rubric.score_maths import ReviewScore

NA = "na"
#: The fragment with the score so far and the draft save (``review_page.score_panel``).
SCORE_FRAGMENT = "qa-score"

# A draft's grades and comments, and what the review page needs to save it where it left
# off (the lock version it saw, what it last saved, the loaded marker, which assignment):
# kept across a forced sign-out for the same user, then saved under the new session.
context.keep_on_sign_out(
    r"rv\d+\.[^.]+\.[vc]", r"rv\d+\.(?:comment|lock|saved|loaded)", r"review\.assignment_id"
)


def state_key(assignment_id: int, criterion_id: str, part: str) -> str:
    return f"rv{assignment_id}.{criterion_id}.{part}"


def comment_key(assignment_id: int) -> str:
    return f"rv{assignment_id}.comment"


def load_state(ctx: ReviewContext, *, force: bool = False) -> None:
    """Put the stored draft into the widgets' state once (or again after a reload)."""
    marker = f"rv{ctx.assignment_id}.loaded"
    if st.session_state.get(marker) and not force:
        return
    for criterion in ctx.rubric.rubric.criteria():
        grade = ctx.draft.grades.get(criterion.id, GradeInput())
        value = NA if grade.not_applicable else grade.value
        st.session_state[state_key(ctx.assignment_id, criterion.id, "v")] = value
        st.session_state[state_key(ctx.assignment_id, criterion.id, "c")] = grade.comment
    st.session_state[comment_key(ctx.assignment_id)] = ctx.draft.comment
    st.session_state[marker] = True


def forget_state(assignment_id: int) -> None:
    prefix = f"rv{assignment_id}."
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


def current_draft(ctx: ReviewContext) -> ReviewDraft:
    """The draft as the widgets show it now."""
    grades = {}
    for criterion in ctx.rubric.rubric.criteria():
        value = st.session_state.get(state_key(ctx.assignment_id, criterion.id, "v"))
        comment = st.session_state.get(state_key(ctx.assignment_id, criterion.id, "c")) or ""
        grades[criterion.id] = GradeInput(
            value=None if value in (None, NA) else value,
            not_applicable=value == NA,
            comment=comment,
        )
    return ReviewDraft(grades, st.session_state.get(comment_key(ctx.assignment_id)) or "")


def normalised(draft: ReviewDraft) -> tuple:
    """What autosave compares: entered grades and comments, ignoring untouched criteria."""
    grades = tuple(
        sorted(
            (cid, g.value, g.not_applicable, g.comment.strip())
            for cid, g in draft.grades.items()
            if not g.is_empty
        )
    )
    return grades, draft.comment.strip()


def _level_text(criterion: Criterion, value, lang: str) -> str:
    if value == NA:
        return tr("review.na")
    return f"{value:g} · {criterion.scale.level(value).label.get(lang)}"


def _levels_help(criterion: Criterion, lang: str) -> str:
    lines = [criterion.description.get(lang), ""]
    for level in criterion.scale.levels:
        lines.append(
            f"- **{level.value:g} {level.label.get(lang)}** — {level.descriptor.get(lang)}"
        )
    return "\n".join(lines)


def category_fragment_key(category_id: str) -> str:
    return f"qa-cat-{category_id}"


def _graded(category_id: str) -> None:
    """A grade changed: rerun its category and the score panel only."""
    st.rerun([SCORE_FRAGMENT, category_fragment_key(category_id)])


def _commented() -> None:
    """A comment changed: only the draft save (in the score panel) has work to do."""
    st.rerun(SCORE_FRAGMENT)


def _use_suggestion(key: str, value, category_id: str) -> None:
    st.session_state[key] = value
    _graded(category_id)


def _quoted(text: str, lang: str) -> str:
    return f"«{text}»" if lang == "ru" else f"“{text}”"


def evidence_words(evidence: tuple[str, ...], lang: str) -> list[str]:
    """Evidence as a reviewer reads it: the quoted words, or a sentence for a rule that
    points at no words ("no empathy phrase in the agent's replies"). Rule codes such as
    ``model_word`` stay in the tooltip, not in the text."""
    shown = []
    for item in evidence:
        quote, sep, _rule = item.partition(" — ")
        if sep and quote.strip():
            shown.append(_quoted(html.escape(quote.strip()), lang))
            continue
        key = f"review.auto.rule.{item}"
        text = tr(key)
        if text != key:
            shown.append(text)
        elif " " in item.strip():
            shown.append(_quoted(html.escape(item.strip()), lang))
    return list(dict.fromkeys(shown))


def suggestion_basis(suggestion: Suggestion) -> str:
    """Where the suggestion comes from, in words: a model fitted to this team's reviews
    (with how sure it is) or the automatic signal alone; and how it compares with the
    reviewers' agreement with each other."""
    if suggestion.calibrated and suggestion.confidence is not None:
        basis = tr("review.auto.calibrated", confidence=f"{suggestion.confidence:.0%}")
    else:
        basis = tr("review.auto.from_signal")
    verdict = suggestion.verdict
    if verdict is not None and verdict.reason == "earned":
        basis += " · " + tr("review.auto.earned", **_kappas(verdict))
    elif verdict is not None:
        basis += " · " + tr("review.auto.unmeasured")
    return basis


def _kappas(verdict) -> dict[str, str]:
    lang = current_lang()
    return {
        "auto": "—" if verdict.auto_kappa is None else decimal(verdict.auto_kappa, lang),
        "reviewers": "—"
        if verdict.reviewer_kappa is None
        else decimal(verdict.reviewer_kappa, lang),
        "n": str(verdict.auto_pairs),
        "pairs": str(verdict.reviewer_pairs),
    }


def render_hidden_suggestion(suggestion: Suggestion) -> None:
    """Why there is no automatic suggestion here: it agrees with reviewers less than they
    agree with each other (both kappas shown)."""
    st.caption(
        ":material/visibility_off: " + tr("review.auto.hidden", **_kappas(suggestion.verdict))
    )


def hidden_suggestions(ctx: ReviewContext) -> list[str]:
    """Names of the criteria whose automatic suggestion is hidden, in rubric order."""
    lang = current_lang()
    return [
        c.name.get(lang)
        for c in ctx.rubric.rubric.criteria()
        if c.id in ctx.suggestions and not ctx.suggestions[c.id].earned
    ]


def render_suggestion(
    ctx: ReviewContext, criterion: Criterion, suggestion: Suggestion, category_id: str
) -> None:
    """An automatic suggestion, clearly marked, with evidence and an explicit "use" button.

    The technical details (signal, raw value, scorer version) are in the tooltip."""
    lang = current_lang()
    value_text = (
        _level_text(criterion, suggestion.value, lang) if suggestion.value is not None else "—"
    )
    raw = ", ".join(str(x) for x in (suggestion.label, suggestion.score) if x is not None)
    technical = f"{suggestion.signal}" + (f" = {raw}" if raw else "") + f" · {suggestion.source}"
    st.caption(
        f":material/smart_toy: **{tr('review.auto.title')}: {html.escape(value_text)}**"
        f" — {suggestion_basis(suggestion)}",
        help=tr("review.auto.details", details=technical),
    )
    words = evidence_words(suggestion.evidence, lang)
    if words:
        st.caption(tr("review.auto.evidence") + " " + " · ".join(words))
    if ctx.editable and suggestion.value is not None:
        st.button(
            tr("review.auto.use"),
            key=f"rv{ctx.assignment_id}.{criterion.id}.use",
            on_click=_use_suggestion,
            args=(state_key(ctx.assignment_id, criterion.id, "v"), suggestion.value, category_id),
            type="tertiary",
            icon=":material/smart_toy:",
        )


def render_criterion(
    ctx: ReviewContext, criterion: Criterion, missing: bool, category_id: str
) -> None:
    lang = current_lang()
    options = list(criterion.scale.values) + ([NA] if criterion.na_allowed else [])
    key = state_key(ctx.assignment_id, criterion.id, "v")
    flag = " :red[*]" if missing else ""
    if criterion.critical:
        flag += f" :orange-badge[{tr('review.critical')}]"
    value = st.radio(
        f"**{html.escape(criterion.name.get(lang))}**{flag}",
        options,
        index=None,
        key=key,
        horizontal=True,
        format_func=lambda v: _level_text(criterion, v, lang),
        help=_levels_help(criterion, lang),
        disabled=not ctx.editable,
        on_change=_graded,
        args=(category_id,),
    )
    if value is not None and value != NA:
        st.caption(criterion.scale.level(value).descriptor.get(lang))
    suggestion = ctx.suggestions.get(criterion.id)
    # A suggestion with neither a level nor evidence (a conversation in a language that is
    # not scored, a signal that did not fire) would only print "—": it is left out.
    says_something = suggestion is not None and (
        suggestion.value is not None or suggestion.evidence
    )
    if says_something and suggestion.earned:
        render_suggestion(ctx, criterion, suggestion, category_id)
    elif suggestion is not None:
        render_hidden_suggestion(suggestion)
    st.text_input(
        tr("review.criterion_comment"),
        key=state_key(ctx.assignment_id, criterion.id, "c"),
        placeholder=tr("review.criterion_comment"),
        label_visibility="collapsed",
        disabled=not ctx.editable,
        on_change=_commented,
    )


def render_auto_na(criterion: Criterion, condition) -> None:
    """A criterion whose rubric condition does not hold: no grade to give, the reason shown
    (it counts as N/A in the score, exactly like a manual N/A)."""
    lang = current_lang()
    st.markdown(
        f"**{html.escape(criterion.name.get(lang))}** "
        f":gray-badge[:material/block: {tr('applies.na_badge')}]"
    )
    st.caption(auto_na_reason(condition))


def render_score(
    score: ReviewScore, total: int, passing: float | None = None, *, editable: bool = True
) -> None:
    """Live score preview from the one score formula; pass/fail only once complete.

    The result is a badge under the figures (a third metric column cut "Незачёт" short),
    always with the pass mark so "70" and "Fail" read together."""
    graded = total - len(score.missing)
    overall = "—" if score.overall is None else f"{score.overall:.0f}"
    cols = st.columns(2)
    label = tr("review.score_preview" if editable else "review.score")  # "so far" only while open
    cols[0].metric(label, overall, help=tr("review.score_help"))
    cols[1].metric(tr("review.graded"), f"{graded}/{total}")
    mark = "" if passing is None else tr("review.pass_mark", score=f"{passing:g}")
    if score.passed is not None and not score.missing:
        badge = (
            f":green-badge[:material/check: {tr('review.pass')}]"
            if score.passed
            else f":red-badge[:material/close: {tr('review.fail')}]"
        )
        st.markdown(f"{tr('review.result')}: {badge}" + (f" · {mark}" if mark else ""))
    elif mark:
        st.caption(mark)
    if score.critical_fails:
        st.error(
            tr("review.critical_fail", count=len(score.critical_fails)), icon=":material/gpp_bad:"
        )


def live_score(ctx: ReviewContext) -> ReviewScore:
    """The score of the draft as the widgets show it now (the one score formula)."""
    return preview_score(ctx.rubric.rubric, current_draft(ctx), ctx.auto_na)


def render_category(ctx: ReviewContext, category: Category) -> None:
    """One category: its live score in the header, its criteria (a category's fragment)."""
    lang = current_lang()
    score = live_score(ctx)
    tried = st.session_state.get(f"rv{ctx.assignment_id}.tried")
    missing = set(score.missing) if tried else set()
    cat_score = score.categories[category.id].score
    shown = "—" if cat_score is None else tr("review.category_score", score=f"{cat_score:.0f}")
    with st.expander(f"{category.name.get(lang)} · {shown}", expanded=True):
        for criterion in category.criteria:
            if criterion.id in ctx.auto_na:
                render_auto_na(criterion, ctx.auto_na[criterion.id])
                continue
            with st.container(key=grading_keys.criterion_key(criterion.id)):
                render_criterion(ctx, criterion, criterion.id in missing, category.id)


def render_form(ctx: ReviewContext) -> None:
    """All categories, each a fragment a grade click in it reruns, and the overall comment."""
    hidden = hidden_suggestions(ctx)
    if hidden:
        names = ", ".join(html.escape(name) for name in hidden)
        st.caption(":material/visibility_off: " + tr("review.auto.hidden_summary", names=names))
    for category in ctx.rubric.rubric.categories:
        fragment = st.fragment(render_category, key=category_fragment_key(category.id))
        fragment(ctx, category)
    st.text_area(
        tr("review.overall_comment"),
        key=comment_key(ctx.assignment_id),
        disabled=not ctx.editable,
        height=100,
        on_change=_commented,
    )

"""Pieces the coaching pages share: figures with intervals, evidence tables, excerpts.

Excerpts and reviewer comments are people's text: they go through ``st.text`` (no Markdown,
no HTML), never through ``st.markdown``.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from qa_app.services import coaching, mystery
from qa_app.ui import user_text
from qa_app.ui.context import current_lang, tr, tr_or
from scoring.rubric.model import Rubric
from scoring.stats import Estimate


def figure(estimate: Estimate, digits: int = 0) -> str:
    """ "72 (68–76)" or a dash when the data cannot support a number."""
    if not estimate.defined:
        return "—"
    if math.isnan(estimate.low):
        return f"{estimate.estimate:.{digits}f}"
    return f"{estimate.estimate:.{digits}f} ({estimate.low:.{digits}f}–{estimate.high:.{digits}f})"


def topic_name(topic_id: str) -> str:
    try:
        return coaching.catalogue().topic(topic_id).name.get(current_lang())
    except KeyError:
        return topic_id


def criterion_name(rubric: Rubric | None, criterion_id: str) -> str:
    if rubric is None:
        return criterion_id
    try:
        return rubric.criterion(criterion_id).name.get(current_lang())
    except KeyError:
        return criterion_id


def signal_name(name: str) -> str:
    return tr_or(f"autoqa.sig.{name}", name)


def shopper_item_name(item_id: str) -> str:
    """A mystery-shopper checklist item's name in the page's language (the id if unknown)."""
    for checklist in mystery.available_checklists().values():
        try:
            return checklist.criterion(item_id).name.get(current_lang())
        except KeyError:
            continue
    return item_id


def gap_name(rubric: Rubric | None, gap: coaching.Gap) -> str:
    if gap.kind == "criterion":
        return criterion_name(rubric, gap.key)
    if gap.kind == "mystery":
        return tr("coaching.mystery_prefix", name=shopper_item_name(gap.key))
    return tr("coaching.signal_prefix", name=signal_name(gap.key))


def render_shopper(failures: tuple[coaching.ShopperFailure, ...]) -> None:
    """Failed mystery-shopper items: "failed 'X' in 4 of 5 visits", and a shopper's
    comment as plain text (people's text, never Markdown or HTML)."""
    if not failures:
        return
    st.markdown(f"**{tr('coaching.shopper_evidence')}**")
    for failure in failures:
        with st.container(border=True):
            st.markdown(
                user_text.inline(
                    tr(
                        "coaching.shopper_failed",
                        item=shopper_item_name(failure.item_id),
                        failed=failure.failed,
                        graded=failure.graded,
                    )
                )
            )
            if failure.comment:
                user_text.render(failure.comment, label=tr("coaching.shopper_comment"))


def gaps_table(rubric: Rubric | None, gaps: tuple[coaching.Gap, ...]) -> None:
    frame = pd.DataFrame(
        [
            {
                tr("coaching.col.behaviour"): gap_name(rubric, g),
                tr("coaching.col.mean"): figure(g.estimate),
                tr("coaching.col.n"): g.estimate.n,
                tr("coaching.col.target"): f"{g.target:.0f}",
                tr("coaching.col.certain_gap"): f"{g.certain_gap:.1f}",
                tr("coaching.col.weight"): f"{100 * g.weight:.1f}%",
            }
            for g in gaps
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def render_excerpt(excerpt: coaching.Excerpt, rubric: Rubric | None) -> None:
    """One reviewed conversation: where and when, the grade, the opening messages and the
    reviewer's comment, all as plain text."""
    with st.container(border=True):
        st.caption(
            tr(
                "coaching.excerpt.head",
                conversation=excerpt.external_id,
                agent=excerpt.agent,
                channel=tr(f"overview.channel.{excerpt.channel}"),
                date=excerpt.started_at.strftime("%Y-%m-%d"),
                criterion=criterion_name(rubric, excerpt.criterion_id),
                score=f"{excerpt.score:.0f}",
            )
        )
        for line in excerpt.lines:
            who = (
                tr(f"coaching.role.{line.role}")
                if line.role in ("customer", "agent")
                else line.role
            )
            st.text(f"{who}: {line.text}")
        if excerpt.comment:
            st.caption(tr("coaching.excerpt.comment"))
            st.text(excerpt.comment)


def change_sentence(change: coaching.CriterionChange) -> str:
    """The panel's plain answer: did it change, and if not yet, how many more reviews."""
    c = change.comparison
    if c.before.n == 0 or c.after.n == 0:
        return tr("coaching.effect.no_data", before=c.before.n, after=c.after.n)
    if c.verdict.value != "not_distinguishable":
        return tr(
            f"coaching.effect.{c.verdict.value}",
            points=f"{abs(c.difference.estimate):.0f}",
            low=f"{c.difference.low:+.0f}",
            high=f"{c.difference.high:+.0f}",
        )
    if c.more_reviews_needed is None:
        return tr("coaching.effect.no_change")
    before, after = c.more_reviews_needed
    return tr(
        "coaching.effect.noise",
        points=f"{c.difference.estimate:+.0f}",
        low=f"{c.difference.low:+.0f}",
        high=f"{c.difference.high:+.0f}",
        before=before,
        after=after,
    )


def render_effect(effect: coaching.PlanEffect | None) -> None:
    """Before vs after the first session, per linked criterion and for the topic."""
    st.subheader(tr("coaching.effect.title"))
    if effect is None:
        st.caption(tr("coaching.effect.waiting"))
        return
    st.caption(
        tr(
            "coaching.effect.window",
            since=effect.since.strftime("%Y-%m-%d"),
            split=effect.split.strftime("%Y-%m-%d"),
            until=effect.until.strftime("%Y-%m-%d"),
        )
    )
    if effect.purged_reviews:
        st.caption(tr("coaching.effect.purged", n=effect.purged_reviews))
    if not effect.rows:
        st.info(tr("coaching.effect.no_reviews"))
        return
    rows = []
    for change in effect.rows:
        c = change.comparison
        name = (
            tr("coaching.effect.topic_row")
            if change.key == coaching.TOPIC_ROW
            else criterion_name(effect.rubric, change.key)
        )
        rows.append(
            {
                tr("coaching.col.behaviour"): name,
                tr("coaching.effect.before"): f"{figure(c.before)} · n={c.before.n}",
                tr("coaching.effect.after"): f"{figure(c.after)} · n={c.after.n}",
                tr("coaching.effect.change"): figure(c.difference),
                tr("coaching.effect.verdict"): tr(f"coaching.verdict.{c.verdict.value}"),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    for change, row in zip(effect.rows, rows, strict=True):
        st.markdown(
            f"- **{user_text.inline(row[tr('coaching.col.behaviour')])}**: {change_sentence(change)}"
        )

"""The scorecard's service figures (CSAT, NPS, FCR, response times, SLA), strengths and
areas to work on in plain words, and the best and worst reviewed conversations."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import scorecards
from qa_app.ui import context
from qa_app.ui.context import tr
from qa_app.ui.scorecard_view import channel, estimate_text, number, percent


def _survey(
    col, key: str, figure: scorecards.SurveyFigure, *, share: bool, digits: int = 0
) -> None:
    e = figure.estimate
    value = (percent(e.estimate) if share else number(e.estimate, digits)) if e.defined else "—"
    col.metric(tr(key), value)
    col.caption(estimate_text(e, share=share))
    col.caption(tr("scorecards.responses", n=figure.responses, contacts=figure.contacts,
                   rate=percent(figure.response_rate)))  # fmt: skip
    for warning in figure.warnings:
        show = percent if warning.threshold < 1 else (lambda v: number(v, 0))
        col.warning(tr(f"scorecards.survey.{warning.code}", value=show(warning.value),
                       threshold=show(warning.threshold)), icon=":material/warning:")  # fmt: skip


def _csi_attributes(card: scorecards.Scorecard) -> None:
    """The CSI's attributes: what each is rated and how much it weighs."""
    a = card.csi.attributes
    if a.empty:
        st.caption(tr("scorecards.csi.none"))
        return
    lang = context.current_lang()
    st.markdown(f"**{tr('scorecards.csi.attributes')}**")
    st.dataframe(pd.DataFrame({
        tr("scorecards.col.attribute"): [scorecards.attribute_name(x, lang) for x in a["attribute"]],
        "n": a["n"],
        tr("scorecards.col.satisfaction"): [number(v) for v in a["satisfaction"]],
        tr("scorecards.col.importance"): [number(v, 2) for v in a["importance"]],
        tr("scorecards.col.weight_share"): [percent(v) for v in a["weight_share"]],
    }), hide_index=True, width="stretch")  # fmt: skip


def render_service(card: scorecards.Scorecard) -> None:
    cols = st.columns(4)
    _survey(cols[0], "scorecards.metric.csat", card.csat, share=True)
    _survey(cols[1], "scorecards.metric.nps", card.nps, share=False)
    _survey(cols[2], "scorecards.metric.csi", card.csi, share=False, digits=1)
    cols[3].metric(tr("scorecards.metric.fcr"), percent(card.fcr.estimate))
    cols[3].caption(estimate_text(card.fcr, share=True))
    cols[3].caption(tr("scorecards.fcr_note", days=scorecards.FCR_WINDOW.days))
    st.caption(tr("scorecards.csi_note"))
    _csi_attributes(card)
    service = card.service
    if service.empty:
        return
    table = pd.DataFrame({
        tr("scorecards.col.channel"): [channel(c) for c in service["channel"]],
        tr("scorecards.col.conversations"): service["conversations"],
        tr("scorecards.col.frt"): [number(v) for v in service["frt_median_min"]],
        tr("scorecards.col.sla_target"): [number(v, 0) for v in service["sla_target_min"]],
        tr("scorecards.col.sla"): [
            tr("scorecards.sla_none") if n == 0 else
            tr("scorecards.estimate", value=percent(s), low=percent(lo), high=percent(hi), n=n)
            for s, lo, hi, n in zip(service["sla_share"], service["sla_low"],
                                    service["sla_high"], service["sla_n"], strict=True)
        ],
    })  # fmt: skip
    st.dataframe(table, hide_index=True, width="stretch")


def finding_text(card: scorecards.Scorecard, finding: scorecards.Finding) -> str:
    name = card.criterion_name(finding.criterion_id, context.current_lang())
    return tr(f"scorecards.finding.{finding.kind}.{finding.against}", criterion=name,
              value=number(finding.mean), low=number(finding.low), high=number(finding.high),
              reference=number(finding.reference), n=finding.n)  # fmt: skip


def render_findings(card: scorecards.Scorecard) -> None:
    left, right = st.columns(2)
    for col, kind, icon in ((left, "strength", ":material/thumb_up:"),
                            (right, "area", ":material/flag:")):  # fmt: skip
        col.markdown(f"{icon} **{tr(f'scorecards.findings.{kind}')}**")
        items = [f for f in card.findings if f.kind == kind]
        if not items:
            col.caption(tr(f"scorecards.findings.none_{kind}"))
        for finding in items[:5]:
            col.text(f"• {finding_text(card, finding)}")
    st.caption(tr("scorecards.findings.note"))


def render_examples(card: scorecards.Scorecard) -> None:
    left, right = st.columns(2)
    for col, key, examples in ((left, "best", card.best), (right, "worst", card.worst)):
        col.markdown(f"**{tr(f'scorecards.examples.{key}')}**")
        if not examples:
            col.caption(tr("scorecards.no_reviews"))
        for example in examples:
            with col.container(border=True):
                st.text(tr("scorecards.examples.line", id=example.external_id,
                           channel=channel(example.channel),
                           day=example.started_at.date().isoformat(),
                           score=number(example.score)))  # fmt: skip
                lang = context.current_lang()
                texts = [card.comment_text(c, lang) for c in example.comments]
                for text in texts or [tr("scorecards.examples.no_comment")]:
                    st.text(text)

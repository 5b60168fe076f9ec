"""The transcript as a chat: customer on the left, agent on the right, waits that broke the
SLA marked in red. Every piece of conversation text goes through ``user_text`` (never
interpreted, whatever characters it holds) before it joins the page's HTML."""

from __future__ import annotations

import html
from datetime import datetime

import streamlit as st

from qa_app.i18n import t
from qa_app.i18n.numbers import decimal
from qa_app.services.conversations import ConversationHeader, HandoverFacts, Transcript
from qa_app.ui import user_text
from qa_app.ui.evidence_highlight import EVIDENCE_CSS, legend_html, message_html

CHAT_CSS = """
<style>
.qa-chat {display: flex; flex-direction: column; gap: .45rem; font-size: .93rem;}
.qa-msg {max-width: 82%; padding: .45rem .7rem; border-radius: .7rem; line-height: 1.4;
  overflow-wrap: anywhere; word-break: break-word; white-space: pre-wrap;
  unicode-bidi: isolate;}
.qa-customer {align-self: flex-start; background: rgba(128,128,128,.12);
  border-bottom-left-radius: .2rem;}
.qa-agent {align-self: flex-end; background: rgba(45,120,220,.14);
  border-bottom-right-radius: .2rem;}
.qa-bot {align-self: flex-end; background: rgba(140,90,200,.13);
  border: 1px dashed rgba(140,90,200,.55); border-bottom-right-radius: .2rem;}
.qa-system {align-self: center; font-style: italic; opacity: .75; font-size: .82rem;}
.qa-meta {font-size: .75rem; opacity: .72; margin-bottom: .15rem;}
.qa-breach {border: 1px solid rgba(220,50,50,.75);}
.qa-late {color: rgb(200,40,40); font-weight: 600;}
</style>
"""


def duration_text(seconds: float | None, lang: str) -> str:
    """A short human duration: 45 s, 3 min, 2 h 05 min, 1 d 3 h."""
    if seconds is None:
        return "—"
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return t("review.duration.s", lang, n=seconds)
    minutes = seconds // 60
    if minutes < 60:
        return t("review.duration.min", lang, n=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return t("review.duration.h", lang, h=hours, m=f"{minutes:02d}")
    days, hours = divmod(hours, 24)
    return t("review.duration.d", lang, d=days, h=hours)


def _clock(moment: datetime | None) -> str:
    return moment.strftime("%d.%m %H:%M:%S") if moment else ""


def _row_html(row, lang: str, evidence: dict | None = None) -> str:
    side_name = t(f"review.side.{row.side}", lang)
    who = user_text.fragment_html(row.author) if row.author else html.escape(side_name)
    if row.side == "bot" and row.author:  # say plainly that a bot wrote it
        who += f" ({html.escape(side_name)})"
    meta = [who, html.escape(_clock(row.sent_at))]
    if row.gap_seconds is not None and row.side != "system":
        meta.append("+" + html.escape(duration_text(row.gap_seconds, lang)))
    breach = ""
    if row.sla_breach:
        breach = f' <span class="qa-late">⚠ {html.escape(t("review.sla_breach", lang, wait=duration_text(row.wait_seconds, lang), target=duration_text(row.sla_target, lang)))}</span>'
    text = message_html(row.text, (evidence or {}).get(row.seq), lang)
    classes = f"qa-msg qa-{row.side}" + (" qa-breach" if row.sla_breach else "")
    return (
        f'<div class="{classes}"><div class="qa-meta">{" · ".join(meta)}{breach}</div>'
        f"<div>{text}</div></div>"
    )


def transcript_html(transcript: Transcript, lang: str, evidence: dict | None = None) -> str:
    """The whole chat as one HTML block (one render call keeps long transcripts fast);
    ``evidence`` (by message seq) highlights the automatic scorers' spans."""
    rows = "".join(_row_html(row, lang, evidence) for row in transcript.rows)
    if not rows:
        rows = f'<div class="qa-msg qa-system">{html.escape(t("review.no_messages", lang))}</div>'
    return f'<div class="qa-chat">{rows}</div>'


def _facts(header: ConversationHeader, lang: str) -> list[str]:
    dash = "—"
    facts = [
        f"**{t('review.fact.channel', lang)}:** {t('review.channel.' + header.channel, lang)}",
        f"**{t('review.fact.language', lang)}:** {header.language.upper()}",
        f"**CSAT:** {header.csat if header.csat is not None else dash}",
        f"**NPS:** {header.nps if header.nps is not None else dash}",
    ]
    if header.agent:
        bot = f" ({t('review.side.bot', lang)})" if header.agent_is_bot else ""
        agent = user_text.inline(header.agent) + bot
        facts.append(f"**{t('review.fact.agent', lang)}:** {agent}")
    if header.team:
        facts.append(f"**{t('review.fact.team', lang)}:** {user_text.inline(header.team)}")
    if header.escalated:
        facts.append(f"**{t('review.fact.escalated', lang)}**")
    return facts


def render_header(header: ConversationHeader, lang: str) -> None:
    st.markdown(" · ".join(_facts(header, lang)))
    if not header.auto_scored_language:  # reviewers grade it; no automatic labels shown
        st.info(
            t("review.language_unsupported", lang, language=header.language.upper()),
            icon=":material/translate:",
        )
    first = duration_text(header.first_response_seconds, lang)
    line = t("review.first_response", lang, wait=first)
    where = f"{user_text.inline(header.external_id)} · {_clock(header.started_at)}"
    if header.first_response_breach:  # the id and start stay visible beside the warning
        target = duration_text(header.first_response_target, lang)
        st.markdown(f"{where} · :red[⚠ {line} — {t('review.over_sla', lang, target=target)}]")
    else:
        st.caption(f"{where} · {line}")
    if header.handover is not None:
        render_handover(header.handover, lang)
    if header.subject:
        st.markdown(f"**{user_text.inline(header.subject)}**")
    if header.tags:
        st.markdown(" ".join(f":blue-badge[{user_text.inline(tag)}]" for tag in header.tags))


def handover_text(facts: HandoverFacts, lang: str) -> str:
    """One line on the bot's part: alone, or handed over after how long, and whether the
    customer had to repeat themselves (with the similarity and its threshold)."""
    bot = user_text.inline(facts.bot or t("review.side.bot", lang))
    if facts.human is None:
        return t("review.handover.alone", lang, bot=bot)
    parts = [
        t(
            "review.handover.after", lang, bot=bot, agent=user_text.inline(facts.human),
            wait=duration_text(facts.seconds, lang),
        )
    ]  # fmt: skip
    if facts.repeated is not None:
        key = "review.handover.repeated" if facts.repeated else "review.handover.not_repeated"
        similarity = decimal(facts.similarity or 0.0, lang)
        parts.append(t(key, lang, similarity=similarity, threshold=decimal(facts.threshold, lang)))
    return " · ".join(parts)


def render_handover(facts: HandoverFacts, lang: str) -> None:
    text = handover_text(facts, lang)
    if facts.repeated:
        st.markdown(f":orange[:material/smart_toy: {text}]")
    else:
        st.caption(f":material/smart_toy: {text}")


def chat_height(transcript: Transcript, limit: int = 640) -> int:
    """A scroll box no taller than the chat needs (roughly 40 px a line of text)."""
    lines = sum(3 + len(row.text) // 60 for row in transcript.rows)
    return max(160, min(limit, 30 + lines * 22))


def render_transcript(
    transcript: Transcript, lang: str, height: int = 640, *, evidence: dict | None = None
) -> None:
    """Header facts and the scrollable chat; ``evidence`` (by message seq, read with the
    rest of the screen) highlights the automatic scorers' spans."""
    st.markdown(CHAT_CSS + EVIDENCE_CSS, unsafe_allow_html=True)
    render_header(transcript.header, lang)
    if evidence:
        st.markdown(legend_html(lang), unsafe_allow_html=True)
    with st.container(height=chat_height(transcript, height), border=True):
        st.markdown(transcript_html(transcript, lang, evidence), unsafe_allow_html=True)

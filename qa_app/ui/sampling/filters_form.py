"""The conversation filters, drawn inside a form and read back as ``ConversationFilters``.

Shared by the one-off sample, the plan form (no dates: a plan's run sets its own window)
and the notable list. Ranges at their full extent and flags at "any" filter nothing, so
conversations without a CSAT or not yet scored stay in unless a filter asks about them.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from qa_app.services import sampling
from qa_app.ui.context import tr
from qa_app.ui.sampling.words import language_name

#: A flag filter's choices; Streamlit shows a None option as "no choice", so the options
#: are words and map to None (either), True (only these) and False (exclude these).
FLAG_CHOICES = {"any": None, "yes": True, "no": False}


def labels(texts: dict):
    """A ``format_func`` over texts translated now: Streamlit may call it outside the page
    run (AppTest does), where the reader's language is not known."""
    return lambda value: texts.get(value, str(value))


def _flag_word(value: bool | None) -> str:
    return next(word for word, flag in FLAG_CHOICES.items() if flag is value)


def _range(key: str, label: str, low: int, high: int, start: tuple[int | None, int | None]):
    """A range slider; at its full extent it filters nothing (unanswered surveys stay in)."""
    value = (start[0] if start[0] is not None else low, start[1] if start[1] is not None else high)
    chosen = st.slider(label, low, high, value, key=key, help=tr("sampling.range_help"))
    return (None if chosen[0] == low else chosen[0]), (None if chosen[1] == high else chosen[1])


def _scope(options: sampling.SampleOptions, prefix: str, start: sampling.ConversationFilters):
    cols = st.columns(4)
    return {
        "channels": tuple(
            cols[0].multiselect(
                tr("sampling.channels"),
                options.channels,
                default=start.channels,
                format_func=labels({c: tr(f"review.channel.{c}") for c in options.channels}),
                placeholder=tr("sampling.any"),
                key=f"{prefix}.channels",
            )
        ),
        "languages": tuple(
            cols[1].multiselect(
                tr("sampling.languages"),
                options.languages,
                default=start.languages,
                format_func=labels({code: language_name(code) for code in options.languages}),
                placeholder=tr("sampling.any"),
                key=f"{prefix}.languages",
            )
        ),
        "teams": tuple(
            cols[2].multiselect(
                tr("sampling.teams"),
                options.teams,
                default=start.teams,
                placeholder=tr("sampling.any"),
                key=f"{prefix}.teams",
            )
        ),
        "agents": tuple(
            cols[3].multiselect(
                tr("sampling.agents"),
                options.agents,
                default=start.agents,
                placeholder=tr("sampling.any"),
                key=f"{prefix}.agents",
            )
        ),
    }


def _surveys(prefix: str, start: sampling.ConversationFilters) -> dict:
    cols = st.columns([2, 3, 1.5, 1.5])
    with cols[0]:
        csat = _range(f"{prefix}.csat", tr("sampling.csat"), 1, 5, (start.csat_min, start.csat_max))
    with cols[1]:
        nps = _range(f"{prefix}.nps", tr("sampling.nps"), 0, 10, (start.nps_min, start.nps_max))
    low = cols[2].number_input(
        tr("sampling.handle_min"),
        min_value=0.0,
        value=start.handle_min_minutes,
        step=5.0,
        format="%.0f",
        placeholder=tr("sampling.any"),
        key=f"{prefix}.handle_min",
    )
    high = cols[3].number_input(
        tr("sampling.handle_max"),
        min_value=0.0,
        value=start.handle_max_minutes,
        step=5.0,
        format="%.0f",
        placeholder=tr("sampling.any"),
        key=f"{prefix}.handle_max",
    )
    return {
        "csat_min": csat[0],
        "csat_max": csat[1],
        "nps_min": nps[0],
        "nps_max": nps[1],
        "handle_min_minutes": low,
        "handle_max_minutes": high,
    }


def _flags(prefix: str, start: sampling.ConversationFilters) -> dict:
    cols = st.columns(len(sampling.FLAGS), vertical_alignment="bottom")
    words = list(FLAG_CHOICES)
    names = labels({word: tr(f"sampling.flag.{word}") for word in words})
    chosen = {
        name: col.selectbox(
            tr(f"sampling.flag.{name}"),
            words,
            index=words.index(_flag_word(getattr(start, name))),
            format_func=names,
            key=f"{prefix}.{name}",
            help=tr(f"sampling.flag_help.{name}"),
        )
        for col, name in zip(cols, sampling.FLAGS, strict=True)
    }
    return {name: FLAG_CHOICES[word] for name, word in chosen.items()}


def _dates(prefix: str, span: tuple[date, date] | tuple) -> dict:
    chosen = st.date_input(
        tr("sampling.dates"), value=span, key=f"{prefix}.dates", format="YYYY-MM-DD"
    )
    chosen = tuple(chosen or ())
    return {
        "date_from": chosen[0] if chosen else None,
        "date_to": chosen[1] if len(chosen) > 1 else (chosen[0] if chosen else None),
    }


def render_filters(
    options: sampling.SampleOptions,
    prefix: str,
    *,
    dates: tuple[date, date] | tuple | None = (),
    start: sampling.ConversationFilters | None = None,
) -> sampling.ConversationFilters:
    """Every filter widget (call inside ``st.form``); ``dates=None`` leaves dates out."""
    start = start or sampling.ConversationFilters()
    values = _dates(prefix, dates) if dates is not None else {}
    values |= _scope(options, prefix, start)
    more = start.to_document().keys() - {"channels", "languages", "teams", "agents"}
    with st.expander(tr("sampling.more_filters"), expanded=bool(more)):
        values |= _surveys(prefix, start)
        values |= _flags(prefix, start)
    return sampling.ConversationFilters(**values)

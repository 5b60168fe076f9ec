"""Export controls of the scorecard and team pages: pick a format, prepare the file (one
audited export use case), then download it. The file is kept in the tab's state only until
the page shows different figures."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from qa_app.services import scorecards
from qa_app.services.errors import ServiceError
from qa_app.ui import context
from qa_app.ui.context import tr


def render(key: str, formats: tuple[str, ...], make: Callable[[str], scorecards.ExportFile],
           signature: str) -> None:  # fmt: skip
    """``make(fmt)`` runs the export use case; ``signature`` names what the page shows, so a
    file prepared for other filters is never offered for download."""
    left, middle, right = st.columns([1, 1, 2], vertical_alignment="bottom")
    fmt = left.selectbox(
        tr("export.format"), formats, format_func=lambda f: tr(f"export.kind.{f}"), key=f"{key}_fmt"
    )
    state_key = f"{key}_file"
    if middle.button(tr("export.prepare"), key=f"{key}_prepare", icon=":material/download:"):
        try:
            st.session_state[state_key] = (signature, make(fmt))
        except ServiceError as exc:
            context.show_error(exc)
            return
    kept = st.session_state.get(state_key)
    if kept and kept[0] == signature:
        exported: scorecards.ExportFile = kept[1]
        right.download_button(
            tr("export.download", format=exported.file_name), exported.data,
            file_name=exported.file_name, mime=exported.mime, key=f"{key}_download",
        )  # fmt: skip

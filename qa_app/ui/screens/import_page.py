"""Import: upload a CSV or JSONL export, watch it land, see exactly which rows were refused.

AppTest cannot drive ``st.file_uploader``, so the upload path is split: ``render_upload``
draws the form and hands the bytes to ``import_upload(name, data, tz, source)``, which the
page tests call directly inside an AppTest script.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from qa_app.i18n.numbers import decimal
from qa_app.services import imports
from qa_app.services.errors import ServiceError
from qa_app.ui import context, user_text, widget_texts
from qa_app.ui.context import current_lang, tr

ACTION = "page.import"
LAST_RESULT = "import_last_result"
ZONES = (
    "UTC",
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
    "Europe/Minsk",
    "Asia/Almaty",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
)
FORMATS = ("csv", "jsonl", "json")


@dataclass
class ImportResult:
    """What the page shows after an import (kept in session state across reruns)."""

    file_name: str
    counts: dict[str, int]
    rejected: pd.DataFrame
    errors_csv: bytes | None = None
    errors_name: str = ""
    notes: list[str] = field(default_factory=list)


def _rejected_frame(summary: imports.ImportSummary, lang: str) -> pd.DataFrame:
    rows = [
        {
            tr("import.column.line"): rejection.line,
            tr("import.column.conversation_id"): rejection.external_id,
            tr("import.column.field"): problem.field,
            tr("import.column.reason"): problem.reason(lang),
        }
        for rejection in sorted(summary.rejections, key=lambda r: r.line)
        for problem in rejection.problems
    ]
    return pd.DataFrame(rows)


def rejected_columns() -> dict:
    """Narrow line, id and field columns so the reason, the part to read, fits."""
    return {
        tr("import.column.line"): st.column_config.NumberColumn(width=56),
        tr("import.column.conversation_id"): st.column_config.TextColumn(width=130),
        tr("import.column.field"): st.column_config.TextColumn(width=130),
        tr("import.column.reason"): st.column_config.TextColumn(width=720),
    }


def _progress_text(p: imports.ImportProgress) -> str:
    eta = tr("import.eta", seconds=f"{p.eta_seconds:.0f}") if p.eta_seconds is not None else ""
    return tr("import.progress", rows=f"{p.rows:,}", rate=f"{p.rate:,.0f}", eta=eta)


def import_upload(
    name: str, data: bytes, tz: str, source: str, masking: object | None = None, reader=None
) -> ImportResult | None:
    """Import uploaded bytes through the service; show errors; return what to display.
    ``masking`` is a configuration from ``imports.masking_settings`` (None: store as is);
    ``reader`` reads another format (``imports.mapped_reader`` for a mapped CSV/XLSX)."""
    limit = imports.upload_limit_mb()
    if len(data) > limit * 1024 * 1024:
        st.error(tr("import.too_big", size=f"{len(data) / 1048576:.1f}", limit=limit))
        return None
    lang = current_lang()
    bar = st.progress(0.0, text=tr("import.starting"))
    with tempfile.TemporaryDirectory(prefix="qa-upload-") as folder:
        path = Path(folder) / f"upload{Path(name).suffix.lower()[:8]}"
        path.write_bytes(data)
        options = imports.ImportOptions(
            source=source.strip() or imports.DEFAULT_SOURCE,
            default_tz=tz,
            errors_dir=Path(folder),
            display_name=Path(name).name,
            lang=lang,
            masking=masking,
        )
        try:
            summary = imports.do_import_file(
                context.uow(),
                path,
                context.current_actor(),
                options,
                lambda p: bar.progress(p.fraction, text=_progress_text(p)),
                reader,
            )
        except ServiceError as exc:
            bar.empty()
            context.show_error(exc)
            return None
        errors = summary.errors_path.read_bytes() if summary.errors_path else None
    seconds = decimal(summary.elapsed, context.current_lang(), 1)  # «0,4 с»
    bar.progress(1.0, text=tr("import.done", seconds=seconds))
    counts = {
        "imported": summary.imported,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected_rows": summary.rejected_rows,
        "rejected_conversations": summary.rejected_conversations,
        "messages": summary.messages,
    }
    errors_name = summary.errors_path.name if summary.errors_path else ""
    notes = [notice.describe(lang) for notice in summary.notes]
    if summary.masked_items:
        items = ", ".join(
            f"{tr(f'helpdesk.mask_kind.{kind}') if kind in imports.MASK_KINDS else kind}: {count}"
            for kind, count in sorted(summary.masked_items.items())
        )
        notes.append(tr("helpdesk.masked_summary", items=items))
    return ImportResult(
        summary.file_name, counts, _rejected_frame(summary, lang), errors, errors_name, notes
    )


def render_upload() -> None:
    limit = imports.upload_limit_mb()
    configured = imports.default_timezone_name()
    zones = ZONES if configured in ZONES else (configured, *ZONES)
    widget_texts.translate_file_uploader(
        tr("import.upload_button"),
        tr("import.upload_limit", limit=limit, formats=", ".join(f.upper() for f in FORMATS)),
    )
    with st.form("import_form"):
        upload = st.file_uploader(
            tr("import.file"), type=list(FORMATS), help=tr("import.file_help", limit=limit)
        )
        left, right = st.columns(2)
        tz = left.selectbox(
            tr("import.default_tz"), zones, index=zones.index(configured), help=tr("import.tz_help")
        )
        source = right.text_input(
            tr("import.source"), value=imports.DEFAULT_SOURCE, help=tr("import.source_help")
        )
        masking = _masking_fields()
        submitted = st.form_submit_button(tr("import.submit"), type="primary")
    if not submitted:
        return
    if upload is None:
        st.warning(tr("import.no_file"))
        return
    try:
        config = imports.masking_settings(*masking[1:]) if masking[0] else None
    except ServiceError as exc:
        context.show_error(exc)
        return
    result = import_upload(upload.name, upload.getvalue(), tz, source, config)
    if result is not None:
        st.session_state[LAST_RESULT] = result


def _masking_fields() -> tuple[bool, list[str], str]:
    """The masking part of the form, preset from the deployment's settings."""
    try:
        enabled, config = imports.masking_defaults()
    except ServiceError as exc:
        context.show_error(exc)
        enabled, config = False, None
    kinds = [k for k in imports.MASK_KINDS if config is None or getattr(config, k)]
    custom = "\n".join(f"{c.name}: {c.pattern}" for c in (config.custom if config else ()))
    on = st.checkbox(tr("import.mask"), value=enabled, help=tr("import.mask_help"))
    chosen = st.multiselect(
        tr("import.mask_kinds"),
        imports.MASK_KINDS,
        default=kinds,
        format_func=lambda kind: tr(f"helpdesk.mask_kind.{kind}"),
        placeholder=tr("import.mask_kinds_none"),
    )
    patterns = st.text_area(
        tr("import.mask_custom"), value=custom, height=100, help=tr("import.mask_custom_help")
    )
    return on, chosen, patterns


def render_result(result: ImportResult) -> None:
    st.subheader(tr("import.result", file=user_text.inline(result.file_name)))
    counts = result.counts
    columns = st.columns(4)
    for column, key in zip(
        columns, ("imported", "updated", "unchanged", "rejected_rows"), strict=True
    ):
        column.metric(tr(f"import.count.{key}"), f"{counts[key]:,}")
    st.caption(
        tr(
            "import.result_caption",
            messages=f"{counts['messages']:,}",
            conversations=counts["rejected_conversations"],
        )
    )
    for note in result.notes:  # e.g. lines read as cp1251 in a UTF-8 file
        st.info(note, icon=":material/info:")
    if result.rejected.empty:
        st.success(tr("import.all_good"), icon=":material/check_circle:")
        return
    st.warning(tr("import.some_rejected"), icon=":material/warning:")
    st.dataframe(
        result.rejected,
        hide_index=True,
        width="stretch",
        column_config=rejected_columns(),  # the reason gets the room: it was cut mid-sentence
    )
    if result.errors_csv:
        st.download_button(
            tr("import.download_errors"),
            result.errors_csv,
            file_name=result.errors_name,
            mime="text/csv",
            icon=":material/download:",
        )


def render_history() -> None:
    st.subheader(tr("import.history"))
    try:
        runs = imports.import_screen(context.uow(), context.current_actor()).history
    except ServiceError as exc:
        context.show_error(exc)
        return
    if not runs:
        st.caption(tr("import.history_empty"))
        return
    interrupted = sum(run["status"] == "interrupted" for run in runs)
    if interrupted:
        st.warning(
            tr("import.history.some_interrupted", count=interrupted), icon=":material/warning:"
        )
    names = ("file_name", "started_at", "status", "imported", "updated", "unchanged")
    names = (*names, "rejected_rows")
    for run in runs:
        run["started_at"] = f"{run['started_at']:%Y-%m-%d %H:%M} UTC"
        run["status"] = tr(f"import.status.{run['status']}")
    frame = pd.DataFrame(
        {tr(f"import.history.{name}"): [run[name] for run in runs] for name in (*names, "messages")}
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def render() -> None:
    context.require_page(ACTION)
    st.title(tr("import.title"))
    st.caption(tr("import.intro"))
    render_upload()
    result = st.session_state.get(LAST_RESULT)
    if result is not None:
        render_result(result)
    render_history()

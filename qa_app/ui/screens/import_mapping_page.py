"""Import any CSV or XLSX: preview its first rows, map its columns to the standard fields
(guessed from the headers, or from a saved preset), say how to tell agents from customers
when there is no role column, save the mapping as a preset, and import it with the same
row-level report as the standard import.

AppTest cannot drive ``st.file_uploader``; ``render_mapping(name, data)`` draws everything
after the upload and the page tests call it directly inside an AppTest script.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from qa_app.services import imports
from qa_app.services.errors import ServiceError
from qa_app.ui import context
from qa_app.ui.context import tr
from qa_app.ui.screens import import_page

ACTION = "page.import_mapping"
RESULT = "mapping.result"
NOT_MAPPED = ""
CHANNELS = ("", "chat", "email", "phone", "messenger", "social")
LANGUAGES = ("", "ru", "en")


def _preview(name: str, data: bytes) -> imports.TablePreview | None:
    with tempfile.TemporaryDirectory(prefix="qa-mapping-") as folder:
        path = Path(folder) / f"upload{Path(name).suffix.lower()[:8]}"
        path.write_bytes(data)
        try:
            return imports.preview_file(path, Path(name).name, rows=5)
        except ServiceError as exc:
            context.show_error(exc)
            return None


def _field_label(field: str) -> str:
    return tr(f"mapping.field.{field}")


def _column_choices(preview: imports.TablePreview, start: dict[str, str]) -> dict[str, str]:
    options = (NOT_MAPPED, *preview.headers)
    labels = {NOT_MAPPED: tr("mapping.not_mapped"), **{h: h for h in preview.headers}}
    chosen: dict[str, str] = {}
    columns = st.columns(3)
    for index, field in enumerate(imports.MAPPING_FIELDS):
        current = start.get(field, NOT_MAPPED)
        value = columns[index % 3].selectbox(
            _field_label(field) + (" *" if field in ("conversation_id", "text") else ""),
            options,
            index=options.index(current) if current in options else 0,
            format_func=labels.__getitem__,
            key=f"mapping.column.{field}",
        )
        if value:
            chosen[field] = value
    return chosen


def _survey_start(preview: imports.TablePreview, start: dict[str, str]) -> dict[str, dict]:
    """Rating header -> {attribute, importance header} from a preset or the guessed headers."""
    ratings: dict[str, dict] = {}
    for name, header in start.items():
        kind, _, attribute = name.partition(":")
        if kind == "survey" and header in preview.headers:
            importance = start.get(f"survey_importance:{attribute}", NOT_MAPPED)
            ratings[header] = {"attribute": attribute, "importance": importance}
    return ratings


def _survey_choices(preview: imports.TablePreview, start: dict[str, str]) -> dict[str, str]:
    """Survey rating columns, each with its attribute name and an optional importance
    column: the fields the CSI is computed from."""
    st.subheader(tr("mapping.survey"), anchor=False)
    st.caption(tr("mapping.survey_help"))
    known = _survey_start(preview, start)
    picked = st.multiselect(
        tr("mapping.survey_ratings"), preview.headers, default=list(known),
        placeholder=tr("mapping.survey_none"), key="mapping.survey",
    )  # fmt: skip
    options = (NOT_MAPPED, *preview.headers)
    labels = {NOT_MAPPED: tr("mapping.not_mapped"), **{h: h for h in preview.headers}}
    chosen: dict[str, str] = {}
    for header in picked:
        left, right = st.columns(2)
        preset = known.get(header, {})
        attribute = left.text_input(
            tr("mapping.survey_attribute", column=header),
            value=preset.get("attribute") or imports.survey_attribute_for(header),
            key=f"mapping.survey.attribute.{header}",
        ).strip()
        importance = right.selectbox(
            tr("mapping.survey_importance", column=header), options,
            index=_position(options, preset.get("importance")), format_func=labels.__getitem__,
            key=f"mapping.survey.importance.{header}",
        )  # fmt: skip
        chosen[f"survey:{attribute}"] = header
        if importance:
            chosen[f"survey_importance:{attribute}"] = importance
    return chosen


def _position(options: tuple[str, ...], value: str | None) -> int:
    return options.index(value) if value in options else 0


def _document(preview: imports.TablePreview, preset: imports.ColumnMapping | None) -> dict:
    """The mapping drawn as a form; returns it as a document for the service to check."""
    start = preset.columns if preset else preview.guessed
    st.subheader(tr("mapping.columns"), anchor=False)
    st.caption(tr("mapping.columns_help"))
    columns = _column_choices(preview, start)
    columns.update(_survey_choices(preview, start))
    st.subheader(tr("mapping.roles"), anchor=False)
    left, right = st.columns(2)
    pattern = left.text_input(
        tr("mapping.agent_pattern"), value=preset.agent_pattern if preset else "",
        help=tr("mapping.agent_pattern_help"),
    )  # fmt: skip
    authors = right.text_area(
        tr("mapping.agent_authors"), value="\n".join(preset.agent_authors) if preset else "",
        help=tr("mapping.agent_authors_help"), height=80,
    )  # fmt: skip
    left, right = st.columns(2)
    defaults = preset.defaults if preset else {}
    from_file = tr("mapping.from_file")
    channels = {c: tr(f"overview.channel.{c}") if c else from_file for c in CHANNELS}
    languages = {lang: context.LANGUAGE_NAMES.get(lang) or from_file for lang in LANGUAGES}
    channel = left.selectbox(
        tr("mapping.default_channel"), CHANNELS,
        index=_position(CHANNELS, defaults.get("channel")), format_func=channels.__getitem__,
    )  # fmt: skip
    language = right.selectbox(
        tr("mapping.default_language"), LANGUAGES,
        index=_position(LANGUAGES, defaults.get("language")), format_func=languages.__getitem__,
    )  # fmt: skip
    return {
        "columns": columns,
        "agent_pattern": pattern.strip(),
        "agent_authors": [a.strip() for a in authors.splitlines() if a.strip()],
        "defaults": {k: v for k, v in (("channel", channel), ("language", language)) if v},
    }


def _save_preset(document: dict) -> None:
    left, right = st.columns((3, 1), vertical_alignment="bottom")
    name = left.text_input(tr("mapping.preset_name"), key="mapping.preset_name")
    if right.button(tr("mapping.save_preset"), icon=":material/save:"):
        try:
            mapping = imports.mapping_from_document(document)
            imports.do_save_preset(context.uow(), context.current_actor(), name, mapping,
                                   now=context.now())  # fmt: skip
        except ServiceError as exc:
            context.show_error(exc)
            return
        st.success(tr("mapping.saved", name=name.strip()), icon=":material/task_alt:")


def render_mapping(name: str, data: bytes, presets: dict[str, imports.ColumnMapping]) -> None:
    """Everything after the upload: preview, mapping, preset, import."""
    preview = _preview(name, data)
    if preview is None:
        return
    st.subheader(tr("mapping.preview", file=Path(name).name), anchor=False)
    frame = pd.DataFrame(preview.rows, columns=preview.headers)
    st.dataframe(frame, hide_index=True, width="stretch")
    names = {"": tr("mapping.guessed"), **{p: p for p in presets}}
    chosen = st.selectbox(
        tr("mapping.preset"), tuple(names), key="mapping.preset", format_func=names.__getitem__
    )
    document = _document(preview, presets.get(chosen) if chosen else None)
    _save_preset(document)
    left, right = st.columns(2)
    tz = left.selectbox(tr("import.default_tz"), import_page.ZONES, key="mapping.tz")
    source = right.text_input(
        tr("import.source"), value=imports.DEFAULT_SOURCE, key="mapping.source"
    )
    if st.button(tr("mapping.import"), type="primary", icon=":material/upload:"):
        try:
            reader = imports.mapped_reader(imports.mapping_from_document(document))
        except ServiceError as exc:
            context.show_error(exc)
            return
        result = import_page.import_upload(name, data, tz, source, None, reader)
        if result is not None:
            st.session_state[RESULT] = result
    result = st.session_state.get(RESULT)
    if result is not None:
        import_page.render_result(result)


def render() -> None:
    context.require_page(ACTION)
    st.title(tr("mapping.title"))
    st.caption(tr("mapping.intro"))
    try:
        presets = imports.do_list_presets(context.uow(), context.current_actor())
    except ServiceError as exc:
        context.show_error(exc)
        return
    upload = st.file_uploader(
        tr("import.file"), type=["csv", "txt", "tsv", "xlsx"],
        help=tr("import.file_help", limit=imports.upload_limit_mb()),
    )  # fmt: skip
    if upload is None:
        st.session_state.pop(RESULT, None)
        return
    render_mapping(upload.name, upload.getvalue(), presets)

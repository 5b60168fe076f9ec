"""``qa-studio mapping guess|save|list``: column mappings for importing any CSV or XLSX.

``guess FILE`` prints the first rows and a mapping guessed from the header names (Russian
or English) as YAML; edit it, ``save NAME mapping.yaml`` stores it as a preset, and
``qa-studio import --mapping NAME FILE`` imports with it (the same row-level report as the
standard import).
"""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from qa_app.cli.context import unit_of_work
from qa_app.cli.errors import cli_error
from qa_app.services import imports
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import ServiceError


@click.group("mapping")
def mapping_group() -> None:
    """Column mappings (presets) for importing any CSV or XLSX."""


@mapping_group.command("guess")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--rows", default=5, show_default=True, type=click.IntRange(1, 100))
def guess_command(file: Path, rows: int) -> None:
    """Show FILE's first rows and the mapping guessed from its headers (YAML)."""
    try:
        preview = imports.preview_file(file, rows=rows)
    except ServiceError as exc:
        raise cli_error(exc) from exc
    click.echo("# columns: " + " | ".join(preview.headers))
    for row in preview.rows:
        click.echo("# " + " | ".join(cell.replace("\n", " ")[:40] for cell in row))
    document = {"columns": preview.guessed}
    if "role" not in preview.guessed:
        document["agent_pattern"] = ""
        document["agent_authors"] = []
    click.echo(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), nl=False)
    unmapped = [h for h in preview.headers if h not in preview.guessed.values()]
    if unmapped:
        click.echo("# not mapped: " + ", ".join(unmapped))


@mapping_group.command("save")
@click.argument("name")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.pass_context
def save_command(ctx: click.Context, name: str, file: Path) -> None:
    """Save the mapping in the YAML FILE as the preset NAME (replacing one of that name)."""
    try:
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise click.BadParameter(f"cannot read {file}: {exc}", param_hint="FILE") from None
    try:
        mapping = imports.mapping_from_document(document)
        imports.do_save_preset(unit_of_work(ctx), SYSTEM, name, mapping)
    except ServiceError as exc:
        raise cli_error(exc) from exc
    click.echo(f"saved mapping preset {name!r}: " + ", ".join(
        f"{field} <- {column}" for field, column in mapping.columns.items()
    ))  # fmt: skip


@mapping_group.command("list")
@click.pass_context
def list_command(ctx: click.Context) -> None:
    """List saved mapping presets."""
    try:
        presets = imports.do_list_presets(unit_of_work(ctx), SYSTEM)
    except ServiceError as exc:
        raise cli_error(exc) from exc
    for name, mapping in presets.items():
        rule = f"; agents: /{mapping.agent_pattern}/" if mapping.agent_pattern else ""
        columns = ", ".join(f"{f} <- {c}" for f, c in mapping.columns.items())
        click.echo(f"{name}: {columns}{rule}")
    if not presets:
        click.echo("no mapping presets yet (qa-studio mapping guess FILE > m.yaml; mapping save)")


def register(group: click.Group) -> None:
    group.add_command(mapping_group)

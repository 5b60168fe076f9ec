"""How an import is asked for: options, and the settings read from the environment."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from qa_app.ingest import MaskingConfig, MaskingConfigError
from qa_app.ingest.masking import (
    load_masking_config,
    masking_config_from_mapping,
    masking_enabled_by_default,
)
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput

DEFAULT_TZ_ENV = "QA_STUDIO_DEFAULT_TZ"
DEFAULT_SOURCE = "import"


@dataclass(slots=True)
class ImportOptions:
    source: str = DEFAULT_SOURCE
    default_tz: str | None = None  # None: $QA_STUDIO_DEFAULT_TZ, else UTC
    errors_dir: Path | None = None  # None: next to the input file
    display_name: str | None = None  # the user's file name when importing an upload
    lang: str = "en"  # language of the reasons in the errors CSV
    masking: MaskingConfig | None = None  # None: store text as it is; else mask personal data
    batch_size: int = 2000
    batch_messages: int = 20_000
    progress_interval: float = 0.25  # seconds between progress callbacks
    clock: Callable[[], datetime] = utc_now  # injected by tests: run times, heartbeats


UPLOAD_LIMIT_ENV = "QA_STUDIO_UPLOAD_LIMIT_MB"
DEFAULT_UPLOAD_LIMIT_MB = 50


def upload_limit_mb() -> int:
    """The largest upload the app accepts, in MB (the server is started with the same limit)."""
    try:
        return max(1, int(os.environ.get(UPLOAD_LIMIT_ENV, DEFAULT_UPLOAD_LIMIT_MB)))
    except ValueError:
        return DEFAULT_UPLOAD_LIMIT_MB


def default_timezone_name() -> str:
    return os.environ.get(DEFAULT_TZ_ENV) or "UTC"


def errors_file_path(source_path: Path, name: str, errors_dir: Path | None, now: datetime) -> Path:
    """``import-errors-<name>-<time>.csv`` in ``errors_dir``, else next to the input file."""
    folder = Path(errors_dir) if errors_dir else source_path.parent
    return folder / f"import-errors-{Path(name).stem}-{now:%Y%m%d-%H%M%S}.csv"


MASK_KINDS = ("email", "phone", "card", "passport", "customer_name")


def masking_defaults() -> tuple[bool, MaskingConfig]:
    """What the Import page starts with: on or off as ``QA_STUDIO_MASK`` says, kinds and
    custom patterns from ``QA_STUDIO_MASKING_CONFIG`` (the CLI reads the same two)."""
    try:
        return masking_enabled_by_default(), load_masking_config()
    except MaskingConfigError as exc:
        raise InvalidInput(str(exc), key="import.masking_invalid", detail=exc.describe()) from None


def masking_settings(kinds: Iterable[str], custom_lines: str) -> MaskingConfig:
    """A masking configuration from the page's form: the kinds ticked, and one custom
    regular expression per line (``name: pattern`` names it); checked like the YAML file."""
    chosen = set(kinds)
    unknown = sorted(chosen - set(MASK_KINDS))
    if unknown:
        detail = f"unknown masking kind {unknown[0]!r}"
        raise InvalidInput(detail, key="import.masking_invalid", detail=detail)
    custom = []
    for line in custom_lines.splitlines():
        if not line.strip():
            continue
        name, sep, pattern = line.partition(": ")
        if sep and name.strip().isidentifier():
            custom.append({"name": name.strip(), "pattern": pattern})
        else:
            custom.append({"pattern": line.strip()})
    data = {kind: kind in chosen for kind in MASK_KINDS} | {"custom": custom}
    try:
        return masking_config_from_mapping(data, "form")
    except MaskingConfigError as exc:
        raise InvalidInput(str(exc), key="import.masking_invalid", detail=exc.describe()) from None

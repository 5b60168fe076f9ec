"""``qa-studio serve``'s single sign-on settings: checked, then written as Streamlit's
``[auth]`` secrets (provider ``sso``) into a private file only the server reads.

The client secret and the cookie secret come from the environment, never from the command
line (where ``ps`` would show them) and never from a file in the repository. The mapping
file is validated before the server starts, so a typo in a role stops the start with the
rule's number instead of letting the wrong people in (docs/sso.md).
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import click

from qa_app.services import accounts

CLIENT_SECRET_ENV = "QA_STUDIO_SSO_CLIENT_SECRET"
COOKIE_SECRET_ENV = "QA_STUDIO_SSO_COOKIE_SECRET"
MAPPING_ENV = "QA_STUDIO_SSO_MAPPING"  # read by the app (qa_app/ui/sso.py)
PROVIDER = "sso"
DEFAULT_SCOPE = "openid profile email"


@dataclass(frozen=True, slots=True)
class SsoSettings:
    issuer: str
    client_id: str
    client_secret: str
    mapping: Path
    public_url: str
    scope: str = DEFAULT_SCOPE
    cookie_secret: str = ""

    def secrets_toml(self) -> str:
        """Streamlit's ``[auth]`` and ``[auth.sso]`` sections (strings JSON-quoted, which
        TOML reads back unchanged)."""
        q = json.dumps
        metadata = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        return "\n".join([
            "[auth]",
            f"redirect_uri = {q(self.public_url.rstrip('/') + '/oauth2callback')}",
            f"cookie_secret = {q(self.cookie_secret)}",
            "",
            f"[auth.{PROVIDER}]",
            f"client_id = {q(self.client_id)}",
            f"client_secret = {q(self.client_secret)}",
            f"server_metadata_url = {q(metadata)}",
            f"client_kwargs = {{ scope = {q(self.scope)} }}",
            "",
        ])  # fmt: skip


def _url(value: str, what: str) -> str:
    parsed = urlparse(value or "")
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise click.UsageError(f"{what} must be an absolute http(s) URL, not {value!r}")
    return value.rstrip("/")


def settings_from(
    issuer: str | None,
    client_id: str | None,
    mapping: str | None,
    public_url: str | None,
    scope: str,
    host: str,
    port: int,
) -> SsoSettings | None:
    """The checked settings, or None when single sign-on is not asked for; a missing or
    wrong piece is a UsageError that names it."""
    if not (issuer or client_id or mapping):
        return None
    missing = [name for name, value in (("--sso-issuer", issuer), ("--sso-client-id", client_id),
               ("--sso-mapping", mapping)) if not value]  # fmt: skip
    if missing:
        raise click.UsageError(f"single sign-on also needs {', '.join(missing)}")
    client_secret = os.environ.get(CLIENT_SECRET_ENV, "")
    if not client_secret:
        raise click.UsageError(f"single sign-on needs the client secret in {CLIENT_SECRET_ENV}")
    if public_url is None and host in ("0.0.0.0", "::"):
        raise click.UsageError("with --host 0.0.0.0 give --public-url (the address users open)")
    try:
        accounts.load_sso_mapping(mapping)
    except accounts.SsoMappingError as exc:
        raise click.UsageError(f"the mapping {mapping} is invalid at {exc.params['where']}: "
                               f"{exc.params['detail']}") from exc  # fmt: skip
    cookie_secret = os.environ.get(COOKIE_SECRET_ENV, "") or secrets.token_urlsafe(32)
    return SsoSettings(
        issuer=_url(issuer, "--sso-issuer"), client_id=client_id, client_secret=client_secret,
        mapping=Path(mapping).resolve(), scope=scope, cookie_secret=cookie_secret,
        public_url=_url(public_url or f"http://{host}:{port}", "--public-url"),
    )  # fmt: skip


def write_secrets(settings: SsoSettings) -> Path:
    """The secrets file in a new private directory (mode 0700, file 0600)."""
    folder = Path(tempfile.mkdtemp(prefix="qa-studio-sso-"))
    path = folder / "secrets.toml"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(settings.secrets_toml())
    return path

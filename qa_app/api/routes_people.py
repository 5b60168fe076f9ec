"""The caller's own account and tokens, agents' scorecards, and exports."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from qa_app.api.app import needs
from qa_app.api.auth import Caller, caller
from qa_app.api.schemas import ERRORS, TokenRequest, plain
from qa_app.services import accounts, scorecards

router = APIRouter(responses=ERRORS)
AGENT_ID = Path(ge=1, le=2**31 - 1)
START = Query(description="First day of the period (inclusive)")
END = Query(description="Last day of the period (inclusive)")
EXPORT_FORMATS = ("csv", "xlsx")
FORMAT = Query("csv", pattern="^(csv|xlsx)$", description="csv or xlsx")
READ_SCORECARD = ("scorecard.read_team", "scorecard.read_own")


@router.get("/me", openapi_extra=needs("account.api_tokens"), summary="Who the token acts as")
def me(who: Caller = Depends(caller)) -> dict:
    actor = who.actor
    return {"username": actor.username, "role": actor.role, "agent_id": actor.agent_id,
            "team_id": actor.team_id, "language": actor.language}  # fmt: skip


@router.get("/tokens", openapi_extra=needs("account.api_tokens"), summary="The caller's tokens")
def list_tokens(who: Caller = Depends(caller)) -> dict:
    rows = accounts.do_list_api_tokens(who.uow(), who.actor, who.actor.username)
    return {"tokens": plain(rows)}


@router.post(
    "/tokens", status_code=201, openapi_extra=needs("account.api_tokens"),
    summary="Create another token for the caller (shown once in the answer)",
)  # fmt: skip
def create_token(request: TokenRequest, who: Caller = Depends(caller)) -> dict:
    row, token = accounts.do_create_api_token(
        who.uow(), who.actor, who.actor.username, request.name, days=request.days
    )
    return {"token": token, **plain(row)}


@router.delete(
    "/tokens/{token_id}", openapi_extra=needs("account.api_tokens"),
    summary="Revoke one of the caller's tokens (an admin: anyone's)",
)  # fmt: skip
def revoke_token(token_id: int = Path(ge=1, le=2**31 - 1), who: Caller = Depends(caller)) -> dict:
    return plain(accounts.do_revoke_api_token(who.uow(), who.actor, token_id))


def _period(start: date, end: date) -> scorecards.Period:
    return scorecards.Period(start, end)


@router.get(
    "/agents/{agent_id}/scorecard", openapi_extra=needs(*READ_SCORECARD),
    summary="An agent's scorecard for a period (agents: only their own)",
)  # fmt: skip
def scorecard(
    agent_id: int = AGENT_ID, start: date = START, end: date = END,
    who: Caller = Depends(caller),
) -> dict:  # fmt: skip
    card = scorecards.scorecard_screen(who.uow(), who.actor, agent_id, _period(start, end))
    return _scorecard_json(card)


def _scorecard_json(card: scorecards.Scorecard) -> dict:
    """The scorecard's figures; each estimate carries its interval and n."""
    keep = ("agent_id", "agent_name", "agent_login", "team_name", "quality", "critical",
            "team_quality", "versus_team", "versus_previous", "target", "criteria",
            "categories", "trend", "distribution", "csat", "nps", "csi", "fcr", "service",
            "channels", "findings", "best", "worst")  # fmt: skip
    out = {name: plain(getattr(card, name)) for name in keep}
    out["period"] = {"start": card.period.start.isoformat(), "end": card.period.end.isoformat()}
    out["reviews"] = len(card.reviews)
    return out


def _file(export: scorecards.ExportFile) -> Response:
    disposition = f'attachment; filename="{export.file_name}"'
    return Response(export.data, media_type=export.mime,
                    headers={"Content-Disposition": disposition})  # fmt: skip


FILE = {200: {"content": {"text/csv": {}, scorecards.MIME_XLSX: {}},
              "description": "the file"}}  # fmt: skip


@router.get(
    "/agents/{agent_id}/scorecard/export", openapi_extra=needs(*READ_SCORECARD),
    response_class=Response, responses=FILE,
    summary="An agent's scorecard as CSV or XLSX (as the scorecard page exports it)",
)  # fmt: skip
def export_scorecard(
    agent_id: int = AGENT_ID, start: date = START, end: date = END, format: str = FORMAT,
    who: Caller = Depends(caller),
) -> Response:  # fmt: skip
    lang = who.actor.language
    export = scorecards.do_export_scorecard(
        who.uow(), who.actor, agent_id, _period(start, end), format, lang
    )
    return _file(export)


@router.get(
    "/exports/reviews", openapi_extra=needs("scorecard.team_dashboard"),
    response_class=Response, responses=FILE,
    summary="Counted reviews of the caller's teams as CSV or XLSX (leads)",
)  # fmt: skip
def export_reviews(
    start: date = START, end: date = END, format: str = FORMAT, who: Caller = Depends(caller)
) -> Response:
    lang = who.actor.language
    export = scorecards.do_export_reviews(who.uow(), who.actor, _period(start, end), format, lang)
    return _file(export)

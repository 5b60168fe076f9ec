"""Conversations in (single and batch pushes, idempotent on the external id), and what
was made of them: their reviews and automatic scores."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Body, Depends, Path, Query
from fastapi.responses import JSONResponse

from qa_app.api.app import needs
from qa_app.api.auth import Caller, caller
from qa_app.api.schemas import CONVERSATION_EXAMPLE, ERRORS, ConversationBatch, plain, rejection
from qa_app.services import autoqa, imports, reviews

router = APIRouter(responses=ERRORS)
SOURCE = Query(imports.DEFAULT_SOURCE, min_length=1, max_length=120,
               description="The system the ids come from (the import's source)")  # fmt: skip


def _options(source: str, lang: str) -> imports.ImportOptions:
    """The same options as a file import: masking as the deployment configures it."""
    enabled, masking = imports.masking_defaults()
    return imports.ImportOptions(source=source, lang=lang, masking=masking if enabled else None)


def _push(who: Caller, records: list[Any], source: str) -> imports.ImportSummary:
    return imports.do_import_records(
        who.uow(), who.actor, records, _options(source, who.actor.language)
    )


@router.post(
    "/conversations", status_code=201, openapi_extra=needs("import.run"),
    summary="Push one conversation (created, updated or unchanged by its id)",
    responses={200: {"description": "updated or unchanged"}},
)  # fmt: skip
def push_conversation(
    conversation: dict[str, Any] = Body(examples=[CONVERSATION_EXAMPLE]),
    source: str = SOURCE,
    who: Caller = Depends(caller),
):
    summary = _push(who, [conversation], source)
    lang = who.actor.language
    rejected = [rejection(item, lang) for item in summary.rejections]
    if summary.rejected_conversations:
        problems = [p for item in rejected for p in item["problems"]]
        return JSONResponse(
            {"error": "rejected", "message": "the conversation was not imported",
             "problems": problems}, status_code=422)  # fmt: skip
    status = "created" if summary.imported else "updated" if summary.updated else "unchanged"
    return JSONResponse(
        {"status": status, "external_id": str(conversation.get("conversation_id", "")),
         "run_id": summary.run_id, "messages": summary.messages, "rejections": rejected},
        status_code=201 if summary.imported else 200,
    )  # fmt: skip


@router.post(
    "/conversations/batch", openapi_extra=needs("import.run"),
    summary="Push many conversations; rejected items are listed with field and reason",
)  # fmt: skip
def push_batch(batch: ConversationBatch, source: str = SOURCE, who: Caller = Depends(caller)):
    summary = _push(who, batch.conversations, source)
    lang = who.actor.language
    return {
        "run_id": summary.run_id, "imported": summary.imported, "updated": summary.updated,
        "unchanged": summary.unchanged, "messages": summary.messages,
        "rejected_conversations": summary.rejected_conversations,
        "rejected_rows": summary.rejected_rows,
        "rejections": [rejection(item, lang) for item in summary.rejections],
    }  # fmt: skip


@router.get(
    "/conversations/{external_id}/scores", openapi_extra=needs("autoqa.read"),
    summary="Automatic scores of one conversation",
)  # fmt: skip
def conversation_scores(
    external_id: str, source: str = SOURCE, who: Caller = Depends(caller)
) -> dict:
    found = autoqa.do_conversation_scores(who.uow(), who.actor, external_id, source)
    return plain(found)


READ_REVIEWS = ("review.read_any", "review.read_own", "results.view_own")


@router.get(
    "/reviews", openapi_extra=needs(*READ_REVIEWS),
    summary="Submitted reviews the caller may read (leads all, reviewers their own, "
    "agents those of their conversations)",
)  # fmt: skip
def list_reviews(
    external_id: str | None = Query(None, max_length=200),
    agent_id: int | None = Query(None, ge=1, le=2**31 - 1),
    submitted_since: datetime | None = None,
    limit: int = Query(100, ge=1, le=reviews.MAX_REVIEWS_PAGE),
    offset: int = Query(0, ge=0, le=2**31 - 1),
    who: Caller = Depends(caller),
) -> dict:
    if submitted_since is not None and submitted_since.tzinfo is None:
        submitted_since = submitted_since.replace(tzinfo=UTC)  # a time without zone is UTC
    found = reviews.do_list_reviews(
        who.uow(), who.actor, external_id=external_id, agent_id=agent_id,
        submitted_since=submitted_since, limit=limit, offset=offset,
    )  # fmt: skip
    return {"reviews": plain(found), "limit": limit, "offset": offset}


@router.get(
    "/reviews/{review_id}", openapi_extra=needs(*READ_REVIEWS), summary="One submitted review"
)
def read_review(review_id: int = Path(ge=1, le=2**31 - 1), who: Caller = Depends(caller)) -> dict:
    return plain(reviews.do_read_review(who.uow(), who.actor, review_id))

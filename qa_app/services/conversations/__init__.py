"""Conversations as people read them: transcripts, channel SLAs, response gaps.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.conversations.transcript import (
    ConversationHeader,
    HandoverFacts,
    Transcript,
    channel_sla,
    first_response_breached,
    load_transcript,
)

__all__ = [
    "ConversationHeader",
    "HandoverFacts",
    "Transcript",
    "channel_sla",
    "first_response_breached",
    "load_transcript",
]

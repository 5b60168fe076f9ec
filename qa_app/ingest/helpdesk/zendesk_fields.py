"""Zendesk's vocabulary and the ticket fields read from it: the field names the API
documents (for the report of unknown fields), via types and channels, statuses, CSAT.

Sources and mapping decisions are in the docstring of ``zendesk``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from qa_app.ingest.helpdesk.common import FieldReport, names, plain_id, text_or_none

if TYPE_CHECKING:
    from qa_app.ingest.helpdesk.zendesk_export import Export

SOURCE = "zendesk"
TICKET_FIELDS = names(
    "allow_attachments allow_channelback assignee_email assignee_id attribute_value_ids "
    "brand_id collaborator_ids collaborators comment comments created_at custom_fields "
    "custom_status_id description due_at email_cc_ids email_ccs encoded_id external_id fields "
    "follower_ids followers followup_ids forum_topic_id from_messaging_channel "
    "generated_timestamp group_id has_incidents id is_public macro_id macro_ids metadata "
    "organization_id priority problem_id raw_subject recipient requester requester_id "
    "result_type safe_update satisfaction_rating sharing_agreement_ids status subject "
    "submitter_id tags ticket_form_id type updated_at updated_stamp url via "
    "via_followup_source_id via_id voice_comment"
)
COMMENT_FIELDS = names(
    "attachments audit_id author_id body created_at data event_type formatted_from "
    "formatted_to html_body id metadata plain_body public transcription_visible trusted type "
    "uploads via via_reference_id"
)
PAGE_FIELDS = names(
    "after_cursor after_url audits before_cursor before_url comments count end_of_stream "
    "end_time groups links meta next_page organizations previous_page satisfaction_ratings "
    "ticket ticket_events tickets users metric_sets dates"
)
# Via ids -> via types (Zendesk's via types reference).
VIA_IDS = {
    0: "web_form", 4: "mail", 5: "web_service", 8: "rule", 15: "iphone", 16: "get_satisfaction",
    17: "dropbox", 19: "merge", 20: "batch", 23: "twitter_favorite", 24: "topic",
    26: "twitter_dm", 27: "closed_ticket", 29: "chat", 30: "twitter", 31: "ticket_sharing",
    33: "voicemail", 34: "phone_call_inbound", 35: "phone_call_outbound", 36: "blog",
    37: "text_message", 38: "facebook_post", 39: "import", 40: "github",
    41: "facebook_message", 44: "api_voicemail", 45: "api_phone_call_inbound",
    46: "api_phone_call_outbound", 48: "web_widget", 49: "mobile_sdk", 50: "helpcenter",
    54: "satisfaction_prediction", 55: "any_channel", 56: "mobile", 57: "sms",
}  # fmt: skip
CHANNELS = {
    "phone": "voice voicemail phone phone_call_inbound phone_call_outbound api_voicemail "
    "api_phone_call_inbound api_phone_call_outbound",
    "chat": "chat chat_transcript chat_offline_message web_widget native_messaging mobile_sdk "
    "messaging sunshine_conversations_api",
    "messenger": "whatsapp telegram viber line wechat kakaotalk sms text_message twilio_sms "
    "messagebird_sms connect_sms google_business_messages google_rcs apple_business_chat "
    "business_messaging_slack_connect",
    "social": "twitter twitter_dm twitter_favorite x facebook facebook_post facebook_message "
    "instagram_dm sunshine_conversations_facebook_messenger sunshine_conversations_twitter_dm",
    # Asynchronous written requests: e-mail, web forms, the API and everything automatic.
    "email": "mail email web web_form web_service api helpcenter dropbox closed_ticket "
    "ticket_sharing batch import topic forum mobile iphone rule merge linked_problem blog "
    "github get_satisfaction any_channel side_conversation connect_mail",
}
CHANNEL_OF = {name: channel for channel, names in CHANNELS.items() for name in names.split()}
STATUSES = {
    "new": "open", "open": "open", "pending": "pending", "hold": "pending",
    "solved": "resolved", "closed": "resolved",
}  # fmt: skip
CSAT = {"good": 5, "bad": 1}
UNRATED = ("offered", "unoffered")
AUTOMATIC_VIA = ("rule", "automatic_solution_suggestions")
AUTOMATIC_FLAG = 4  # comment metadata flag: "The comment was automatically generated"
TICKET_MARKS = ("via", "requester_id", "status", "subject", "description", "comments")
FIELD_NAMES = {
    "channel": "via.channel", "started_at": "created_at", "customer_id": "requester_id",
    "customer_name": "users.name", "csat": "satisfaction_rating.score", "team": "groups.name",
}  # fmt: skip


def via_name(channel: object) -> str | None:
    if isinstance(channel, int) and not isinstance(channel, bool):
        return VIA_IDS.get(channel, str(channel))
    text = text_or_none(channel)
    if text is not None and text.isdigit():
        return VIA_IDS.get(int(text), text)
    return text.lower() if text else None


def ticket_channel(ticket: dict, report: FieldReport) -> str:
    via = ticket.get("via")
    name = via_name(via.get("channel")) if isinstance(via, dict) else None
    if name is None:
        return "email"
    channel = CHANNEL_OF.get(name)
    if channel is None:
        report.note("unknown_value", field="via.channel", value=name, used="email")
        return "email"
    return channel


def ticket_status(ticket: dict, report: FieldReport) -> str | None:
    status = text_or_none(ticket.get("status"))
    if status is None:
        return None
    mapped = STATUSES.get(status.lower())
    if mapped is None:
        report.note("unknown_value", field="ticket.status", value=status, used="open")
        return "open"
    return mapped


def ticket_csat(ticket: dict, export: Export, report: FieldReport) -> int | None:
    rating = ticket.get("satisfaction_rating")
    if not isinstance(rating, dict):
        rating = export.ratings.get(plain_id(ticket.get("id")) or "", {})
    score = text_or_none(rating.get("score"))
    if score is None or score.lower() in UNRATED:
        return None
    value = CSAT.get(score.lower().split("_")[0])
    if value is None:
        report.note("unknown_value", field="satisfaction_rating.score", value=score, used="-")
    return value


def ticket_tags(ticket: dict, report: FieldReport) -> list[str] | None:
    tags = ticket.get("tags")
    if tags is None or isinstance(tags, list):
        return tags
    report.note("bad_type", field="ticket.tags", expected="array")
    return None


def zendesk_time(value: object) -> object:
    """ISO 8601 as the API returns it today; the older ``2011/09/25 22:35:44 -0700`` form
    of past API versions is converted so both parse."""
    if isinstance(value, str) and len(value) > 10 and value[4] == "/":
        try:
            return datetime.strptime(value.strip(), "%Y/%m/%d %H:%M:%S %z").isoformat()
        except ValueError:
            return value
    return value

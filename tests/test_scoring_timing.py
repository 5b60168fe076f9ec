"""Response and handle times against SLA targets, with hand-computed times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from scoring.pipeline.conversation import ChannelSla, Conversation, Message, SlaTargets
from scoring.pipeline.timing import TimingAnalyzer, timing_signals

MSK = timezone(timedelta(hours=3))
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def chat(*messages: Message, channel: str = "chat") -> Conversation:
    return Conversation("c", channel, "ru", list(messages))


def test_first_response_breach_names_the_message_pair():
    result = TimingAnalyzer().analyze(
        chat(
            Message("customer", "Здравствуйте", at(0)),
            Message("agent", "Добрый день", at(20)),  # 20 min > 15 min chat target
            Message("customer", "Не работает", at(22)),
            Message("agent", "Проверяю", at(25)),  # 3 min: within 5 min
        )
    )
    assert result.first_response == 1200.0
    assert result.avg_response == pytest.approx((1200 + 180) / 2)
    assert result.longest_response == 1200.0
    assert result.handle == 25 * 60
    kinds = [(b.kind, b.start_index, b.end_index, b.target) for b in result.breaches]
    assert kinds == [("first_response", 0, 1, 900.0)]  # not counted again as a reply


def test_consecutive_messages_system_lines_and_time_zones():
    result = TimingAnalyzer().analyze(
        chat(
            Message("customer", "Алло", datetime(2026, 3, 2, 13, 0, tzinfo=MSK)),  # 10:00 UTC
            Message("customer", "Есть кто?", at(3)),
            Message("system", "Диалог передан оператору", at(4)),
            Message("agent", "Здравствуйте!", at(10)),  # from the first unanswered line
            Message("agent", "Чем помочь?", at(11)),  # same side again: no new pair
        )
    )
    assert [(p.customer_index, p.agent_index, p.seconds) for p in result.pairs] == [(0, 3, 600.0)]
    assert result.first_response == 600.0 and not result.breaches


def test_naive_timestamps_are_utc_and_mix_with_aware_ones():
    result = TimingAnalyzer().analyze(
        chat(
            Message("customer", "Hi", datetime(2026, 3, 2, 10, 0)),
            Message("agent", "Hello", datetime(2026, 3, 2, 13, 2, tzinfo=MSK)),
        )
    )
    assert result.first_response == 120.0


def test_missing_timestamps_are_unmeasured_not_guessed():
    result = TimingAnalyzer().analyze(
        chat(
            Message("customer", "Hi", None),
            Message("agent", "Hello", at(30)),
            Message("customer", "Still there?", at(40)),
            Message("agent", "Yes", None),
            Message("customer", "Ok", at(50)),
            Message("agent", "Done", at(52)),
        )
    )
    assert result.unmeasured_pairs == 2
    assert result.first_response is None  # the first wait cannot be measured
    assert [p.seconds for p in result.pairs] == [120.0]
    assert result.handle == 22 * 60


def test_phone_has_no_response_sla_only_handle_time():
    call = chat(
        Message("customer", "Добрый день", at(0)),
        Message("agent", "Слушаю вас", at(30)),
        Message("customer", "Спасибо", at(20)),
        channel="phone",
    )
    result = TimingAnalyzer().analyze(call)
    assert result.first_response is None and result.pairs == ()
    assert result.handle == 1800.0
    assert [(b.kind, b.target) for b in result.breaches] == [("handle", 900.0)]


def test_email_targets_and_custom_targets():
    mail = chat(
        Message("customer", "Refund?", at(0)),
        Message("agent", "Done", at(100)),
        channel="email",
    )
    assert not TimingAnalyzer().analyze(mail).breached("first_response")  # 100 min < 2 h
    strict = SlaTargets().with_channel("email", first_response=3600.0)
    assert TimingAnalyzer(strict).analyze(mail).breached("first_response")
    assert SlaTargets().for_channel("carrier pigeon") == SlaTargets().chat
    assert SlaTargets().phone == ChannelSla(None, None, 900.0)
    with pytest.raises(ValueError):
        SlaTargets().with_channel("fax", handle=1.0)


def test_timing_signals_flags_shares_and_evidence():
    result = TimingAnalyzer().analyze(
        chat(
            Message("customer", "Hi", at(0)),
            Message("agent", "Hello", at(20)),
            Message("customer", "?", at(21)),
            Message("agent", "Yes", at(22)),
            Message("customer", "??", at(23)),
            Message("agent", "Sorry, checking", at(33)),  # 10 min > 5 min
        )
    )
    signals = {s.name: s for s in timing_signals(result)}
    assert signals["first_response_sla"].value == 0.0
    assert signals["response_time_sla"].value == 0.5  # replies after the first: 1 of 2
    assert signals["response_time_sla"].evidence[0][0] == 5
    assert signals["first_response_time"].value == 1200.0
    # 1200 s against 900 s: 1 - 300 / 1800
    assert signals["first_response_time"].normalised == pytest.approx(1 - 300 / 1800, abs=1e-4)
    assert signals["first_response_sla"].evidence[0][0] == 1

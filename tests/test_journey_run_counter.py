"""The journeys' run counter (``journeys.RUN_COUNTER``) reads Streamlit's ForwardMsg bytes
by hand in the page, so it is checked here in chromium against messages that Streamlit's
own protobuf classes encode: a run chain ends on ``script_finished`` unless the run was
stopped for the next run of its chain, and no other message counts. A misread here makes
every journey wait until it times out."""

from __future__ import annotations

import pytest
from journeys import RUN_COUNTER
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

pytestmark = pytest.mark.browser


def _finished(status: int, *, hash_: str = "", delta_path: tuple[int, ...] = ()) -> ForwardMsg:
    msg = ForwardMsg()
    msg.hash = hash_
    msg.metadata.delta_path.extend(delta_path)
    msg.script_finished = status
    return msg


def _messages() -> list[tuple[str, ForwardMsg, bool]]:
    running = ForwardMsg()
    running.session_status_changed.script_is_running = True
    session = ForwardMsg()
    session.hash = "h" * 40
    session.new_session.name = "x" * 300  # a length that takes two varint bytes
    delta = ForwardMsg()
    delta.metadata.delta_path.extend([0, 4, 1])
    delta.delta.new_element.markdown.body = "y" * 20_000
    return [
        ("finished", _finished(ForwardMsg.FINISHED_SUCCESSFULLY), True),
        ("finished after hash and metadata",
         _finished(ForwardMsg.FINISHED_SUCCESSFULLY, hash_="abc" * 10, delta_path=(0, 1)), True),
        ("compile error", _finished(ForwardMsg.FINISHED_WITH_COMPILE_ERROR, hash_="a"), True),
        ("fragment run", _finished(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY), True),
        ("stopped for the next run of the chain",
         _finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN, hash_="abc", delta_path=(2,)), False),
        ("session status", running, False),
        ("new session", session, False),
        ("a large delta", delta, False),
    ]  # fmt: skip


def test_the_run_counter_reads_streamlit_messages(chromium):
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.evaluate(RUN_COUNTER)
        cases = _messages()
        read = page.evaluate(
            "(all) => all.map((b) => window.__qaChainEnded(new Uint8Array(b).buffer))",
            [list(msg.SerializeToString()) for _, msg, _ in cases],
        )
        assert {name: got for (name, _, _), got in zip(cases, read, strict=True)} == {
            name: ended for name, _, ended in cases
        }
    finally:
        context.close()

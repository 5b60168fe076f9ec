"""Hostile strings for every place the app shows what people wrote (issue 12, item 5).

``HOSTILE`` is the corpus: each string tries to change the page if it were interpreted
(Markdown images and links that would fetch from ``EVIL_HOST``, raw HTML, a blank line made
of carriage returns that ends an HTML block, control and invisible characters, an unbroken
10,000-character word). ``seed_hostile(url)`` stores them everywhere a page shows user text:
messages, the conversation's subject, tags and agent name, review and grade comments, a
dispute's reason and answer, a calibration session's name, notes and grades.

``check_not_interpreted(at)`` reads every Markdown source a page run produced (AppTest),
parses it as CommonMark with raw HTML (markdown-it-py, as the browser's renderer would) and
fails on any element or attribute the app does not write itself (``img``, ``a``, ``script``,
comments, inline styles, links to ``EVIL_HOST``); ``shown_text(at)`` is the text a reader
sees, for asserting that each string appears literally (``user_text.visible``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown_it import MarkdownIt

EVIL_HOST = "evil.invalid"
LONG_WORD = "Ы" * 5000 + "W" * 5000

#: (name, text). Names appear in test ids; texts hold one attack each.
HOSTILE: tuple[tuple[str, str], ...] = (
    ("cr_cr_image", f"first line\r\r![pixel](http://{EVIL_HOST}/cr.png) after two CRs"),
    ("crlf_image", f"line\r\n\r\n![pixel](https://{EVIL_HOST}/crlf.png)"),
    ("lone_cr", "a\rb\rc ok"),
    ("nul", "before\x00after NUL"),
    ("zero_width", "pass\u200bword\u200c\ufeff\u2060 hidden"),
    ("bidi_override", "invoice \u202egnp.exe\u202c and \u2066isolate\u2069"),
    ("markdown_image", f"![img](http://{EVIL_HOST}/md.png)"),
    ("markdown_link", f"[click me](http://{EVIL_HOST}/phish) and <http://{EVIL_HOST}/auto>"),
    ("javascript_link", "[run](javascript:alert(document.cookie)) javascript:alert(1)"),
    ("html_comment", "visible <!-- hidden comment --> text"),
    ("close_div", f"</div></div><img src=x onerror=alert(1)><img src=http://{EVIL_HOST}/t.gif>"),
    ("script", "<script>fetch('http://evil.invalid/s')</script><style>*{display:none}</style>"),
    ("streamlit_directives", ":red[red] :material/warning: $x^2$ :smile: **bold** _it_ `code`"),
    ("headings_lists", "# heading\n- item\n> quote\n    indented code\n1. one"),
    ("long_word", LONG_WORD),
    ("russian", "Здравствуйте! Заказ №123 <b>жирный</b> & «кавычки» ![](//evil.invalid/ru.png)"),
)


def hostile(name: str) -> str:
    return dict(HOSTILE)[name]


# --- what a page run produced ------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One piece of Markdown a page asked Streamlit to render."""

    kind: str
    text: str
    allow_html: bool


def markdown_sources(at) -> list[Source]:
    """Every Markdown source of the last run: markdown, captions, alerts, titles, labels."""
    out = [Source("markdown", str(el.value), bool(el.proto.allow_html)) for el in at.markdown]
    for kind in ("caption", "info", "warning", "error", "success", "title", "header",
                 "subheader"):  # fmt: skip
        out.extend(Source(kind, str(el.value), False) for el in getattr(at, kind))
    out.extend(Source("expander", str(el.label), False) for el in at.expander)
    return out


#: Elements and attributes the app itself writes into HTML it renders.
ALLOWED_TAGS = {"div", "span", "mark", "br", "strong", "em", "p", "style", "ul", "ol", "li",
                "code", "h1", "h2", "h3", "blockquote", "hr", "table", "thead", "tbody",
                "tr", "th", "td"}  # fmt: skip
ALLOWED_ATTRIBUTES = {"class", "title"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []
        self.text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"
        if tag == "br":
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_data(self, data):
        if not self._in_style:
            self.text.append(data)


_MARKDOWN = MarkdownIt("commonmark", {"html": True})
_MARKDOWN_NO_HTML = MarkdownIt("commonmark", {"html": False})


def rendered_html(source: Source) -> str:
    """What the browser's Markdown renderer makes of ``source`` (raw HTML only where the
    page allowed it; elsewhere it is text)."""
    parser = _MARKDOWN if source.allow_html else _MARKDOWN_NO_HTML
    return parser.render(source.text)


#: What GitHub-flavoured Markdown (Streamlit's renderer) turns into a link when it finds it
#: in the text after parsing, character references or not: ``http(s)://``, ``www.``, e-mail.
AUTOLINK_LITERAL = re.compile(r"(https?://|www\.)[-.\w]+|[-.\w+]+@[-\w]+(\.[-\w]+)+", re.ASCII)


def autolinks(source: Source) -> list[str]:
    """Text of ``source`` that GFM would link (outside HTML blocks, which it leaves alone)."""
    parser = _MARKDOWN if source.allow_html else _MARKDOWN_NO_HTML
    found = []
    for token in parser.parse(source.text):
        for child in token.children or ():
            if child.type == "text" and AUTOLINK_LITERAL.search(child.content):
                found.append(AUTOLINK_LITERAL.search(child.content).group(0))
    return found


def check_not_interpreted(at) -> list[str]:
    """Everything in the run's rendered Markdown that user text could have produced:
    foreign elements, attributes, comments, links (also GFM's automatic ones) or images.
    Empty when the page is safe."""
    problems = []
    for source in markdown_sources(at):
        problems.extend(f"{source.kind}: autolink {link!r}" for link in autolinks(source))
        collector = _Collector()
        collector.feed(rendered_html(source))
        for tag, attrs in collector.tags:
            if tag not in ALLOWED_TAGS:
                problems.append(f"{source.kind}: <{tag}> from {source.text[:120]!r}")
            for name, _value in attrs:
                if name not in ALLOWED_ATTRIBUTES:
                    problems.append(f"{source.kind}: {tag}[{name}] from {source.text[:120]!r}")
        if collector.comments:
            problems.append(f"{source.kind}: an HTML comment from {source.text[:120]!r}")
    return problems


def shown_text(at) -> str:
    """The text a reader sees in the run's Markdown (tags dropped, references decoded)."""
    parts = []
    for source in markdown_sources(at):
        collector = _Collector()
        collector.feed(rendered_html(source))
        parts.append("".join(collector.text))
    return "\n".join(parts)


def squeeze(text: str) -> str:
    """Whitespace collapsed, for comparing text across line wrapping and ``↵`` marks."""
    text = html.unescape(text).replace("\u21b5", " ").replace("\u2060", "")
    return re.sub(r"\s+", " ", text).strip()


# --- a database where every page that shows user text shows the corpus --------------------


@dataclass(frozen=True)
class HostileWorld:
    """What ``seed_hostile`` made: users (by username) and the ids the pages open."""

    url: str
    flow: object
    draft_assignment: int
    disputed_review: int
    open_dispute: int
    calibration_session: int


def _texts() -> list[tuple[str, str]]:
    """The corpus as a conversation: customer and agent take turns."""
    roles = ("customer", "agent")
    return [(roles[i % 2], text) for i, (_name, text) in enumerate(HOSTILE)]


def _comments(offset: int = 0) -> dict[str, str]:
    texts = [text for _name, text in HOSTILE]
    criteria = ("politeness", "greeting", "correct_info")
    return {c: texts[(i + offset) % len(texts)] for i, c in enumerate(criteria)}


def _make_conversations_hostile(session, flow, indices) -> None:
    from sqlalchemy import select

    from qa_app.storage.models import Agent, AutoScore, Conversation, Message

    agent = session.scalar(select(Agent).where(Agent.login == flow.agent_logins[0]))
    agent.display_name = hostile("close_div") + " " + hostile("markdown_image")
    for index in indices:
        conv = session.get(Conversation, flow.conversation_ids[index])
        conv.subject = hostile("cr_cr_image") + " " + hostile("bidi_override")
        conv.tags = [hostile("markdown_image"), hostile("streamlit_directives"), "ok"]
        conv.customer_name = hostile("script")
        conv.messages.clear()
        session.flush()
        for seq, (role, text) in enumerate(_texts()):
            conv.messages.append(Message(seq=seq, role=role, text=text,
                                         author=hostile("markdown_link") if role == "agent" else None))  # fmt: skip
        conv.message_count = len(HOSTILE)
        session.flush()
        first = conv.messages[0]
        session.add(AutoScore(conversation_id=conv.id, message_id=first.id, task="politeness",
                              scorer_version="polite-1", label="polite", score=0.9,
                              evidence=[{"start": 0, "end": 12, "kind": "polite", "rule": "x",
                                         "weight": 0.5}]))  # fmt: skip


def _draft(comments: dict[str, str], values=(2, 1, 1), comment: str = ""):
    from qa_app.services.reviews.grading import GradeInput, ReviewDraft

    criteria = ("politeness", "greeting", "correct_info")
    return ReviewDraft(
        grades={
            c: GradeInput(v, False, comments[c]) for c, v in zip(criteria, values, strict=True)
        },
        comment=comment,
    )


def seed_hostile(url: str) -> HostileWorld:
    """Users lead, rev1, rev2, agents a.petrova and b.smith; conversations 0 and 2 (agent
    a.petrova) hold the corpus; rev1 has a draft of 0 and a submitted, disputed review of 2
    (one dispute answered, one open, both in hostile words); a closed calibration session
    with a hostile name and notes where rev1 and rev2 disagree in hostile comments."""
    from review_fixtures import seed_workflow
    from sqlalchemy import select

    from qa_app.services.calibration import grading as calibration
    from qa_app.services.disputes import decisions as disputes
    from qa_app.services.reviews import grading as reviews
    from qa_app.services.sampling import plans as sampling
    from qa_app.storage import db as storage_db
    from qa_app.storage.models import Assignment

    flow = seed_workflow(url, conversations=4, reviewers=2)
    rev1, rev2 = flow.reviewers
    with storage_db.unit_of_work(url) as session:
        _make_conversations_hostile(session, flow, (0, 2))
    with storage_db.unit_of_work(url) as session:
        draft_id = sampling.assign_conversation(
            session, flow.lead, flow.conversation_ids[0], "rev1"
        )
        done_id = sampling.assign_conversation(session, flow.lead, flow.conversation_ids[2], "rev1")
    with storage_db.unit_of_work(url) as session:
        reviews.save_draft(
            session, rev1, draft_id, _draft(_comments(3), comment=hostile("nul")), None
        )
    with storage_db.unit_of_work(url) as session:
        review_id = reviews.submit_review(session, rev1, done_id, _draft(_comments(6),
                                          comment=hostile("html_comment")), None).review_id  # fmt: skip
    agent = flow.agents[0]
    with storage_db.unit_of_work(url) as session:
        answered = disputes.raise_dispute(
            session, agent, review_id, hostile("cr_cr_image"), "greeting"
        )
        open_id = disputes.raise_dispute(session, agent, review_id, hostile("close_div"))
        disputes.resolve_dispute(session, rev1, answered, False, hostile("crlf_image"))
    with storage_db.unit_of_work(url) as session:
        sid = calibration.create_session(
            session, flow.lead, hostile("markdown_image") + hostile("lone_cr"), ["rev1", "rev2"],
            [flow.conversation_ids[0]], notes=hostile("javascript_link"),
        )  # fmt: skip
        by_reviewer = dict(session.execute(
            select(Assignment.reviewer_id, Assignment.id).where(Assignment.calibration_session_id == sid)
        ).all())  # fmt: skip
    for reviewer, values, offset in ((rev1, (1, 0, 1), 9), (rev2, (3, 1, 1), 12)):
        with storage_db.unit_of_work(url) as session:
            reviews.submit_review(session, reviewer, by_reviewer[reviewer.user_id],
                                  _draft(_comments(offset), values), None)  # fmt: skip
    with storage_db.unit_of_work(url) as session:
        calibration.record_consensus(session, flow.lead, sid, flow.conversation_ids[0],
                                     "politeness", 2, hostile("headings_lists"))  # fmt: skip
        calibration.close_session(session, flow.lead, sid, hostile("zero_width"))
    return HostileWorld(url, flow, draft_id, review_id, open_id, sid)

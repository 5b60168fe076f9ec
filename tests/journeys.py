"""Browser journeys: one role's main path through QA Studio in Debian's chromium, in English
and in Russian, every step screenshotted and checked.

Each step (``Journey.step``) waits until Streamlit has finished its run, then fails on a
Streamlit exception box, on a catalogue key on screen (``t()`` shows the key itself when a
text is missing), and on English on a Russian page or Cyrillic on an English one (the shared
``one_language.leaks`` check, on interface text only: transcripts, what users typed, table
cells and the demo's names are data). When the journey ends it fails on any browser console
error or page error, except the Streamlit noise listed, with its reason, in
``CONSOLE_NOISE``. Screenshots: ``test-artifacts/journeys/<lang>/<role>/NN-<step>.png``.

Waits are on Streamlit's own messages and state: an action that starts a run
(``Journey.rerun``) waits until the server has said that a run chain begun after it has
finished, then until the app's ``data-test-script-state``, the status widget and the
loading skeletons are quiet. No fixed sleeps.
"""

from __future__ import annotations

import functools
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from browser import DEMO_PASSWORD, REPO_ROOT
from one_language import leaks
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from qa_app.i18n import catalogue, in_language, t
from qa_app.ui.cookie_handover import CLAIM_PATH

ARTIFACTS = REPO_ROOT / "test-artifacts" / "journeys"
LANGS = ("en", "ru")
#: The demo's size for the journeys: enough for every role's data, quick to build.
CONVERSATIONS = 150

#: Console messages that are Streamlit's own and harmless, each with why.
CONSOLE_NOISE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"/[a-z0-9-]+/_stcore/(?:health|host-config|allowed-message-origins)$"),
        "a page opened by its own URL (/team) makes Streamlit's client probe for the server "
        "under that path first, get 404 and then use the root (streamlit/streamlit#7074)",
    ),
)

#: Where a ``script_finished`` ForwardMsg keeps its status, and the status of a run stopped
#: to make way for the next one of the same chain (``st.rerun()``, a widget's callback).
FINISHED_FIELD = ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].number
FINISHED_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN

#: Counts the run chains of this document that have ended, from the server's own words: a
#: ``script_finished`` message on the app's websocket whose status is not "stopped for the
#: next run". The DOM cannot tell: ``data-test-script-state`` is React state, and when a
#: run's "running" and "not running" messages reach the page before React renders (a run
#: of a few milliseconds: a form that calls ``st.rerun()`` at once), the attribute never
#: changes at all. Installed before any page script, so no message is missed.
RUN_COUNTER = f"""(() => {{
window.__qaRuns = 0;
window.__qaChangedAt = performance.now();
const finishedField = {FINISHED_FIELD}, forRerun = {FINISHED_FOR_RERUN};
function chainEnded(data) {{
  if (!(data instanceof ArrayBuffer)) return false;
  const bytes = new Uint8Array(data);
  let at = 0;
  const varint = () => {{
    let value = 0, scale = 1, byte;
    do {{ byte = bytes[at++]; value += (byte & 0x7f) * scale; scale *= 128; }}
    while (byte & 0x80 && at < bytes.length);
    return value;
  }};
  while (at < bytes.length) {{  // the top-level fields of one ForwardMsg
    const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
    if (wire === 0) {{
      const value = varint();
      if (field === finishedField) return value !== forRerun;
    }} else if (wire === 2) {{
      const length = varint();  // not `at += varint()`: that adds to `at` read before
      at += length;
    }} else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else return false;
  }}
  return false;
}}
window.__qaChainEnded = chainEnded;  // tests/test_journey_run_counter.py reads it
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {{
  constructor(...args) {{
    super(...args);
    this.addEventListener('message', (event) => {{
      window.__qaChangedAt = performance.now();
      if (chainEnded(event.data)) window.__qaRuns++;
    }});
  }}
}};
new MutationObserver(() => {{ window.__qaChangedAt = performance.now(); }}).observe(
  document, {{subtree: true, attributes: true, attributeFilter: ['data-test-script-state']}});
}})();
"""
#: Settled: a run chain that began after ``after`` had ended has ended too, the app says it
#: is not running, neither its script state nor its websocket has changed for a moment (the
#: last messages are drawn; a run that reruns itself at once is not "done" in between), the
#: status widget shows no run and no element is still a loading skeleton.
SETTLED = """(after) => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && window.__qaRuns > after
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && performance.now() - window.__qaChangedAt > 250
    && !document.querySelector("[data-testid^='stStatusWidgetRunning']")
    && !document.querySelector("[data-testid='stSkeleton']");
}"""
#: Interface text: visible text nodes outside data: transcripts, user text (``user_text``'s
#: spans, ``st.text``, text areas), tables, code, charts, attached files.
INTERFACE_TEXT = """(skip) => {
  const out = [];
  const walker = document.createTreeWalker(
    document.querySelector("[data-testid='stApp']"), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    const text = walker.currentNode.textContent.trim();
    if (!text || !el || el.closest(skip) || !el.checkVisibility()) continue;
    out.push([text, el.closest('[data-testid]')?.getAttribute('data-testid') || el.tagName]);
  }
  return out;
}"""
#: Streamlit's own words, which no catalogue can translate (Streamlit 1.x has no setting for
#: them): the keyboard users' "Skip to main content" link (hidden until it has the focus) and
#: the "Press Enter to apply" / "Press Ctrl+Enter to submit form" hint under a field while
#: it is being typed in; the file uploader's drop zone ("Upload", "200MB per file", the list
#: of types), which Streamlit draws from the server's settings in English.
STREAMLIT_CHROME = (
    "[data-testid='stSkipToContent']",
    "[data-testid='InputInstructions']",
    "[data-testid='stFileUploaderDropzone']",
)
DATA_ELEMENTS = ", ".join(
    STREAMLIT_CHROME
    +
    (
        ".qa-chat", ".qa-user-text", "[data-testid='stDataFrame']", "[data-testid='stTable']",
        "code", "pre", "style", "script", "[translate='no']",
        "[data-testid='stVegaLiteChart']", "svg", "textarea", "[data-testid='stFileChips']",
        "[data-testid='stText']",
    )
)  # fmt: skip
KEY_LIKE = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b")
#: Quoted passages: the scorers' evidence and conditions quote conversation words, “so” on
#: English pages and «так» on Russian ones (``review_form._quoted``).
QUOTED = re.compile(r"“[^”]*”|«[^»]*»")
#: File names people attached or downloaded (``chat.png``).
FILE_NAME = re.compile(r"[\w.-]+\.(?:png|jpe?g|webp|pdf|mp3|ogg|wav|m4a|csv|xlsx|jsonl?)\b", re.I)


@functools.cache
def data_words(db_url: str) -> tuple[re.Pattern[str], ...]:
    """What the database holds that a page shows as data in any language: people's and
    teams' names (both spellings of a bilingual name), usernames, conversation tags and
    language codes."""
    from sqlalchemy import select

    from qa_app.storage import db as storage_db
    from qa_app.storage.models import Agent, Conversation, Team, User

    with storage_db.unit_of_work(db_url) as session:
        names = set(session.scalars(select(Agent.display_name)))
        names |= set(session.scalars(select(Team.name)))
        names |= set(session.scalars(select(User.username)))
        for name in session.scalars(select(User.display_name)):
            names |= {name, in_language(name, "en"), in_language(name, "ru")}
        tags = {tag for row in session.scalars(select(Conversation.tags)) for tag in row or ()}
    storage_db.dispose_engine(db_url)
    names.discard("")
    by_length = sorted(names, key=len, reverse=True)
    return (
        re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, by_length)) + r")(?!\w)"),
        re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(tags) + ["EN", "RU"])) + r")\b"),
    )


KEY_AREAS = {key.split(".")[0] for key in catalogue()}


def untranslated_keys(texts: list[str]) -> list[str]:
    """Texts that look like a catalogue key (``scorecards.title``): a text missing from the
    catalogue shows as its key."""
    found = set()
    for text in texts:
        found |= {m for m in KEY_LIKE.findall(text) if m.split(".")[0] in KEY_AREAS}
    return sorted(found)


def console_noise(url: str) -> str | None:
    """Why a console error from ``url`` is Streamlit's harmless noise, or None."""
    return next((why for pattern, why in CONSOLE_NOISE if pattern.search(url or "")), None)


@dataclass
class Journey:
    """One role's walk in one language: a browser page plus its checks and screenshots."""

    page: object
    base_url: str
    db_url: str
    lang: str
    role: str
    errors: list[str] = field(default_factory=list)
    steps: int = 0
    placed: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folder = ARTIFACTS / self.lang / self.role
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def _console(self, message) -> None:
        if message.type == "error" and not console_noise(message.location.get("url", "")):
            self.errors.append(f"console: {message.text} ({message.location.get('url')})")

    # waiting -----------------------------------------------------------------------------
    def runs(self) -> int:
        return self.page.evaluate("window.__qaRuns || 0")

    def wait_for_run_after(self, runs: int) -> None:
        """Until a run chain that started after ``runs`` chains had ended has ended too."""
        self.page.wait_for_function(SETTLED, arg=runs, polling=100)

    def rerun(self, action: Callable[[], object]) -> None:
        """Do something that starts a script run (a click, a key) and wait for its end."""
        before = self.runs()
        action()
        self.wait_for_run_after(before)

    def open(self, path: str = "") -> None:
        """Open a page by URL and wait for its first run to end."""
        self.page.goto(f"{self.base_url}/{path}")
        self.wait_for_run_after(0)

    def click(self, locator) -> None:
        self.rerun(locator.click)

    def see(self, text: str) -> None:
        """Wait until ``text`` (a message the last action left) shows, and bring it into view
        for the next screenshot."""
        message = self.page.get_by_text(text).first
        message.wait_for()
        message.scroll_into_view_if_needed()

    # the journey -------------------------------------------------------------------------
    def tr(self, key: str, **params) -> str:
        return t(key, self.lang, **params)

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        """The real sign-in form, switched to the journey's language first."""
        self.open()
        form_lang = self.page.locator("[data-testid='stButtonGroup']").get_by_text(
            {"en": "English", "ru": "Русский"}[self.lang], exact=True
        )
        if form_lang.count():
            self.click(form_lang)  # the form reruns itself in that language
        self.page.get_by_text(self.tr("signin.submit"), exact=True).wait_for()
        self.step("sign-in")
        self.page.locator("input[type='text']").first.fill(username)
        self.page.locator("input[type='password']").first.fill(password)
        # signed in once the session cookie is set: pages opened by URL then find it
        with self.page.expect_response(
            lambda r: r.url.endswith(CLAIM_PATH) and r.request.method == "POST"
        ) as claimed:
            self.click(self.page.locator("[data-testid='stFormSubmitButton'] button"))
        assert claimed.value.ok, f"the session cookie was refused: {claimed.value.status}"
        self.page.locator("[data-testid='stSidebarNav']").wait_for()
        self.wait_for_run_after(0)

    def main_text(self) -> str:
        return self.page.locator("[data-testid='stMain']").inner_text()

    def step(self, name: str, full_page: bool = True) -> None:
        """Check what is on screen now and screenshot it as the next numbered step."""
        self.page.wait_for_function(SETTLED, arg=0, polling=100)
        self.steps += 1
        shot = self.folder / f"{self.steps:02d}-{name}.png"
        self.page.screenshot(path=str(shot), full_page=full_page)
        where = f"step {name} ({shot.relative_to(REPO_ROOT)})"
        boxes = self.page.locator("[data-testid='stException']")
        assert not boxes.count(), f"{where}: exception box: {boxes.first.inner_text()[:500]}"
        texts = self.interface_text()
        keys = untranslated_keys(texts)
        assert not keys, f"{where}: untranslated catalogue keys {keys}"
        found = leaks(texts, self.lang)
        assert not found, (
            f"{where}: wrong language:\n"
            + "\n".join(found)
            + "\n"
            + "\n".join(
                f"  in {where_}: {text[:80]!r}"
                for text, where_ in self.placed
                if leaks([text], self.lang)
            )
        )

    def interface_text(self) -> list[str]:
        """The visible interface words, data taken out; ``placed`` keeps each text's element."""
        self.placed = []
        for text, where in self.page.evaluate(INTERFACE_TEXT, DATA_ELEMENTS):
            text = QUOTED.sub(" ", FILE_NAME.sub(" ", text))
            for data in data_words(self.db_url):
                text = data.sub(" ", text)
            self.placed.append((text, where))
        return [text for text, _ in self.placed]

    def finish(self) -> None:
        """The end of the walk: no console or page errors on any step."""
        assert not self.errors, "browser errors:\n" + "\n".join(self.errors)


def artifacts_path(lang: str, role: str) -> Path:
    return ARTIFACTS / lang / role


def speak(db_url: str, lang: str) -> None:
    """Every account of the demo copy reads ``lang`` (a journey walks one language)."""
    from sqlalchemy import update

    from qa_app.storage import db as storage_db
    from qa_app.storage.models import User

    with storage_db.unit_of_work(db_url) as session:
        session.execute(update(User).values(language=lang))

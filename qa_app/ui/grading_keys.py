"""Keyboard grading on the review page: a short fixed script (``st.html`` with JavaScript
allowed; only these scripts, never user text, and the only value put in them is JSON-encoded)
that listens for keys on the page and clicks the same radio buttons a mouse would.

* digits pick the level with that value on the active criterion, N picks N/A; the next
  criterion becomes active (so a whole review is a row of digits);
* ↑/↓ (or K/J) move between criteria; Tab moves as usual and the criterion it reaches
  becomes the active one;
* Ctrl+Enter (⌘+Enter) submits and opens the next conversation: Streamlit's own button
  shortcut (``SUBMIT_SHORTCUT``), which ignores keys aimed at a radio button, so while one
  has the focus (after Tab) this script presses the button instead.

Keys typed into a comment box stay in the box. Keys are read by their position
(``KeyboardEvent.code``), so they work the same with a Russian keyboard layout.
"""

from __future__ import annotations

import json

import streamlit as st

#: The container keys the script finds the form, each criterion and the submit button by.
FORM_KEY = "qa-form"
SUBMIT_KEY = "review.submit"
SUBMIT_SHORTCUT = "Ctrl+Enter"

STYLE = """
<style>
.st-key-qa-form [data-testid="stRadio"].qa-active {
  outline: 2px solid rgba(45,120,220,.55); outline-offset: 4px; border-radius: .4rem;}
</style>
"""

_LISTENER = """
<script>(function () {
  var w = window, doc = document;
  w.__qaGrading = CONFIG;
  if (w.__qaGradingInstalled) { return; }
  w.__qaGradingInstalled = true;
  var active = 0;
  function groups() {
    return Array.prototype.slice.call(
      doc.querySelectorAll('.st-key-qa-form [data-testid="stRadio"]'));
  }
  function mark(i, scroll) {
    var g = groups();
    if (!g.length) { return; }
    active = Math.max(0, Math.min(i, g.length - 1));
    g.forEach(function (el, k) { el.classList.toggle('qa-active', k === active); });
    if (scroll) { g[active].scrollIntoView({block: 'center', behavior: 'instant'}); }
  }
  w.__qaGradingMark = mark;
  function typing(t) {
    if (!t) { return false; }
    if (t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') { return true; }
    return t.tagName === 'INPUT' && t.type !== 'radio';
  }
  function option(group, code) {
    var labels = Array.prototype.slice.call(group.querySelectorAll('[data-testid="stRadioOption"]'));
    var digit = /^(Digit|Numpad)([0-9])$/.exec(code);
    return labels.find(function (l) {
      var text = (l.innerText || '').trim();
      if (digit) { return text.indexOf(digit[2] + ' ·') === 0; }
      return text === w.__qaGrading.na;
    });
  }
  doc.addEventListener('keydown', function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && e.target && e.target.type === 'radio') {
      // Streamlit's own shortcut ignores keys aimed at a radio button: press it here.
      var buttons = doc.querySelectorAll('.st-key-' + w.__qaGrading.submit + ' button');
      var shown = Array.prototype.slice.call(buttons).find(function (b) { return b.offsetParent; });
      if (shown && !shown.disabled) { e.preventDefault(); e.stopPropagation(); shown.click(); }
      return;
    }
    if (typing(e.target) || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var g = groups();
    if (!g.length) { return; }
    if (e.code === 'ArrowDown' || e.code === 'KeyJ') { e.preventDefault(); mark(active + 1, true); return; }
    if (e.code === 'ArrowUp' || e.code === 'KeyK') { e.preventDefault(); mark(active - 1, true); return; }
    if (!/^(Digit|Numpad)[0-9]$/.test(e.code) && e.code !== 'KeyN') { return; }
    var target = option(g[Math.min(active, g.length - 1)], e.code);
    if (!target) { return; }
    e.preventDefault();
    target.click();
    if (doc.activeElement && doc.activeElement.blur) { doc.activeElement.blur(); }
    mark(active + 1, true);
  }, true);
  doc.addEventListener('focusin', function (e) {
    var g = groups();
    for (var k = 0; k < g.length; k++) { if (g[k].contains(e.target)) { mark(k, false); return; } }
  });
  new MutationObserver(function () {
    var g = groups();
    if (g.length && !g.some(function (el) { return el.classList.contains('qa-active'); })) {
      mark(active, false);
    }
  }).observe(doc.body, {childList: true, subtree: true});
})();</script>
"""

_JUMP = """
<script>(function () {
  var nonce = NONCE;
  var target = document.querySelector(SELECTOR);
  var g = Array.prototype.slice.call(
    document.querySelectorAll('.st-key-qa-form [data-testid="stRadio"]'));
  var radio = target && target.querySelector('[data-testid="stRadio"]');
  if (radio && window.__qaGradingMark) { window.__qaGradingMark(g.indexOf(radio), false); }
  if (target) { target.scrollIntoView({block: 'nearest', behavior: 'instant'}); }
  return nonce;
})();</script>
"""


def criterion_key(criterion_id: str) -> str:
    """The container key of one criterion (the script scrolls to it by its class)."""
    return f"qa-crit-{criterion_id}"


def install(na_label: str) -> None:
    """The key listener (once per browser tab; later runs only refresh its settings)."""
    config = json.dumps({"na": na_label, "submit": SUBMIT_KEY.replace(".", "-")})
    st.html(STYLE + _LISTENER.replace("CONFIG", config), unsafe_allow_javascript=True)


def jump_to(criterion_id: str, nonce: int) -> None:
    """Scroll the form to ``criterion_id`` and make it the active one (``nonce`` makes a
    repeated jump to the same criterion run again)."""
    selector = json.dumps(f".st-key-{criterion_key(criterion_id)}")
    script = _JUMP.replace("SELECTOR", selector).replace("NONCE", str(int(nonce)))
    st.html(script, unsafe_allow_javascript=True)

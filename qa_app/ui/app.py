"""QA Studio in the browser: ``streamlit run qa_app/ui/app.py`` (or ``qa-studio serve``).

One ``st.navigation`` router built from ``PAGES``, filtered by the signed-in user's role;
nobody signed in sees the sign-in page only.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from qa_app.services import accounts
from qa_app.services.actor import Actor
from qa_app.services.errors import ServiceError
from qa_app.ui import context, session_cookie, sso, widget_texts
from qa_app.ui.context import current_lang, tr
from qa_app.ui.data import prepare_database
from qa_app.ui.sampling.plans_view import run_due_at_start
from qa_app.ui.screens import PAGES, SECTIONS, PageSpec, landing_page, page_by_key, sign_in
from qa_app.ui.screens.privacy_page import purge_due_at_start


def render_guarded(spec: PageSpec) -> None:
    """Run one page behind its role guard; service and database errors become a translated
    message (a database failure never shows its statement or values)."""
    context.require_page(spec.action)
    try:
        spec.render()
    except Exception as exc:
        if not context.show_expected_error(exc):
            raise  # a programming error: Streamlit's generic message, details in the log


def _page_object(spec: PageSpec, role: str = "", *, hidden: bool = False) -> st.Page:
    return st.Page(
        lambda: render_guarded(spec),
        title=tr(spec.title_key_for(role)),
        icon=spec.icon or None,
        url_path=spec.key.replace("_", "-"),
        visibility="hidden" if hidden else "visible",
    )


def _home(landing: st.Page, spec: PageSpec, role: str) -> st.Page:
    """The bare address: it opens the role's landing page under that page's own address,
    so every page keeps one address (a shared link works) and the sidebar marks it."""
    return st.Page(
        lambda: st.switch_page(landing), title=tr(spec.title_key_for(role)),
        url_path="home", default=True, visibility="hidden",
    )  # fmt: skip


def navigation_for(role: str) -> dict[str, list[st.Page]]:
    """Sidebar sections with the pages this role may open, in ``PAGES`` order, and the
    bare address leading to the role's landing page."""
    grouped: dict[str, list[st.Page]] = {}
    landing = landing_page(role)
    for section, title_key in SECTIONS.items():
        specs = [s for s in PAGES if s.section == section and s.allows(role)]
        pages = [_page_object(s, role) for s in specs]
        if pages:
            grouped[tr(title_key)] = pages
        for spec, page in zip(specs, pages, strict=True):
            if spec.key == landing:
                home = _home(page, spec, role)
    # The other pages stay routable but hidden: a bookmarked or shared link then says, in
    # the user's language, that the role may not open it (the role guard), instead of
    # Streamlit's English "Page not found" dialog.
    denied = [_page_object(s, role, hidden=True) for s in PAGES if not s.allows(role)]
    if grouped:
        grouped[next(reversed(grouped))].extend([*denied, home])
    return grouped


def sign_in_navigation() -> list[st.Page]:
    """Every page address shows the sign-in form, so a bookmarked or reloaded page opens
    straight after signing in (when the role allows it) instead of "page not found". The
    bare address is the form itself: after signing in it shows the user's landing page."""
    pages = [st.Page(sign_in.render, title=tr("signin.title"), url_path="sign-in", default=True)]
    for spec in PAGES:
        pages.append(
            st.Page(
                lambda: sign_in.render(),
                title=tr("signin.title"),
                url_path=spec.key.replace("_", "-"),
            )
        )
    return pages


def render_sidebar() -> None:
    """Who is signed in, the language switch (saved per user) and sign out."""
    from qa_app.ui.screens import account

    actor = context.current_actor()
    with st.sidebar:
        st.markdown(f"**{tr('shell.signed_in_as')}**")
        st.text(actor.username)
        st.caption(tr(f"role.{actor.role}"))
        account.render_language_switch(key="sidebar_language")
        if st.button(tr("shell.sign_out"), icon=":material/logout:", key="sign_out"):
            token = st.session_state.get(context.SESSION_TOKEN)
            accounts.do_sign_out(context.uow(), actor, token)
            context.end_session("shell.signed_out", revoke=False)
            if sso.end_identity():  # single sign-on: the provider's sign-out reloads the page
                st.stop()
            st.rerun()


def start_run() -> Actor | None:
    """Shared start of every run: database ready, signed-in user resolved, and (once per
    browser session of a lead) the recurring plans that are due run. A database that
    cannot be reached or opened stops the run with its one sentence."""
    try:
        prepare_database(context.database_url())
        actor = context.resolve_actor() or sso.sign_in_from_identity()
    except ServiceError as exc:
        context.show_error(exc)
        st.stop()
    if actor is not None:
        run_due_at_start(actor)
        purge_due_at_start(actor)
    return actor


def render_page_by_key(page_key: str) -> None:
    """One page with the full shell but without the router (used by the test harness)."""
    actor = start_run()
    widget_texts.translate_input_hints(current_lang())
    if actor is None:
        sign_in.render()
        return
    render_sidebar()
    render_guarded(page_by_key(page_key))


#: The tab's icon, served by the app itself: a Material icon or an emoji as ``page_icon``
#: makes the browser fetch it from Google's or jsDelivr's servers on every page.
FAVICON = str(Path(__file__).resolve().parent / "assets" / "favicon.png")


def main() -> None:
    st.set_page_config(page_title="QA Studio", page_icon=FAVICON, layout="wide")
    actor = start_run()
    widget_texts.translate_input_hints(current_lang())
    if actor is None:
        router = st.navigation(sign_in_navigation(), position="hidden")
    else:
        # expanded: every page listed, so Streamlit's own English "View N more" link never
        # appears on a Russian sidebar (a lead sees 14 pages, more than the default 10)
        router = st.navigation(navigation_for(actor.role), expanded=True)
        render_sidebar()
    router.run()
    session_cookie.apply_pending_cookie()  # after the page: an invisible element at the end


if __name__ == "__main__":
    main()

"""The web server ``qa-studio serve`` runs: Streamlit's ASGI app for ``app.py`` plus the two
routes that set and clear the session cookie from the server (``HttpOnly``; see
``cookie_handover``). ``streamlit run qa_app/ui/server.py`` finds ``app`` below."""

from __future__ import annotations

from streamlit.starlette import App

from qa_app.ui.cookie_handover import ROUTES

app = App("app.py", routes=ROUTES)

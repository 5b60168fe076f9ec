"""The REST API beside the app (``qa-studio api``): personal tokens, the same roles as the
UI, and a thin layer over the services (each call is one use case in one unit of work).

``create_app(url)`` builds the FastAPI application on one database.
"""

from qa_app.api.app import ACTIONS_KEY, API_PREFIX, create_app

__all__ = ["ACTIONS_KEY", "API_PREFIX", "create_app"]

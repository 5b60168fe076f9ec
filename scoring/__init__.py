"""QA Studio scoring: a pure library.

Text and grades in, numbers with explanations out. It never imports Streamlit, the
database or the application, so it can be used alone from a notebook.
"""

from scoring.base import Evidence, ScoreResult

__all__ = ["Evidence", "ScoreResult"]

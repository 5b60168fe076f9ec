"""The page registry: the single ``PAGES`` list the router and the tests both use.

The folder is called ``screens``, not ``pages``: Streamlit treats a ``pages/`` folder
beside the entry script as old-style page scripts, which ``st.navigation`` replaces.

To add a page: write ``qa_app/ui/screens/<name>.py`` with a ``render()`` function, import it
below, add one ``PageSpec`` line to ``PAGES`` and a ``page.<key>`` action to
``qa_app/services/permissions.py`` (who may open it); ``section`` groups it in the sidebar (see ``SECTIONS``); ``icon`` is a
Material icon such as ``":material/insights:"``; ``title_key`` is a catalogue key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qa_app.services import permissions
from qa_app.ui.screens import (
    account,
    audit_page,
    autoqa_page,
    calibration_page,
    coaching_page,
    coaching_plans_page,
    disputes_page,
    drivers_page,
    import_mapping_page,
    import_page,
    my_results_page,
    mystery_reports_page,
    mystery_scenarios_page,
    mystery_visits_page,
    overview,
    privacy_page,
    productivity_page,
    queue_page,
    review_page,
    rubrics_page,
    sampling_page,
    scorecard_page,
    scoring_queue_page,
    team_page,
    users_admin,
)

#: Sidebar sections in display order, each with its catalogue key.
SECTIONS = {
    "work": "shell.section.work",
    "insights": "shell.section.insights",
    "admin": "shell.section.admin",
    "account": "shell.section.account",
}


@dataclass(frozen=True)
class PageSpec:
    key: str
    title_key: str
    render: Callable[[], None]
    icon: str = ""
    section: str = "work"
    #: ``(role, title_key)`` pairs where a role's sidebar needs another title.
    role_titles: tuple[tuple[str, str], ...] = ()

    @property
    def action(self) -> str:
        """The permission that opens this page (``page.<key>`` in the registry)."""
        return f"page.{self.key}"

    def allows(self, role: str) -> bool:
        return permissions.can(role, self.action)

    def title_key_for(self, role: str) -> str:
        return dict(self.role_titles).get(role, self.title_key)


PAGES: list[PageSpec] = [
    PageSpec(
        "queue",
        "queue.title",
        queue_page.render,
        ":material/inbox:",
        # A lead's queue page lists every reviewer's queue: "My queue" misled.
        role_titles=(("lead", "queue.title_lead"), ("admin", "queue.title_lead")),
    ),
    PageSpec("review", "review.title", review_page.render, ":material/rate_review:"),
    PageSpec("my_results", "results.title", my_results_page.render, ":material/assignment_ind:"),
    PageSpec("disputes", "disputes.title", disputes_page.render, ":material/gavel:"),
    PageSpec("calibration", "calibration.title", calibration_page.render, ":material/balance:"),
    PageSpec("sampling", "sampling.title", sampling_page.render, ":material/shuffle:"),
    PageSpec(
        "mystery_visits",
        "mystery.visits.title",
        mystery_visits_page.render,
        ":material/storefront:",
    ),
    PageSpec(
        "mystery_reports",
        "mystery.reports.title",
        mystery_reports_page.render,
        ":material/travel_explore:",
        "insights",
    ),
    PageSpec(
        "mystery_scenarios",
        "mystery.scenarios.title",
        mystery_scenarios_page.render,
        ":material/theater_comedy:",
        "admin",
    ),
    PageSpec("rubrics", "rubrics.title", rubrics_page.render, ":material/checklist:", "admin"),
    PageSpec("overview", "overview.title", overview.render, ":material/dashboard:", "insights"),
    PageSpec(
        "scorecard",
        "scorecards.title",
        scorecard_page.render,
        ":material/badge:",
        "insights",
        role_titles=(("agent", "scorecards.title_agent"),),
    ),
    PageSpec("team", "team.title", team_page.render, ":material/leaderboard:", "insights"),
    PageSpec("coaching", "coaching.title", coaching_page.render, ":material/school:", "insights"),
    PageSpec(
        "coaching_plans",
        "coaching.plans.title",
        coaching_plans_page.render,
        ":material/event_note:",
        "insights",
    ),
    PageSpec(
        "drivers",
        "drivers.title",
        drivers_page.render,
        ":material/sentiment_satisfied:",
        "insights",
    ),
    PageSpec(
        "productivity",
        "productivity.title",
        productivity_page.render,
        ":material/speed:",
        "insights",
    ),
    PageSpec("autoqa", "autoqa.title", autoqa_page.render, ":material/smart_toy:", "insights"),
    PageSpec(
        "scoring_queue",
        "scoring_queue.title",
        scoring_queue_page.render,
        ":material/queue_play_next:",
        "admin",
    ),
    PageSpec("import", "import.title", import_page.render, ":material/upload:", "admin"),
    PageSpec(
        "import_mapping",
        "mapping.title",
        import_mapping_page.render,
        ":material/table_view:",
        "admin",
    ),
    PageSpec("users", "users.title", users_admin.render, ":material/group:", "admin"),
    PageSpec("privacy", "privacy.title", privacy_page.render, ":material/shield_person:", "admin"),
    PageSpec("audit", "audit.title", audit_page.render, ":material/history:", "admin"),
    PageSpec("account", "account.title", account.render, ":material/person:", "account"),
]

#: The page a user lands on after signing in.
DEFAULT_PAGE = "overview"


def page_by_key(key: str) -> PageSpec:
    for spec in PAGES:
        if spec.key == key:
            return spec
    raise KeyError(f"no page {key!r}; known: {', '.join(p.key for p in PAGES)}")


def pages_for_role(role: str) -> list[PageSpec]:
    return [spec for spec in PAGES if spec.allows(role)]

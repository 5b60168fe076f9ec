"""Who may do what: every action of the product and the roles allowed to take it, in one table.

Services call ``require(actor, "review.submit")`` before they act; pages name the action
they need (``page.queue``) and the router shows a page only when ``can`` says so. Hiding a
page is never the only guard. An admin may take every action (one rule, here); everyone
else needs their role listed. Rules that depend on the record (a reviewer's *own* review,
an agent's *own* conversations) stay in the service, after the action check.

Adding an action: one ``Action`` line below. A name defined twice fails at import, and
``tests/test_service_permissions.py`` calls every public service that takes an actor as every
role against this table (found by introspection; each names its guarding action there).
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.services.actor import Actor
from qa_app.services.errors import PermissionDenied
from qa_app.storage.models import ROLES

__all__ = ["ACTIONS", "ROLES", "STAFF_ROLES", "Action", "can", "require", "roles_for"]

#: Everyone who works in QA, as opposed to the agents whose work is reviewed and the
#: mystery shoppers, who only record their own staged contacts.
STAFF_ROLES = tuple(role for role in ROLES if role not in ("agent", "shopper"))
#: The role that may take every action.
SUPERUSER = "admin"


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    description: str
    roles: tuple[str, ...]


_TABLE: tuple[Action, ...] = (
    # pages (the router and each page's own guard)
    Action("page.queue", "open the review queue page", ("reviewer", "lead")),
    Action("page.review", "open the review page", ("reviewer", "lead")),
    Action("page.disputes", "open the disputes page", ("agent", "reviewer", "lead")),
    Action("page.calibration", "open the calibration page", ("reviewer", "lead")),
    Action("page.sampling", "open the sampling page", ("lead",)),
    Action("page.rubrics", "open the rubrics page", STAFF_ROLES),
    Action("page.overview", "open the overview page", ROLES),
    Action("page.autoqa", "open the automatic scoring page", ("lead", "reviewer", "trainer")),
    Action("page.import", "open the import page", ("lead",)),
    Action("page.scoring_queue", "open the scoring-queue page", ("lead",)),
    Action("page.import_mapping", "open the column-mapping import page", ("lead",)),
    Action("page.users", "open user administration", ()),
    Action("page.account", "open one's own account page", ROLES),
    Action("page.mystery_scenarios", "open the mystery-shopper scenarios page", ("lead",)),
    Action(
        "page.mystery_visits",
        "open the mystery-shopper visits page",
        ("lead", "trainer", "shopper", "agent"),
    ),
    Action(
        "page.mystery_reports",
        "open the mystery-shopper reports page",
        ("lead", "trainer", "shopper", "agent"),
    ),
    Action("page.scorecard", "open the agent scorecard page", ("lead", "trainer", "agent")),
    Action("page.team", "open the team dashboard", ("lead",)),
    Action("page.coaching", "open the coaching recommendations page", ("trainer", "lead", "agent")),
    Action("page.coaching_plans", "open the coaching plans page", ("trainer", "lead", "agent")),
    Action("page.drivers", "open the satisfaction drivers page", ("trainer", "lead")),
    Action("page.productivity", "open the reviewer productivity page", ("lead",)),
    Action("page.my_results", "open one's own results page (agents)", ("agent",)),
    Action("page.privacy", "open the privacy page (retention, erasure)", ()),
    Action("page.audit", "open the audit log", ()),
    # reviewing
    Action("queue.view", "see one's own review queue", ("reviewer", "lead")),
    Action("queue.view_any", "see every reviewer's queue and reassign", ("lead",)),
    Action("review.grade", "open, draft and submit one's assigned reviews", ("reviewer", "lead")),
    Action("review.read_any", "read and correct any reviewer's review", ("lead",)),
    Action("review.read_own", "read the reviews one wrote", ("reviewer",)),
    # disputes
    Action("dispute.raise", "dispute a grade of a review", ("agent", "lead")),
    Action("dispute.resolve", "accept or reject a dispute of one's own review", ("reviewer",)),
    Action("dispute.resolve_any", "accept or reject any dispute", ("lead",)),
    # an agent's own results
    Action("results.view_own", "read the reviews of one's own conversations", ("agent",)),
    Action("results.acknowledge", "acknowledge having read a review of one's work", ("agent",)),
    Action("results.acknowledgements", "count the reviews agents have not acknowledged", ("lead",)),
    # rubrics
    Action("rubric.edit", "save a new rubric version", ("lead",)),
    # calibration
    Action("calibration.take_part", "grade in calibration sessions one is part of", ("reviewer",)),
    Action("calibration.manage", "create, see and close any calibration session", ("lead",)),
    # sampling and import
    Action("sampling.run", "preview and create review samples", ("lead",)),
    Action("sampling.plan", "define, pause and run recurring assignment plans", ("lead",)),
    Action("sampling.goals", "set reviewers' weekly goals and see everyone's progress", ("lead",)),
    Action(
        "sampling.notable",
        "list notable conversations and send them to review",
        ("lead",),
    ),
    Action("goals.view_own", "see one's own weekly goal and progress", ("reviewer", "lead")),
    Action("import.run", "import conversation files", ("lead",)),
    # automatic scoring
    Action(
        "autoqa.read",
        "read automatic scores, evidence and agreement",
        ("lead", "reviewer", "trainer"),
    ),
    Action("autoqa.run", "start automatic scoring", ("lead",)),
    Action("scoring_queue.view", "see the scoring queue: jobs, workers, failures", ("lead",)),
    # mystery shopping
    Action("mystery.scenario_manage", "create and change mystery-shopper scenarios", ("lead",)),
    Action("mystery.record_own", "record one's own mystery-shopper visits", ("shopper",)),
    Action("mystery.record_any", "enter and correct any shopper's visit results", ("lead",)),
    Action("mystery.read_any", "read every mystery-shopper visit", ("lead", "trainer")),
    Action(
        "mystery.read_published_own",
        "read published mystery-shopper results about oneself",
        ("agent",),
    ),
    Action("mystery.publish", "publish mystery-shopper results to the agents", ("lead",)),
    Action("mystery.import", "import mystery-shopper visits from CSV", ("lead",)),
    Action("mystery.export", "export mystery-shopper reports", ("lead", "trainer")),
    # scorecards and the team dashboard (exports check the same actions as the pages)
    Action(
        "scorecard.read_team", "read scorecards of the agents of one's teams", ("lead", "trainer")
    ),
    Action("scorecard.read_own", "read one's own scorecard", ("agent",)),
    Action("scorecard.team_dashboard", "read the team dashboard of one's teams", ("lead",)),
    # coaching
    Action(
        "coaching.read_any",
        "read any agent's and team's coaching recommendations",
        ("trainer", "lead"),
    ),
    Action("coaching.read_own", "read one's own coaching recommendations and plans", ("agent",)),
    Action("coaching.plan", "assign coaching plans and record their sessions", ("trainer",)),
    Action("coaching.plans_view", "see coaching plans and which are overdue", ("trainer", "lead")),
    Action("coaching.confirm", "confirm taking part in one's own coaching session", ("agent",)),
    Action("coaching.drivers", "read what drives customer satisfaction", ("trainer", "lead")),
    Action(
        "reviews.productivity", "see every reviewer's weekly output, time and quotas", ("lead",)
    ),
    # personal data and the audit log
    Action("privacy.erase", "erase a customer's conversations and all derived data", ()),
    Action("privacy.retention", "set retention periods and purge old conversations", ()),
    Action("audit.read", "read and export the audit log", ()),
    # accounts
    Action("account.api_tokens", "create, list and revoke one's own API tokens", ROLES),
    Action("users.manage", "add users, change roles, reset passwords, deactivate", ()),
)


def _index(actions: tuple[Action, ...]) -> dict[str, Action]:
    table: dict[str, Action] = {}
    for action in actions:
        if action.name in table:
            raise RuntimeError(f"action {action.name!r} is defined twice")
        unknown = set(action.roles) - set(ROLES)
        if unknown:
            raise RuntimeError(f"action {action.name!r} names unknown roles {sorted(unknown)}")
        table[action.name] = action
    return table


ACTIONS: dict[str, Action] = _index(_TABLE)


def _action(name: str) -> Action:
    try:
        return ACTIONS[name]
    except KeyError:
        raise KeyError(f"unknown action {name!r}") from None


def roles_for(action: str) -> tuple[str, ...]:
    """Every role that may take ``action``, the superuser included, in ``ROLES`` order."""
    allowed = set(_action(action).roles) | {SUPERUSER}
    return tuple(role for role in ROLES if role in allowed)


def can(actor: Actor | str, action: str) -> bool:
    """Whether an actor (or a bare role) may take ``action``."""
    role = actor if isinstance(actor, str) else actor.role
    return role == SUPERUSER or role in _action(action).roles


def require(actor: Actor, action: str) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may take ``action``."""
    if not can(actor, action):
        raise PermissionDenied(
            f"{actor.username} ({actor.role}) may not {_action(action).description}",
            key="error.permission_denied",
            role=actor.role,
        )

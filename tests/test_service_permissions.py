"""Every public service function that takes an actor, called as every role (issue 12, item 9).

The functions are found by introspection: each ``qa_app.services.<area>.__all__`` callable
with an ``actor`` parameter. ``GUARDS`` says, for each one, which action of the permissions
registry guards it (``None``: any signed-in role may call it, the function filters what it
returns). A function missing from ``GUARDS`` fails ``test_every_public_function_has_a_guard``,
so a new one is covered as soon as it is exported.

Each function runs on a fresh copy of a small SQLite world (users of every role, a pending
assignment, a submitted and disputed review, a calibration session, a plan, a mystery
scenario with a shopper's published visit and its attachment). Arguments
come from ``VALUES`` by parameter name (``ARGS`` overrides them per function); dataclass
parameters whose fields all have defaults are built empty. The call must either work, or
refuse for a reason of the data (``NotFound``, ``InvalidInput``, ``Conflict``...), or raise
the registry's ``PermissionDenied``, and the last exactly for the roles the registry
excludes. A record rule (a reviewer's *own* review) may refuse an allowed role with its own
key; an excluded role must be refused either way. Any other exception is a broken call.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from mystery_fixtures import PDF, PNG, answers, visit
from review_fixtures import SMALL_RUBRIC, seed_workflow
from sqlalchemy import select

import qa_app.services as services_pkg
from qa_app.services import database
from qa_app.services.actor import Actor
from qa_app.services.errors import PermissionDenied, ServiceError
from qa_app.services.permissions import ROLES, can
from qa_app.storage import db as storage_db

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
MAPPED = ("conversation_id", "channel", "language", "started_at", "role", "author", "text")
REGISTRY_KEY = "error.permission_denied"


def public_functions() -> dict[str, Callable]:
    """``area.name`` -> function, for every exported callable with an ``actor`` parameter."""
    found = {}
    for module in pkgutil.iter_modules(services_pkg.__path__):
        if not module.ispkg:
            continue
        package = importlib.import_module(f"qa_app.services.{module.name}")
        for name in getattr(package, "__all__", ()):
            obj = getattr(package, name)
            if inspect.isclass(obj) or not callable(obj):
                continue
            try:
                parameters = inspect.signature(obj).parameters
            except (TypeError, ValueError):
                continue
            if "actor" in parameters:
                found[f"{module.name}.{name}"] = obj
    return found


FUNCTIONS = public_functions()

#: The registry action that guards each function (a tuple: any of them; ``None``: every
#: role may call it and it filters by the actor itself, or guards a record of its own).
GUARDS: dict[str, str | tuple[str, ...] | None] = {
    "accounts.add_user": "users.manage",
    "accounts.create_api_token": "users.manage",  # another user's token (own: every role)
    "accounts.do_create_api_token": "users.manage",
    "accounts.list_api_tokens": "users.manage",
    "accounts.do_list_api_tokens": "users.manage",
    "accounts.revoke_api_token": None,  # one's own token; another's only for an admin
    "accounts.do_revoke_api_token": None,
    "autoqa.conversation_scores": "autoqa.read",
    "scoring_queue.queue_screen": "scoring_queue.view",
    "scoring_queue.enqueue_unscored": "autoqa.run",
    "scoring_queue.do_enqueue_unscored": "autoqa.run",
    "autoqa.do_conversation_scores": "autoqa.read",
    "imports.import_records": "import.run",
    "imports.do_import_records": "import.run",
    "reviews.list_reviews": ("review.read_any", "review.read_own", "results.view_own"),
    "reviews.do_list_reviews": ("review.read_any", "review.read_own", "results.view_own"),
    "reviews.read_review": ("review.read_any", "review.read_own", "results.view_own"),
    "reviews.do_read_review": ("review.read_any", "review.read_own", "results.view_own"),
    "accounts.change_password": None,
    "accounts.deactivate": "users.manage",
    "accounts.do_add_user": "users.manage",
    "accounts.do_change_password": None,
    "accounts.do_deactivate": "users.manage",
    "accounts.do_reactivate": "users.manage",
    "accounts.do_reset_password": "users.manage",
    "accounts.do_set_language": None,
    "accounts.do_set_role": "users.manage",
    "accounts.do_sign_out": None,
    "accounts.list_users": "users.manage",
    "accounts.open_session": None,
    "accounts.reactivate": "users.manage",
    "accounts.record_sign_out": None,
    "accounts.reset_password": "users.manage",
    "accounts.set_language": None,
    "accounts.set_role": "users.manage",
    "accounts.sign_out": None,
    "accounts.users_screen": "privacy.erase",
    "auditlog.audit_rows": "audit.read",
    "auditlog.audit_screen": "page.audit",
    "auditlog.do_export_audit_log": "privacy.erase",
    "auditlog.export_audit_log": "privacy.erase",
    "autoqa.agent_signal_frame": ("autoqa.read", "results.view_own"),  # agents: their own
    "autoqa.agreement_reports": "autoqa.read",
    "autoqa.agreement_screen": "autoqa.read",
    "autoqa.handover_screen": "autoqa.read",
    "autoqa.autoqa_screen": "autoqa.read",
    "autoqa.do_score_conversations": "autoqa.run",
    "autoqa.score_conversations": "autoqa.run",
    "autoqa.scoring_status": "autoqa.read",
    "autoqa.signal_distribution_screen": "autoqa.read",
    "calibration.calibration_results": ("calibration.manage", "calibration.take_part"),
    "calibration.calibration_screen": "queue.view",
    "calibration.close_session": "calibration.manage",
    "calibration.create_session": "calibration.manage",
    "calibration.do_close_session": "calibration.manage",
    "calibration.do_record_consensus": "calibration.manage",
    "calibration.do_set_counts_for_agents": "calibration.manage",
    "calibration.do_start_session": "queue.view_any",
    "calibration.get_session": ("calibration.manage", "calibration.take_part"),
    "calibration.list_sessions": "queue.view",
    "calibration.my_assignments": None,
    "calibration.record_consensus": "calibration.manage",
    "calibration.results_report": ("calibration.manage", "calibration.take_part"),
    "calibration.session_list": "queue.view",
    "calibration.set_counts_for_agents": "calibration.manage",
    "calibration.start_session": "queue.view_any",
    "coaching.agent_recommendations_screen": "page.coaching",
    "coaching.coaching_screen": "page.coaching",
    "coaching.confirm_session": "coaching.confirm",
    "coaching.create_plan": "coaching.plan",
    "coaching.do_confirm_session": "coaching.confirm",
    "coaching.do_create_plan": "coaching.plan",
    "coaching.do_record_session": "coaching.plan",
    "coaching.do_update_plan": "coaching.plan",
    "coaching.drivers_screen": "coaching.drivers",
    "coaching.list_plans": "page.scorecard",
    "coaching.plans_screen": "page.coaching_plans",
    "coaching.record_session": "coaching.plan",
    "coaching.team_recommendations_screen": "coaching.read_any",
    "coaching.update_plan": "coaching.plan",
    "disputes.disputes_screen": None,
    "disputes.do_raise_dispute": "dispute.raise",
    "disputes.do_resolve_dispute": "queue.view",
    "disputes.list_disputes": None,
    "disputes.raise_dispute": "dispute.raise",
    "disputes.resolve_dispute": "queue.view",
    "disputes.review_summary": None,
    "disputes.visible_reviews": None,
    "imports.do_get_preset": "import.run",
    "imports.do_import_file": "import.run",
    "imports.do_list_presets": "import.run",
    "imports.do_save_preset": "import.run",
    "imports.get_preset": "import.run",
    "imports.import_file": "import.run",
    "imports.import_screen": "queue.view_any",
    "imports.list_presets": "import.run",
    "imports.recent_imports": "import.run",
    "imports.save_preset": "import.run",
    "overview.filter_options": None,
    "overview.filter_options_screen": None,
    "overview.load_overview": None,
    "overview.overview_screen": None,
    "privacy.do_erase_customer": "privacy.erase",
    "privacy.do_purge": "privacy.retention",
    "privacy.do_purge_if_due": "privacy.retention",
    "privacy.do_set_policy": "privacy.retention",
    "privacy.erase_customer": "privacy.erase",
    "privacy.list_policies": "privacy.retention",
    "privacy.privacy_screen": "page.privacy",
    "privacy.purge": "privacy.retention",
    "privacy.purge_if_due": "privacy.retention",
    "privacy.set_policy": "privacy.retention",
    "results.acknowledge_review": "results.acknowledge",
    "results.do_acknowledge_review": "results.acknowledge",
    "results.my_results": "results.view_own",
    "results.my_results_screen": "results.view_own",
    "results.score_trend": "results.view_own",
    "results.unacknowledged_counts": "results.acknowledgements",
    "reviews.all_queues": "queue.view_any",
    "reviews.do_save_draft": "review.grade",
    "reviews.do_set_goal": "sampling.goals",
    "reviews.do_submit_review": "review.grade",
    "reviews.goal_progress": "sampling.goals",
    "reviews.goals_screen": "queue.view_any",
    "reviews.list_queue": "queue.view",
    "reviews.my_progress": "goals.view_own",
    "reviews.next_assignment": "queue.view",
    "reviews.open_review": "review.grade",
    "reviews.queue_counts": "queue.view",
    "reviews.queue_screen": "goals.view_own",
    "reviews.review_screen": "goals.view_own",
    "reviews.reviewer_options": "queue.view_any",
    "reviews.save_draft": "review.grade",
    "reviews.set_goal": "sampling.goals",
    "reviews.submit_review": "review.grade",
    "rubrics.do_save_rubric": "rubric.edit",
    "rubrics.rubrics_screen": None,
    "rubrics.save_rubric": "rubric.edit",
    "sampling.assign_conversation": "sampling.run",
    "sampling.create_sample": "sampling.run",
    "sampling.do_create_sample": "sampling.run",
    "sampling.do_run_due_plans": "sampling.plan",
    "sampling.do_run_plan": "sampling.plan",
    "sampling.do_save_plan": "sampling.plan",
    "sampling.do_send_to_review": "sampling.notable",
    "sampling.do_set_plan_active": "sampling.plan",
    "sampling.due_plans": "sampling.plan",
    "sampling.list_plans": "sampling.plan",
    "sampling.notable_conversations": "sampling.notable",
    "sampling.notable_screen": "queue.view_any",
    "sampling.plan_run_preview": "queue.view_any",
    "sampling.plans_screen": "queue.view_any",
    "sampling.preview_sample": "sampling.run",
    "sampling.productivity_screen": "reviews.productivity",
    "sampling.run_plan": "sampling.plan",
    "sampling.sample_options": "sampling.run",
    "sampling.sample_preview": "queue.view_any",
    "sampling.sampling_screen": "queue.view_any",
    "sampling.save_plan": "sampling.plan",
    "sampling.send_to_review": "sampling.notable",
    "sampling.set_plan_active": "sampling.plan",
    "sampling.simulate_plan": "sampling.plan",
    "scorecards.build_scorecard": "page.scorecard",
    "scorecards.build_team_dashboard": "queue.view_any",
    "scorecards.do_export_reviews": "queue.view_any",
    "scorecards.do_export_scorecard": "page.scorecard",
    "scorecards.do_export_team": "queue.view_any",
    "scorecards.export_reviews": "queue.view_any",
    "scorecards.export_scorecard": "page.scorecard",
    "scorecards.export_team": "queue.view_any",
    "scorecards.readable_agent_ids": "page.scorecard",
    "scorecards.require_agent": "page.scorecard",
    "scorecards.scorecard_choices_screen": "page.scorecard",
    "scorecards.scorecard_screen": "page.scorecard",
    "scorecards.team_choices_screen": "queue.view_any",
    "scorecards.team_screen": "queue.view_any",
    # mystery shopping: reading goes through ``visits.visible`` (None: it filters by actor)
    "mystery.add_attachments": ("mystery.record_any", "mystery.record_own"),
    "mystery.do_add_attachments": ("mystery.record_any", "mystery.record_own"),
    "mystery.attachment_file": None,
    "mystery.read_attachment": None,
    "mystery.build_visit": ("mystery.record_any", "mystery.record_own"),
    "mystery.record_visit": ("mystery.record_any", "mystery.record_own"),
    "mystery.do_record_visit": ("mystery.record_any", "mystery.record_own"),
    "mystery.create_scenario": "mystery.scenario_manage",
    "mystery.do_create_scenario": "mystery.scenario_manage",
    "mystery.update_scenario": "mystery.scenario_manage",
    "mystery.do_update_scenario": "mystery.scenario_manage",
    "mystery.install_catalogue": "mystery.scenario_manage",
    "mystery.do_install_catalogue": "mystery.scenario_manage",
    "mystery.scenarios_screen": "mystery.scenario_manage",
    "mystery.export_report": "mystery.export",
    "mystery.do_export_report": "mystery.export",
    "mystery.import_visits_csv": "mystery.import",
    "mystery.do_import_visits_csv": "mystery.import",
    "mystery.set_published": "mystery.publish",
    "mystery.do_set_published": "mystery.publish",
    "mystery.failed_items_by_agent": None,
    "mystery.mystery_report": None,
    "mystery.visits_screen": None,
    "mystery.report_screen": "page.mystery_reports",
}


# --- the world every call runs on -------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class World:
    url: str
    actors: dict[str, Actor]
    ids: dict[str, Any]


def _mystery_csv() -> bytes:
    """Two rows of the world's scenario with the same visit id (the second a duplicate)."""
    levels = answers()
    header = ["visit_id", "scenario", "contacted_at", "agent", *(f"item:{i}" for i in levels)]
    levels_text = [f"{a.value:g}" for a in levels.values()]
    row = ["V-1", SCENARIO, "2026-03-10 10:00", "a.petrova", *levels_text]
    return "".join(",".join(cells) + "\n" for cells in (header, row, row)).encode("utf-8")


def _seed_mystery(url: str, lead: Actor, shopper: Actor) -> dict[str, Any]:
    """A scenario, a shopper's visit about ``a.petrova`` with a PNG attached, published."""
    from qa_app.services import mystery
    from qa_app.storage.models import MysteryAttachment

    with storage_db.unit_of_work(url) as session:
        scenario = mystery.create_scenario(session, lead, _scenario_input(), now=NOW)
    with storage_db.unit_of_work(url) as session:
        shown = [mystery.Upload("screen.png", PNG)]
        visit_id = mystery.record_visit(session, shopper, visit(SCENARIO), shown, now=NOW)
        mystery.set_published(session, lead, [visit_id], now=NOW)
        attachment = session.scalar(select(MysteryAttachment.id))
    return {"scenario": scenario, "visit": visit_id, "attachment": attachment}


def _build_world(directory: Path) -> World:
    """Users of every role and one of each record the functions take ids of."""
    from qa_app.services.accounts import identity, users
    from qa_app.services.actor import SYSTEM
    from qa_app.services.calibration import grading as calibration
    from qa_app.services.disputes import decisions as disputes
    from qa_app.services.reviews import grading as reviews
    from qa_app.services.reviews.grading import GradeInput, ReviewDraft
    from qa_app.services.sampling import PlanInput, plans, recurring
    from qa_app.storage.models import Agent, Team

    url = f"sqlite:///{directory / 'world.db'}"
    storage_db.upgrade(url)
    flow = seed_workflow(url, conversations=6, reviewers=2)
    draft = ReviewDraft(
        grades={
            "politeness": GradeInput(2),
            "greeting": GradeInput(1),
            "correct_info": GradeInput(1),
        }  # fmt: skip
    )
    with storage_db.unit_of_work(url) as session:
        admin, _ = users.add_user(session, SYSTEM, "admin1", "admin", password="x" * 12)
        trainer, _ = users.add_user(session, SYSTEM, "trainer1", "trainer", password="x" * 12)
        shopper, _ = users.add_user(session, SYSTEM, "shopper1", "shopper", password="x" * 12)
        admin_actor = identity.load_actor(session, admin.id)
        trainer_actor = identity.load_actor(session, trainer.id)
        shopper_actor = identity.load_actor(session, shopper.id)
        pending = plans.assign_conversation(session, flow.lead, flow.conversation_ids[0], "rev1")
        done = plans.assign_conversation(session, flow.lead, flow.conversation_ids[2], "rev1")
    with storage_db.unit_of_work(url) as session:
        review_id = reviews.submit_review(session, flow.reviewers[0], done, draft, None).review_id
        dispute_id = disputes.raise_dispute(session, flow.agents[0], review_id, "unfair")
        sid = calibration.create_session(
            session, flow.lead, "world", ["rev1", "rev2"], [flow.conversation_ids[4]]
        )
        plan_id = recurring.save_plan(
            session, flow.lead, PlanInput(name="Weekly", reviewers=("rev1",)), now=NOW
        )
        agent_id = session.scalar(select(Agent.id).where(Agent.login == "a.petrova"))
        team_id = session.scalar(select(Team.id))
    mystery_ids = _seed_mystery(url, flow.lead, shopper_actor)
    csv = directory / "one.csv"
    csv.write_text(
        "conversation_id,channel,language,started_at,role,author,text\n"
        "imp-1,chat,en,2026-03-02T09:00:00+00:00,customer,,Hello\n",
        encoding="utf-8",
    )
    storage_db.dispose_engine(url)
    actors = {"admin": admin_actor, "lead": flow.lead, "reviewer": flow.reviewers[0],
              "trainer": trainer_actor, "agent": flow.agents[0], "shopper": shopper_actor}  # fmt: skip
    ids = {"pending": pending, "review": review_id, "dispute": dispute_id, "session": sid,
           "plan": plan_id, "agent": agent_id, "team": team_id, "csv": str(csv),
           "conversation": flow.conversation_ids[4], "conversations": list(flow.conversation_ids),
           **mystery_ids}  # fmt: skip
    return World(url, actors, ids)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> World:
    from qa_app.services.mystery import attachments

    with pytest.MonkeyPatch.context() as patch:  # visit attachments: files of this module only
        patch.setenv(attachments.ATTACHMENTS_ENV, str(tmp_path_factory.mktemp("attachments")))
        yield _build_world(tmp_path_factory.mktemp("permissions-world"))


def _copy(template: World, directory: Path) -> World:
    source = Path(template.url.removeprefix("sqlite:///"))
    target = directory / "world.db"
    shutil.copyfile(source, target)
    return dataclasses.replace(template, url=f"sqlite:///{target}")


# --- arguments by parameter name ----------------------------------------------------------


def _values(world: World) -> dict[str, Any]:
    from qa_app.ingest.mapping import ColumnMapping
    from qa_app.services.mystery import Upload
    from qa_app.services.reviews import ReviewDraft
    from qa_app.services.sampling import PlanInput, SampleRequest
    from qa_app.services.scorecards import Period

    ids = world.ids
    return {
        "now": NOW, "session_id": ids["session"], "username": "rev2", "plan_id": ids["plan"],
        "fmt": "csv", "name": "a name", "agent_id": ids["agent"],
        "period": Period(date(2026, 3, 1), date(2026, 3, 31)), "reviewers": ("rev1", "rev2"),
        "review_id": ids["review"], "assignment_id": ids["pending"], "role": "reviewer",
        "version": 1, "draft": ReviewDraft(), "lock_version": None,
        "request": SampleRequest(reviewers=("rev1",)), "conversation_id": ids["conversation"],
        "reviewer": "rev1", "current": "x" * 12, "new": "y" * 12, "language": "ru",
        "token": "not-a-token", "pipeline_version": "v1", "criterion_id": "politeness",
        "value": 2.0, "topic_id": "greeting", "agent_ids": [ids["agent"]], "due_at": NOW,
        "held_at": NOW, "exercises": [], "reason": "a reason", "dispute_id": ids["dispute"],
        "accept": False, "answer": "an answer", "mapping": ColumnMapping(columns={f: f for f in MAPPED}),
        "path": ids["csv"], "customer_id": "u-0", "source": "test", "days": 30,
        "weekly_reviews": 10, "yaml_text": SMALL_RUBRIC, "change_note": "a note",
        "data": PlanInput(name="Another", reviewers=("rev1",)),
        "conversation_ids": [ids["conversation"]], "active": False, "signals": ("sentiment",),
        "team_id": ids["team"], "start": NOW, "token_id": 1, "external_id": "c-0",
        "records": [{"conversation_id": "api-1", "messages": [{"role": "customer",
                                                               "text": "Hello"}]}],
        "scenario_id": ids["scenario"], "visit_id": ids["visit"], "visit_ids": [ids["visit"]],
        "attachment_id": ids["attachment"], "uploads": [Upload("note.pdf", PDF)], "lang": "ru",
        "default_tz": UTC,
        "end": datetime(2026, 4, 1, tzinfo=UTC),
    }  # fmt: skip


#: The world's mystery-shopper scenario, by slug (its id differs per world only in theory).
SCENARIO = "refund-by-chat"


def _scenario_input():
    from qa_app.services.mystery import ScenarioInput

    return ScenarioInput(name="Refund by chat", channel="chat", persona="Oleg, 40",
                         request="I want my money back", correct_answer="Refund within 7 days",
                         checklist="mystery-shopper-default")  # fmt: skip


def _both(name: str, arguments: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The same arguments for ``area.x`` and its unit of work ``area.do_x``."""
    area, function = name.split(".")
    return {name: arguments, f"{area}.do_{function}": arguments}


def _report_filter():
    from qa_app.services.mystery import ReportFilter

    return ReportFilter(date(2026, 3, 1), date(2026, 3, 31))


#: Per-function arguments where the name alone is not enough.
ARGS: dict[str, dict[str, Any]] = {
    "accounts.add_user": {"username": "new.user"},
    "accounts.do_add_user": {"username": "new.user"},
    **_both("mystery.create_scenario", {"data": _scenario_input(), "now": NOW}),
    **_both("mystery.update_scenario", {"data": _scenario_input(), "now": NOW}),
    **_both("mystery.record_visit", {"data": visit(SCENARIO), "now": NOW}),
    "mystery.build_visit": {"data": visit(SCENARIO), "now": NOW},
    **_both("mystery.import_visits_csv", {"data": _mystery_csv(), "now": NOW}),
    **_both("mystery.export_report", {"filters": _report_filter(), "fmt": "xlsx", "now": NOW}),
    "mystery.mystery_report": {"filters": _report_filter()},
    "mystery.report_screen": {"filters": _report_filter()},
    **_both("mystery.install_catalogue", {"now": NOW}),
    **_both("mystery.add_attachments", {"now": NOW}),
    **_both("mystery.set_published", {"published": False, "now": NOW}),
    "mystery.failed_items_by_agent": {"start": datetime(2026, 3, 1, tzinfo=UTC)},
}


def _argument(name: str, parameter: inspect.Parameter, values: dict[str, Any], fn) -> Any:
    if name in values:
        return values[name]
    annotation = parameter.annotation
    if dataclasses.is_dataclass(annotation):  # its required fields by name, too
        required = {f.name: values[f.name] for f in dataclasses.fields(annotation)
                    if f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING}  # fmt: skip
        return annotation(**required)
    raise LookupError(f"no value for parameter {name!r} of {fn.__module__}.{fn.__name__}")


def call(world: World, role: str, qualified: str) -> str:
    """Run one function as ``role``: "ok", "refused" (the data), "record" (a record rule),
    or "denied" (the registry). Anything else raises."""
    fn = FUNCTIONS[qualified]
    parameters = inspect.signature(fn, eval_str=True).parameters
    values = {**_values(world), **ARGS.get(qualified, {}), "actor": world.actors[role]}
    session = storage_db.session_factory(world.url)()
    values["session"], values["uow"] = session, database.unit_of_work(world.url)
    args, kwargs = [], {}
    # ``do_x = atomic(x)`` shows ``x``'s signature; its first argument is the unit of work.
    unit_first = fn.__name__.startswith("do_") and hasattr(fn, "__wrapped__")
    if unit_first:
        values["session"] = values["uow"]
    for name, parameter in parameters.items():
        required = parameter.default is inspect.Parameter.empty
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if not required and name not in ARGS.get(qualified, {}) and name != "actor":
            continue
        value = _argument(name, parameter, values, fn)
        if parameter.kind == parameter.KEYWORD_ONLY:
            kwargs[name] = value
        else:
            args.append(value)
    try:
        result = fn(*args, **kwargs)
        if inspect.isgenerator(result):
            list(result)
        return "ok"
    except PermissionDenied as exc:
        return "denied" if exc.key == REGISTRY_KEY else "record"
    except ServiceError:
        return "refused"
    finally:
        session.rollback()
        session.close()


# --- the tests ------------------------------------------------------------------------------


def allowed(role: str, guard: str | tuple[str, ...] | None) -> bool:
    if guard is None:
        return True
    return any(can(role, action) for action in ((guard,) if isinstance(guard, str) else guard))


def test_every_public_function_has_a_guard():
    """A newly exported function taking an actor must say here what guards it."""
    assert sorted(set(FUNCTIONS) - set(GUARDS)) == []
    assert sorted(set(GUARDS) - set(FUNCTIONS)) == []  # no entry for a function gone


def test_the_introspection_finds_the_known_surface():
    assert {"reviews.save_draft", "disputes.do_raise_dispute", "calibration.set_counts_for_agents",
            "accounts.add_user", "sampling.do_save_plan"} <= set(FUNCTIONS)  # fmt: skip
    assert len(FUNCTIONS) > 100


def _fits(role: str, guard, outcome: str) -> bool:
    """An allowed role is never refused by the registry; any other is refused."""
    if allowed(role, guard):
        return outcome != "denied"
    return outcome in ("denied", "record")


@pytest.mark.parametrize("qualified", sorted(FUNCTIONS))
def test_each_role_is_refused_exactly_when_the_registry_says(qualified, template, tmp_path):
    if qualified not in GUARDS:
        pytest.fail(f"{qualified} takes an actor but has no entry in GUARDS")
    guard = GUARDS[qualified]
    outcomes = {}
    for role in ROLES:
        directory = tmp_path / role
        directory.mkdir()
        world = _copy(template, directory)
        try:
            outcomes[role] = call(world, role, qualified)
        finally:
            storage_db.dispose_engine(world.url)
    wrong = {role: outcome for role, outcome in outcomes.items() if not _fits(role, guard, outcome)}
    assert wrong == {}, f"{qualified} guarded by {guard}: {outcomes}"


def test_the_check_catches_a_wrong_answer_either_way():
    """A registry refusal for an allowed role, or no refusal for an excluded one, is wrong."""
    assert not _fits("lead", "review.grade", "denied")
    assert not _fits("agent", "users.manage", "ok")
    assert not _fits("agent", "users.manage", "refused")
    assert _fits("agent", "users.manage", "record") and _fits("admin", "users.manage", "ok")
    assert _fits("reviewer", None, "record") and not _fits("reviewer", None, "denied")

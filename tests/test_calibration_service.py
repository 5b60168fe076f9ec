"""Calibration sessions on both databases: blind assignments, known agreement figures,
severity on the 0-100 scale, consensus, closing, and who may see what when."""

from __future__ import annotations

import math

import pytest
from review_fixtures import seed_workflow
from sqlalchemy import func, select

from qa_app.services.calibration import grading as calibration
from qa_app.services.calibration.results import calibration_results
from qa_app.services.errors import Conflict, InvalidInput, PermissionDenied
from qa_app.services.reviews import grading as reviews
from qa_app.services.reviews.grading import GradeInput, ReviewDraft
from qa_app.services.rubrics import store as rubrics
from qa_app.storage import db as storage_db
from qa_app.storage.models import Assignment, AuditEvent

CALIBRATION_RUBRIC = """\
id: calib-test
version: 1
name: {en: Calibration test rubric, ru: Тестовая форма калибровки}
description: {en: Three criteria on three scales., ru: Три критерия на трёх шкалах.}
categories:
  - id: all
    name: {en: All, ru: Всё}
    weight: 1
    criteria:
      - id: objections
        name: {en: Objection handling, ru: Работа с возражениями}
        description: {en: Handles objections., ru: Работает с возражениями.}
        scale: {type: 1-5, levels: [{value: 1, descriptor: {en: L1., ru: У1.}}, {value: 2, descriptor: {en: L2., ru: У2.}}, {value: 3, descriptor: {en: L3., ru: У3.}}, {value: 4, descriptor: {en: L4., ru: У4.}}, {value: 5, descriptor: {en: L5., ru: У5.}}]}
        na_allowed: true
        coaching_topic: objections
      - id: greeting
        name: {en: Greeting, ru: Приветствие}
        description: {en: Greets., ru: Здоровается.}
        scale: {type: pass_fail, levels: [{value: 0, descriptor: {en: L0., ru: У0.}}, {value: 1, descriptor: {en: L1., ru: У1.}}]}
        na_allowed: true
        coaching_topic: greeting
      - id: patience
        name: {en: Patience, ru: Терпение}
        description: {en: Patient., ru: Терпелив.}
        scale: {type: 1-3, levels: [{value: 1, descriptor: {en: L1., ru: У1.}}, {value: 2, descriptor: {en: L2., ru: У2.}}, {value: 3, descriptor: {en: L3., ru: У3.}}]}
        coaching_topic: patience
"""

N = None
# Krippendorff (2011), example C: 4 observers x 12 units; alpha ordinal = 0.815.
KRIPPENDORFF_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
# Two raters, ten items: 4 both pass, 1 + 1 split, 4 both fail -> po 0.8, pe 0.5, kappa 0.6.
GREETING_AB = [
    [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, N, N],
    [1, 1, 1, 1, 0, 1, 0, 0, 0, 0, N, N],
]


def _setup(url: str, conversations: int = 12, reviewers: int = 4):
    flow = seed_workflow(url, conversations=conversations, reviewers=reviewers)
    with storage_db.unit_of_work(url) as session:
        version = rubrics.save_rubric(session, flow.lead, CALIBRATION_RUBRIC, "calibration test")
    return flow, version.version_id


def _grade(url, reviewer, assignment_id, values: dict, comment: str = "") -> None:
    draft = ReviewDraft(
        grades={
            key: GradeInput(None, True, "") if value is None else GradeInput(value, False, comment)
            for key, value in values.items()
        }
    )
    with storage_db.unit_of_work(url) as session:
        reviews.submit_review(session, reviewer, assignment_id, draft, None)


def _assignments(url, session_id: int) -> dict[tuple[int, int], int]:
    with storage_db.unit_of_work(url) as session:
        rows = session.execute(
            select(Assignment.reviewer_id, Assignment.conversation_id, Assignment.id).where(
                Assignment.calibration_session_id == session_id
            )
        ).all()
    return {(r, c): a for r, c, a in rows}


def _krippendorff_session(url):
    flow, version_id = _setup(url)
    names = [r.username for r in flow.reviewers]
    with storage_db.unit_of_work(url) as session:
        sid = calibration.create_session(
            session,
            flow.lead,
            "March calibration",
            names,
            list(flow.conversation_ids),
            rubric_version_id=version_id,
        )
    ids = _assignments(url, sid)
    for r, reviewer in enumerate(flow.reviewers):
        for j, conv_id in enumerate(flow.conversation_ids):
            greeting = GREETING_AB[r][j] if r < 2 else N
            _grade(
                url,
                reviewer,
                ids[(reviewer.user_id, conv_id)],
                {"objections": KRIPPENDORFF_C[r][j], "greeting": greeting, "patience": 3},
                comment=f"note by {reviewer.username}",
            )
    return flow, sid


def test_create_makes_blind_assignments_per_reviewer_and_conversation(db_url):
    flow, version_id = _setup(db_url, conversations=6, reviewers=3)
    names = [r.username for r in flow.reviewers]
    with storage_db.unit_of_work(db_url) as session:
        sid = calibration.create_session(
            session,
            flow.lead,
            "Week 10",
            names,
            sample_size=4,
            seed=7,
            rubric_version_id=version_id,
        )
        again = calibration.sample_conversations(session, 4, seed=7)
    with storage_db.unit_of_work(db_url) as session:
        rows = list(
            session.scalars(select(Assignment).where(Assignment.calibration_session_id == sid))
        )
        assert len(rows) == 12 and all(a.blind for a in rows)
        assert {a.conversation_id for a in rows} == set(again)
        # both agents are represented: the sample rotates over agents
        assert (
            len({session.get(type(rows[0].conversation), a.conversation_id).agent_id for a in rows})
            == 2
        )
        summary = calibration.get_session(session, flow.lead, sid)
        assert (summary.graded, summary.total, summary.conversations) == (0, 12, 4)
        assert summary.reviewers == tuple(sorted(names))
        events = session.scalar(
            select(func.count()).where(AuditEvent.action == "calibration.created")
        )
        assert events == 1
        mine = calibration.list_sessions(session, flow.reviewers[0])
        assert [s.session_id for s in mine] == [sid] and mine[0].my_total == 4
        with pytest.raises(PermissionDenied):
            calibration.create_session(session, flow.reviewers[0], "x", names, sample_size=2)
        with pytest.raises(InvalidInput):
            calibration.create_session(session, flow.lead, "x", names[:1], sample_size=2)
        with pytest.raises(InvalidInput):
            calibration.create_session(session, flow.lead, " ", names, sample_size=2)


def test_known_agreement_figures_from_published_examples(db_url):
    flow, sid = _krippendorff_session(db_url)
    with storage_db.unit_of_work(db_url) as session:
        results = calibration_results(session, flow.lead, sid)
    by_id = {c.criterion_id: c for c in results.criteria}
    objections = by_id["objections"]
    assert round(objections.alpha, 3) == 0.815
    assert objections.n_items == 11 and objections.n_raters == 4
    assert objections.weighting == "linear" and len(objections.pair_kappas) == 6
    greeting = by_id["greeting"]
    assert greeting.pair_kappas[("rev1", "rev2")] == pytest.approx(0.6)
    assert greeting.percent_agreement == pytest.approx(0.8)
    assert greeting.weighting is None and greeting.n_items == 10
    patience = by_id["patience"]
    assert math.isnan(patience.alpha) and math.isnan(patience.fleiss)
    assert patience.undefined == "all_same" and patience.percent_agreement == 1.0
    assert results.reviews == 48 and results.summary.graded == 48
    top = results.discussion[0]
    # greeting 1 vs 0 (100 points) plus two N/A against grades (50 each): 300 / 6 pairs
    assert (top.criterion_id, top.external_id, top.disagreement) == ("greeting", "c-4", 50.0)
    assert top.na_split
    unit6 = results.discussion[2]
    assert unit6.criterion_id == "objections" and not unit6.na_split
    assert unit6.external_id == "c-5"  # 1, 2, 3, 4: mean pairwise gap of 41.7 points
    assert unit6.disagreement == pytest.approx(250 / 6)
    assert [g.reviewer for g in top.grades] == ["rev1", "rev2", "rev3", "rev4"]
    assert top.grades[0].comment == "note by rev1"
    # item 12: one reviewer graded objections, three said N/A -> flagged as an N/A split
    assert any(i.na_split and i.external_id == "c-11" for i in results.discussion)


def test_severity_is_on_the_0_100_scale(db_url):
    flow, version_id = _setup(db_url, conversations=3, reviewers=3)
    names = [r.username for r in flow.reviewers]
    with storage_db.unit_of_work(db_url) as session:
        sid = calibration.create_session(
            session, flow.lead, "Severity", names, list(flow.conversation_ids),
            rubric_version_id=version_id,
        )  # fmt: skip
    ids = _assignments(db_url, sid)
    patience = {"rev1": 3, "rev2": 2, "rev3": 2}
    for reviewer in flow.reviewers:
        for conv_id in flow.conversation_ids:
            values = {"objections": N, "greeting": N, "patience": patience[reviewer.username]}
            _grade(db_url, reviewer, ids[(reviewer.user_id, conv_id)], values)
    with storage_db.unit_of_work(db_url) as session:
        results = calibration_results(session, flow.lead, sid)
    offsets = {s.reviewer: (s.offset, s.n) for s in results.severity}
    # rev1 is one level (of two) above the others' mean: +50 points; the others -25.
    assert offsets == {"rev1": (50.0, 3), "rev2": (-25.0, 3), "rev3": (-25.0, 3)}
    assert results.severity[-1].worst_criterion == "Patience"
    assert all(s.spread is not None and s.spread > 0 for s in results.spreads)


def test_consensus_close_and_visibility(db_url):
    flow, sid = _krippendorff_session(db_url)
    lead, reviewer = flow.lead, flow.reviewers[0]
    conv = flow.conversation_ids[5]
    with storage_db.unit_of_work(db_url) as session:
        with pytest.raises(PermissionDenied):  # blind until closed
            calibration_results(session, reviewer, sid)
        with pytest.raises(PermissionDenied):
            calibration.record_consensus(session, reviewer, sid, conv, "objections", 2)
        with pytest.raises(InvalidInput):
            calibration.record_consensus(session, lead, sid, conv, "objections", 7)
        with pytest.raises(InvalidInput):
            calibration.record_consensus(session, lead, sid, conv, "patience", None)
        calibration.record_consensus(session, lead, sid, conv, "objections", 3, "first pass")
        calibration.record_consensus(session, lead, sid, conv, "objections", 2, "agreed: 2")
        calibration.record_consensus(session, lead, sid, conv, "greeting", 0)
    with storage_db.unit_of_work(db_url) as session:
        calibration.close_session(session, lead, sid, "Objections read differently")
        with pytest.raises(Conflict):
            calibration.close_session(session, lead, sid)
    with storage_db.unit_of_work(db_url) as session:
        with pytest.raises(Conflict):
            calibration.record_consensus(session, lead, sid, conv, "objections", 1)
        results = calibration_results(session, reviewer, sid)
        assert results.summary.is_closed and results.summary.notes == "Objections read differently"
        assert results.consensus_count == 2
        item = next(
            i for i in results.discussion
            if i.conversation_id == conv and i.criterion_id == "objections"
        )  # fmt: skip
        assert item.consensus == 2 and item.consensus_notes == "agreed: 2"
        by_reviewer = {c.reviewer: c for c in results.consensus_agreement}
        # item 6: objections rev1 1, rev2 2, rev3 3, rev4 4 (consensus 2); greeting rev1 0,
        # rev2 1 (consensus 0); rev3 and rev4 said N/A on greeting, which is not compared.
        assert (by_reviewer["rev1"].n, by_reviewer["rev1"].exact) == (2, 0.5)
        assert by_reviewer["rev1"].mean_abs_diff == pytest.approx(12.5)
        assert by_reviewer["rev2"].offset == pytest.approx(50.0)
        assert (by_reviewer["rev4"].n, by_reviewer["rev4"].offset) == (1, 50.0)
        actions = list(
            session.scalars(
                select(AuditEvent.action).where(AuditEvent.action.like("calibration.%"))
            )
        )
        assert actions.count("calibration.consensus") == 3 and "calibration.closed" in actions
        outsider = flow.agents[0]
        with pytest.raises(PermissionDenied):
            calibration_results(session, outsider, sid)


def test_cli_create_and_results(sqlite_url):
    from click.testing import CliRunner

    from qa_app.cli import cli

    flow, sid = _krippendorff_session(sqlite_url)
    runner = CliRunner()
    out = runner.invoke(
        cli,
        ["--db", sqlite_url, "calibration", "create", "--name", "CLI", "--reviewers",
         "rev1,rev2", "--conversations", "c-1,c-2,10"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "3 conversations x 2 reviewers = 6 blind assignments" in out.output
    bad = runner.invoke(
        cli,
        ["--db", sqlite_url, "calibration", "create", "--name", "x", "--reviewers", "rev1",
         "--conversations", "2"],
    )  # fmt: skip
    assert bad.exit_code != 0 and "at least two reviewers" in bad.output
    shown = runner.invoke(cli, ["--db", sqlite_url, "calibration", "results", str(sid)])
    assert shown.exit_code == 0, shown.output
    line = next(x for x in shown.output.splitlines() if x.startswith("objections"))
    assert line.split()[-1] == "0.82"  # Krippendorff's published 0.815
    assert "patience" in shown.output and "all same" in shown.output
    missing = runner.invoke(cli, ["--db", sqlite_url, "calibration", "results", "999"])
    assert missing.exit_code != 0 and "not found" in missing.output

"""Checks of the references between the coaching catalogue and the rubrics, both ways: the
criterion ids a topic lists exist in their rubric, and the ``coaching_topic`` of every
criterion of a referenced rubric names a topic that lists it back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scoring.rubric.documents import DocumentChecker, Problem, did_you_mean, join_path
from scoring.rubric.files import Rubric


def check_references(check: DocumentChecker, data: Mapping, rubrics: Mapping[str, Rubric]) -> None:
    """Criterion ids exist in their rubric, and every criterion of a referenced rubric is
    listed by the topic its ``coaching_topic`` names, so the links work both ways."""
    for index, topic in enumerate(data["topics"]):
        for rubric_id, ids in topic["criteria"].items():
            _check_link_targets(check, _links_path(index, rubric_id), rubric_id, ids, rubrics)
    referenced = {r for topic in data["topics"] for r in topic["criteria"] if r in rubrics}
    positions = {topic["id"]: index for index, topic in enumerate(data["topics"])}
    for rubric_id in sorted(referenced):
        for criterion in rubrics[rubric_id].criteria():
            where = positions.get(criterion.coaching_topic)
            if where is None:
                continue  # reported on the rubric itself by check_rubric_topics
            if criterion.id not in data["topics"][where]["criteria"].get(rubric_id, ()):
                check.add(
                    _links_path(where, rubric_id),
                    f"misses '{criterion.id}': its coaching_topic in rubric '{rubric_id}' "
                    f"is '{criterion.coaching_topic}'",
                )


def _links_path(topic_index: int, rubric_id: str) -> str:
    return f"topics[{topic_index}].criteria.{rubric_id}"


def _check_link_targets(
    check: DocumentChecker, path: str, rubric_id: str, ids: list, rubrics: Mapping[str, Rubric]
) -> None:
    rubric = rubrics.get(rubric_id)
    if rubric is None:
        known = ", ".join(sorted(rubrics)) or "none"
        hint = did_you_mean(rubric_id, rubrics)
        check.add(path, f"unknown rubric '{rubric_id}'{hint}; known: {known}")
        return
    known_ids = rubric.criterion_ids()
    for index, criterion_id in enumerate(ids):
        if criterion_id not in known_ids:
            hint = did_you_mean(criterion_id, known_ids)
            message = f"no criterion '{criterion_id}' in rubric '{rubric_id}'{hint}"
            check.add(join_path(path, index), message)


def check_rubric_topics(rubric: Rubric, topic_ids: Iterable[str]) -> list[Problem]:
    """Problems of a rubric whose ``coaching_topic`` slugs are not in the catalogue, at the
    criterion's YAML path in the rubric file (categories[i].criteria[j].coaching_topic)."""
    known = tuple(topic_ids)
    problems = []
    for c_index, category in enumerate(rubric.categories):
        for k_index, criterion in enumerate(category.criteria):
            if criterion.coaching_topic not in known:
                path = f"categories[{c_index}].criteria[{k_index}].coaching_topic"
                hint = did_you_mean(criterion.coaching_topic, known)
                message = f"no coaching topic '{criterion.coaching_topic}' in the catalogue{hint}"
                problems.append(Problem(path, message))
    return problems

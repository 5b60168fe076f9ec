"""The demo's multi-attribute surveys: a share of conversations, and the personas visible
in them (the curt agents' customers rate courtesy low and speed high, the warm agents'
the other way round), without changing anything else the generator writes."""

from __future__ import annotations

from collections import defaultdict
from statistics import mean

import pytest

from qa_app.demo.corpus import feedback
from qa_app.demo.corpus.generator import generate_corpus
from qa_app.demo.corpus.personas import AGENTS

PERSONA = {a.login: a.persona for a in AGENTS}


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return list(generate_corpus(seed=11, n_conversations=1500))


def _ratings(corpus: list[dict]) -> dict[str, dict[str, list[int]]]:
    by_persona: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for record in corpus:
        if "survey" not in record:
            continue
        agent = next(m["author"] for m in record["messages"] if m["role"] == "agent")
        for attribute, rating in record["survey"]["ratings"].items():
            by_persona[PERSONA[agent]][attribute].append(rating)
    return by_persona


def test_a_share_of_the_csat_respondents_answer_the_attribute_survey(corpus) -> None:
    surveyed = [r for r in corpus if "survey" in r]
    assert all("csat" in r for r in surveyed)  # asked after the CSAT question
    share = len(surveyed) / sum("csat" in r for r in corpus)
    assert 0.6 < share < 0.8  # ATTRIBUTE_SURVEY_SHARE = 0.7
    for record in surveyed:
        survey = record["survey"]
        assert set(survey["ratings"]) == set(feedback.SURVEY_IMPORTANCE)
        assert survey["importance"] == feedback.SURVEY_IMPORTANCE
        assert all(1 <= v <= 5 for v in survey["ratings"].values())


def test_personas_show_in_the_attribute_ratings(corpus) -> None:
    r = _ratings(corpus)
    curt, warm, solid = r["fast_curt"], r["warm_slow"], r["solid"]
    assert mean(curt["courtesy"]) < mean(solid["courtesy"]) - 1.0
    assert mean(curt["speed"]) > mean(warm["speed"]) + 1.0
    assert mean(warm["courtesy"]) > mean(curt["courtesy"]) + 1.5
    assert mean(r["polite_misses"]["resolution"]) < mean(r["resolver"]["resolution"]) - 1.5


def test_the_survey_draws_from_its_own_generator(corpus, monkeypatch) -> None:
    # without the survey the generator writes exactly what it wrote before surveys existed:
    # messages, CSAT, NPS and tags do not move when the survey is asked
    monkeypatch.setattr(feedback, "attribute_survey", lambda *args: None)
    without = list(generate_corpus(seed=11, n_conversations=1500))
    assert [{k: v for k, v in rec.items() if k != "survey"} for rec in corpus] == without

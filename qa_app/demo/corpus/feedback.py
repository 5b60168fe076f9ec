"""Survey answers, tags and status that agree with what happened in the conversation."""

from __future__ import annotations

import random
from datetime import datetime

from qa_app.demo.corpus.scene import Scene

# Default response-time targets (minutes) the app's timing scorer uses.
FIRST_RESPONSE_TARGET = {"chat": 15, "messenger": 60, "email": 120, "social": 60, "phone": 5}
PERSONA_CSAT_SHIFT = {
    "warm_slow": 0.35,
    "resolver": 0.5,
    "fast_curt": -0.55,
    "jargon": -0.5,
    "polite_misses": -0.4,
}


def first_response_minutes(messages: list[dict]) -> float | None:
    """Minutes from the first customer message to the first agent reply after it."""
    asked = None
    for m in messages:
        moment = datetime.fromisoformat(m["sent_at"])
        if m["role"] == "customer" and asked is None:
            asked = moment
        elif m["role"] == "agent" and asked is not None:
            return (moment - asked).total_seconds() / 60
    return None


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def survey(scene: Scene, messages: list[dict]) -> tuple[int | None, int | None]:
    """CSAT and NPS for the ~35% of customers who answer; ``None`` when they do not."""
    rng, plot = scene.rng, scene.plot
    if rng.random() >= (0.44 if scene.mood == "angry" else 0.34):
        return None, None
    score = 4.45 if plot.resolved else 2.1
    score += PERSONA_CSAT_SHIFT.get(scene.persona.key, 0.0)
    score -= 1.3 if plot.rude else 0.0
    score -= 0.7 * (1.0 - scene.skill)
    if scene.mood == "angry":
        score += 0.3 if plot.turned_around else -0.4
    score -= 0.4 if scene.previous else 0.0
    score -= 0.3 if plot.escalated else 0.0
    waited = first_response_minutes(messages)
    if waited is not None and waited > FIRST_RESPONSE_TARGET[scene.channel]:
        score -= 0.4
    csat = _clamp(score + rng.gauss(0.0, 0.7), 1, 5)
    if rng.random() < 0.25:
        return csat, None
    return csat, _clamp(2 * csat - 0.6 + rng.gauss(0.0, 1.4), 0, 10)


#: The demo's post-contact survey: attributes and the importance its design gives each.
SURVEY_IMPORTANCE = {"speed": 3, "courtesy": 2, "competence": 4, "resolution": 5}
#: How each persona moves each attribute (points on 1-5) from what the conversation earned:
#: the curt agent is quick and impolite, the warm one polite and slow, and so on.
PERSONA_ATTRIBUTE_SHIFT = {
    "fast_curt": {"speed": 0.6, "courtesy": -1.6},
    "warm_slow": {"speed": -1.0, "courtesy": 0.6},
    "resolver": {"competence": 0.5, "resolution": 0.4},
    "jargon": {"competence": -0.3, "courtesy": -0.2, "resolution": -0.3},
    "polite_misses": {"courtesy": 0.5, "competence": -0.6, "resolution": -0.5},
    "rude_under_pressure": {"courtesy": -0.8},
    "new_hire": {"competence": -0.6},
}
#: Share of the CSAT respondents who also answer the attribute questions.
ATTRIBUTE_SURVEY_SHARE = 0.7


def attribute_survey(scene: Scene, messages: list[dict], csat: int | None) -> dict | None:
    """Ratings of speed, courtesy, competence and resolution for most CSAT respondents,
    consistent with the persona and with how the conversation went; None when not asked.

    Drawn from its own generator seeded by the conversation, so adding the survey leaves
    every other generated value (messages, CSAT, NPS) exactly as it was.
    """
    if csat is None:
        return None
    rng = random.Random(f"survey|{scene.customer.customer_id}|{messages[0]['sent_at']}")
    if rng.random() >= ATTRIBUTE_SURVEY_SHARE:
        return None
    waited = first_response_minutes(messages)
    slow = waited is not None and waited > FIRST_RESPONSE_TARGET[scene.channel]
    base = {
        "speed": 4.3 - (1.2 if slow else 0.0),
        "courtesy": 4.4 - (1.5 if scene.plot.rude else 0.0),
        "competence": 4.2 - 1.2 * (1.0 - scene.skill) - (0.8 if scene.plot.misses_point else 0.0),
        "resolution": 4.5 if scene.plot.resolved else 2.0,
    }
    shift = PERSONA_ATTRIBUTE_SHIFT.get(scene.persona.key, {})
    mood = 0.25 * (csat - 3.5)  # a customer's overall feeling colours every answer a little
    ratings = {a: _clamp(v + shift.get(a, 0.0) + mood + rng.gauss(0.0, 0.6), 1, 5)
               for a, v in base.items()}  # fmt: skip
    return {"ratings": ratings, "importance": dict(SURVEY_IMPORTANCE)}


def tags(scene: Scene) -> list[str]:
    found = [scene.topic]
    if scene.topic == "refund" and scene.rng.random() < 0.5:
        found.append("billing")
    if scene.topic == "bug" and scene.plot.asks_bug_details:
        found.append("bug_report")
    if scene.mood == "angry":
        found.append("complaint")
    if scene.previous is not None:
        found.append("repeat_contact")
    return found


def status(scene: Scene) -> str:
    if scene.plot.resolved:
        return "resolved"
    if scene.plot.escalated:
        return "pending"
    return "open" if scene.rng.random() < 0.6 else "pending"

"""What a customer writes: calm, confused or angry, and how they react to the agent."""

from __future__ import annotations

from qa_app.demo.corpus.phrasebook import calm_down_caps, join_sentences, lower_first
from qa_app.demo.corpus.scene import Scene

EMOJI = {"angry": ("😡", "🤬", ""), "calm": ("🙏", "", ""), "confused": ("🤔", "😕", "")}


def said(scene: Scene, *path: str) -> str:
    return scene.hear(scene.book.pick(scene.rng, "customer", *path))


def topic_said(scene: Scene, kind: str, mood: str = "") -> str:
    return scene.hear(scene.rng.choice(scene.topic_lines(kind, mood)))


def problem(scene: Scene) -> str:
    """The complaint itself, in the customer's mood of the day."""
    if not scene.question:
        scene.question = topic_said(scene, "open", scene.mood)
    parts = [scene.question]
    if scene.previous is not None:
        parts.insert(0, scene.hear(scene.book.pick(scene.rng, "repeat_open")))
    if scene.mood == "confused" and scene.rng.random() < 0.5:
        parts.append(said(scene, "confused_tail"))
    if scene.mood == "angry" and scene.rng.random() < 0.35:
        parts.append(said(scene, "angry_more"))
    return join_sentences(parts)


def opening(scene: Scene) -> str:
    greet = said(scene, "greet") if scene.channel != "social" else ""
    text = join_sentences([greet, problem(scene)])
    if scene.channel == "messenger" and scene.rng.random() < 0.4:
        text = join_sentences([text, scene.rng.choice(EMOJI[scene.mood])])
    return text


def public_post(scene: Scene) -> str:
    """A short public complaint on a social network."""
    return topic_said(scene, "social")


def details(scene: Scene) -> str:
    """Answers to the agent's question; a bug checklist gets steps, expected, actual."""
    if scene.plot.asks_bug_details:
        return topic_said(scene, "bug_details")
    return topic_said(scene, "detail")


def repeats_question(scene: Scene) -> str:
    """The agent missed the point: the customer asks again."""
    restated = lower_first(calm_down_caps(scene.question or topic_said(scene, "open", "calm")))
    return join_sentences([said(scene, "repeat"), said(scene, "restate") + restated])


def reaction(scene: Scene, worked: bool) -> str:
    """After the agent's answer: thanks when it worked, frustration when not."""
    if worked:
        text = said(scene, "calmer") if scene.plot.turned_around else said(scene, "thanks")
        if scene.channel == "messenger" and scene.rng.random() < 0.4:
            text += " 👍"
        return text
    parts = [said(scene, "still")]
    if scene.mood == "angry":
        parts.append(said(scene, "angry_more"))
        if scene.plot.rude or scene.plot.escalated:
            parts.append(said(scene, "demand_manager"))
    return join_sentences(parts)


def goodbye(scene: Scene) -> str:
    if scene.plot.resolved and scene.rng.random() < 0.6:
        return said(scene, "thanks")
    return said(scene, "bye" if scene.plot.resolved or scene.mood != "angry" else "ok")


def email(scene: Scene, body: str) -> str:
    """E-mail layout: greeting, text, sign-off with the customer's name."""
    greet = said(scene, "greet") or scene.book.options("customer", "greet")[0]
    sign = said(scene, "email_sign") if scene.customer.shares_name else ""
    return "\n\n".join(part for part in (greet, body, sign) if part)

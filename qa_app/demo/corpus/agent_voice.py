"""What an agent writes, shaped by their persona and by the conversation's plot."""

from __future__ import annotations

from qa_app.demo.corpus.phrasebook import join_sentences, lower_first, misspell
from qa_app.demo.corpus.scene import Scene


def line(scene: Scene, *path: str) -> str:
    return scene.say(scene.book.pick(scene.rng, *path))


def lines(scene: Scene, count: int, *path: str) -> list[str]:
    """Different phrases, preferring ones this agent has not used yet in the conversation."""
    return fresh_lines(scene, count, scene.book.options(*path))


def fresh_lines(scene: Scene, count: int, pool: list[str]) -> list[str]:
    fresh = [t for t in pool if t not in scene.used]
    chosen = scene.rng.sample(fresh if len(fresh) >= count else pool, min(count, len(pool)))
    scene.used.update(chosen)
    return [scene.say(t) for t in chosen]


def topic_lines(scene: Scene, kind: str, count: int) -> list[str]:
    return fresh_lines(scene, count, scene.topic_lines(kind))


def finish(scene: Scene, parts: list[str]) -> str:
    """Join the sentences; a new hire's early replies carry typos."""
    text = join_sentences(parts)
    if scene.persona.learns:
        text = misspell(text, scene.rng, 0.005 + 0.16 * (1.0 - scene.skill))
    return text


def greeting(scene: Scene) -> list[str]:
    p, rng = scene.persona, scene.rng
    if rng.random() >= p.greets:
        return []
    named = scene.customer.shares_name and rng.random() < p.uses_name
    parts = [line(scene, "greet_named" if named else "greet_plain")]
    if rng.random() < p.greets * 0.5:
        parts.append(line(scene, "intro"))
    return parts


def empathy(scene: Scene) -> list[str]:
    """Warm personas acknowledge feelings; an angry customer gets an apology."""
    p, rng = scene.persona, scene.rng
    if scene.plot.rude or rng.random() >= p.empathy:
        return []
    count = 2 if p.key == "warm_slow" else 1
    return lines(scene, count, "empathy_angry" if scene.mood == "angry" else "empathy")


def first_reply(scene: Scene, greet: bool = True, question: bool = True) -> str:
    """The first answer: greeting, empathy, then a question (or a bug-report checklist)."""
    p, rng, plot = scene.persona, scene.rng, scene.plot
    if p.key == "fast_curt":
        return line(scene, "curt_ack") if question else ""
    parts = greeting(scene) if greet else []
    if rng.random() < p.thanks * 0.6:
        parts.append(line(scene, "thanks_contact"))
    if p.key == "polite_misses":
        parts += lines(scene, 2, "fluff")
    parts += empathy(scene)
    if plot.asks_bug_details:
        parts += lines(scene, 2 if p.key in ("warm_slow", "resolver") else 1, "bug_request")
    elif question and rng.random() < 0.7:
        parts += topic_lines(scene, "ask", 1)
    elif question:
        parts.append(line(scene, "ack"))
    return finish(scene, parts)


def explanations(scene: Scene, count: int) -> list[str]:
    """Explanation sentences; jargon-heavy agents swap them for internal terms."""
    p, rng = scene.persona, scene.rng
    jargon_count = sum(rng.random() < p.jargon for _ in range(count))
    parts = topic_lines(scene, "jargon", jargon_count) if jargon_count else []
    parts += topic_lines(scene, "explain", count - jargon_count)
    rng.shuffle(parts)
    if rng.random() < p.jargon * 0.7:
        parts.append(line(scene, "jargon_general"))
    if parts:
        opener = line(scene, "openers")
        if opener and ":" not in parts[0]:
            parts[0] = opener + lower_first(parts[0])
    return parts


def steps(scene: Scene) -> list[str]:
    p, rng = scene.persona, scene.rng
    count = {"warm_slow": 3, "resolver": 2, "jargon": 1}.get(p.key, rng.choice((1, 2)))
    if p.key == "jargon" and rng.random() < 0.5:
        return topic_lines(scene, "jargon", 1)
    return topic_lines(scene, "steps", count)


def solution_reply(scene: Scene, attempt: int = 0) -> str:
    """The substance: an explanation with steps, or the persona's way of missing it."""
    p, rng, plot = scene.persona, scene.rng, scene.plot
    if plot.rude:
        prefix = line(scene, "rude_prefix")
        parts = [line(scene, "rude"), prefix + lower_first(topic_lines(scene, "fact", 1)[0])]
        if rng.random() < 0.5:
            parts += topic_lines(scene, "steps", 1)
        return finish(scene, parts)
    if p.key == "fast_curt":
        return finish(scene, topic_lines(scene, "fact", 1 + (rng.random() < 0.3)))
    if plot.misses_point and (attempt == 0 or not plot.resolved):
        parts = lines(scene, 1, "fluff") + topic_lines(scene, "miss", 1 + attempt)
        return finish(scene, parts + lines(scene, 1, "fluff"))
    if plot.wrong_info and attempt == 0:
        return finish(scene, topic_lines(scene, "wrong", 1) + lines(scene, 1, "closing"))
    parts = lines(scene, 1, "empathy") if p.key == "warm_slow" else []
    if plot.wrong_info or plot.misses_point:
        parts.append(line(scene, "typo_fix" if plot.wrong_info else "ack"))
    parts += explanations(scene, p.sentences) + steps(scene)
    if rng.random() < p.confirms * 0.6:
        parts.append(line(scene, "check_back"))
    return finish(scene, parts)


def closing_reply(scene: Scene, confirmed: bool = True) -> str:
    """The last word: confirmation and next steps, an escalation, or a brush-off.

    ``confirmed`` is False in an e-mail written before the customer could try the fix.
    """
    p, rng, plot = scene.persona, scene.rng, scene.plot
    if p.key == "fast_curt":
        return line(scene, "escalate" if plot.escalated else "curt_close")
    parts: list[str] = []
    if plot.rude:
        parts.append(line(scene, "rude"))
    if plot.escalated:
        parts.append(line(scene, "escalate"))
    elif plot.resolved and rng.random() < p.confirms:
        parts += [line(scene, "confirm"), line(scene, "next_steps")]
    elif not plot.resolved and p.key == "polite_misses":
        parts += topic_lines(scene, "miss", 1)
    elif not plot.resolved and not plot.rude:
        parts.append(line(scene, "pending_next"))
    if p.key == "polite_misses":
        parts += lines(scene, 2, "fluff")
    if not plot.rude and rng.random() < p.thanks:
        glad = plot.resolved and confirmed and rng.random() < 0.4
        parts.append(line(scene, "closing_resolved" if glad else "closing"))
    if p.key == "warm_slow":
        parts += lines(scene, 2, "warm_extra")
    return finish(scene, parts)


def email_reply(scene: Scene, body: list[str], sign: bool = True) -> str:
    """E-mail layout: greeting line, paragraphs, signature."""
    head = greeting(scene)
    paragraphs = [join_sentences(head)] if head else []
    paragraphs += [b for b in body if b]
    if sign and scene.persona.key != "fast_curt":
        paragraphs.append(line(scene, "email_sign"))
    elif sign:
        paragraphs.append(scene.slots["agent"])
    return "\n\n".join(paragraphs)


def social_reply(scene: Scene) -> str:
    """A short public answer that moves the conversation to private messages."""
    options = scene.book.options("social_reply")
    if not scene.customer.shares_name:
        options = [o for o in options if "{customer}" not in o]
    return scene.say(scene.rng.choice(options))

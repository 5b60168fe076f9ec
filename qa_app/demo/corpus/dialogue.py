"""Turn a scene into a timed message list, in the style of each channel.

Chat and messengers are quick back-and-forth, e-mail is a few long letters, phone is a
transcript of short spoken turns seconds apart, social is a public post and a short reply.
"""

from __future__ import annotations

from datetime import timedelta

from qa_app.demo.corpus import agent_voice as agent
from qa_app.demo.corpus import customer_voice as customer
from qa_app.demo.corpus import traffic
from qa_app.demo.corpus.describe import split_sentences
from qa_app.demo.corpus.phrasebook import calm_down_caps
from qa_app.demo.corpus.scene import Scene


class Transcript:
    """Messages with a running clock; empty texts are skipped."""

    def __init__(self, scene: Scene) -> None:
        self.scene = scene
        self.now = scene.start
        self.messages: list[dict] = []

    def add(self, role: str, text: str, after: timedelta = timedelta(0)) -> None:
        if not text:
            return
        self.now += after
        author = {"agent": self.scene.agent.login, "customer": self.scene.customer.customer_id}
        message = {"role": role, "author": author.get(role, "system"), "text": text}
        message["sent_at"] = traffic.iso(self.now)
        self.messages.append(message)

    def customer(self, text: str) -> None:
        self.add("customer", text, traffic.customer_reply(self.scene.rng, self.scene.channel))

    def agent(self, text: str, first: bool = False) -> None:
        s = self.scene
        if first:
            wait = traffic.first_response(s.rng, s.channel, s.persona.speed, s.start)
        else:
            wait = traffic.agent_follow_up(s.rng, s.channel, s.persona.speed)
        self.add("agent", text, wait)

    def system(self, key: str) -> None:
        template = self.scene.book.options("system")[key]
        self.add("system", self.scene.say(template), timedelta(seconds=5))


def middle(t: Transcript) -> None:
    """Details, the answer, and a second attempt when the first one missed."""
    s, plot = t.scene, t.scene.plot
    t.customer(customer.details(s))
    t.agent(agent.solution_reply(s, 0))
    if plot.misses_point:
        t.customer(customer.repeats_question(s))
        t.agent(agent.solution_reply(s, 1))
    elif plot.wrong_info:
        t.customer(customer.reaction(s, worked=False))
        t.agent(agent.solution_reply(s, 1))


def ending(t: Transcript) -> None:
    s, plot = t.scene, t.scene.plot
    if plot.resolved or not plot.escalated or s.rng.random() < 0.6:
        t.customer(customer.reaction(s, worked=plot.resolved))
    t.agent(agent.closing_reply(s))
    if plot.escalated:
        t.system("escalated")
    if s.rng.random() < 0.45:
        t.customer(customer.goodbye(s))
    elif not plot.resolved and not plot.escalated and s.channel == "chat":
        t.system("closed")


def chat(s: Scene) -> list[dict]:
    t = Transcript(s)
    t.add("customer", customer.opening(s))
    t.agent(agent.first_reply(s), first=True)
    middle(t)
    ending(t)
    return t.messages


def email(s: Scene) -> list[dict]:
    t, plot = Transcript(s), s.plot
    t.add("customer", customer.email(s, customer.problem(s)))
    if plot.asks_bug_details:
        t.agent(agent.email_reply(s, [agent.first_reply(s, greet=False)]), first=True)
        t.customer(customer.email(s, customer.details(s)))
        t.agent(
            agent.email_reply(s, [agent.solution_reply(s), agent.closing_reply(s, confirmed=False)])
        )
    elif plot.misses_point or plot.wrong_info:
        opening = agent.first_reply(s, greet=False, question=False)
        t.agent(agent.email_reply(s, [opening, agent.solution_reply(s)]), first=True)
        again = customer.repeats_question(s) if plot.misses_point else None
        t.customer(customer.email(s, again or customer.reaction(s, worked=False)))
        t.agent(
            agent.email_reply(
                s, [agent.solution_reply(s, 1), agent.closing_reply(s, confirmed=False)]
            )
        )
    else:
        opening = agent.first_reply(s, greet=False, question=False)
        body = [opening, agent.solution_reply(s), agent.closing_reply(s, confirmed=False)]
        t.agent(agent.email_reply(s, body), first=True)
    if plot.resolved and s.rng.random() < 0.7:
        t.customer(customer.email(s, customer.reaction(s, worked=True)))
    elif not plot.resolved:
        t.customer(customer.email(s, customer.reaction(s, worked=False)))
        if plot.escalated:
            t.system("escalated")
    return t.messages


def phone(s: Scene) -> list[dict]:
    """A call transcript: the agent picks up, turns alternate, times are seconds apart."""
    t = Transcript(s)

    def say(role: str, text: str, pause: float = 0.0) -> None:
        last = t.messages[-1]["text"] if t.messages else ""
        gap = traffic.spoken_duration(s.rng, last) + timedelta(seconds=pause)
        t.add(role, calm_down_caps(text), gap)

    say("agent", agent.line(s, "phone_pickup"))
    say("customer", customer.problem(s))
    say("agent", agent.first_reply(s, greet=False))
    say("customer", customer.details(s))
    say("agent", agent.line(s, "phone_filler"))
    answer = split_sentences(agent.solution_reply(s))
    half = len(answer) // 2 if len(answer) > 2 else len(answer)
    say("agent", " ".join(answer[:half]), pause=s.rng.uniform(15, 70))
    if half < len(answer):
        say("customer", customer.said(s, "phone_filler"))
        say("agent", " ".join(answer[half:]))
    if s.plot.misses_point:
        say("customer", customer.repeats_question(s))
        say("agent", agent.solution_reply(s, 1))
    elif s.plot.wrong_info:
        say("customer", customer.reaction(s, worked=False))
        say("agent", agent.solution_reply(s, 1), pause=s.rng.uniform(10, 40))
    say("customer", customer.reaction(s, worked=s.plot.resolved))
    say("agent", agent.closing_reply(s))
    say("customer", customer.said(s, "bye"))
    return t.messages


def social(s: Scene) -> list[dict]:
    """A public complaint, a short public reply, and the follow-up moved to private messages."""
    t = Transcript(s)
    t.add("customer", customer.public_post(s))
    t.agent(agent.social_reply(s), first=True)
    if s.rng.random() < 0.6:
        t.customer(customer.said(s, "social_done"))
    t.agent(agent.line(s, "social_resolved" if s.plot.resolved else "social_pending"))
    if s.plot.resolved and s.rng.random() < 0.3:
        t.customer(customer.said(s, "thanks"))
    return t.messages


def messenger(s: Scene) -> list[dict]:
    """Like chat, but customers often send the greeting and the problem separately."""
    t = Transcript(s)
    if s.rng.random() < 0.45:
        t.add("customer", customer.said(s, "greet") or "👋")
        t.add("customer", customer.problem(s), timedelta(seconds=s.rng.randint(8, 60)))
    else:
        t.add("customer", customer.opening(s))
    t.agent(agent.first_reply(s), first=True)
    middle(t)
    ending(t)
    return t.messages


WRITERS = {"chat": chat, "email": email, "phone": phone, "social": social, "messenger": messenger}


def write_messages(scene: Scene) -> list[dict]:
    return WRITERS[scene.channel](scene)

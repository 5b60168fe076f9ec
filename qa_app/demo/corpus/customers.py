"""The customers who write in: names, contact details, time zones and temper."""

from __future__ import annotations

import random
from dataclasses import dataclass

# (name, gender, latin handle for the e-mail address)
RU_NAMES: tuple[tuple[str, str, str], ...] = (
    ("Ольга", "f", "olga"), ("Ирина", "f", "irina"), ("Татьяна", "f", "tanya"),
    ("Екатерина", "f", "katya"), ("Светлана", "f", "sveta"), ("Юлия", "f", "yulia"),
    ("Анастасия", "f", "nastya"), ("Марина", "f", "marina"), ("Дарья", "f", "dasha"),
    ("Людмила", "f", "lyuda"), ("Вера", "f", "vera"), ("Алина", "f", "alina"),
    ("Андрей", "m", "andrey"), ("Алексей", "m", "alex"), ("Михаил", "m", "misha"),
    ("Николай", "m", "kolya"), ("Владимир", "m", "vova"), ("Артём", "m", "artem"),
    ("Павел", "m", "pasha"), ("Евгений", "m", "zhenya"), ("Роман", "m", "roman"),
    ("Константин", "m", "kostya"), ("Олег", "m", "oleg"), ("Григорий", "m", "grisha"),
)  # fmt: skip
EN_NAMES: tuple[tuple[str, str, str], ...] = (
    ("Emma", "f", "emma"), ("Olivia", "f", "olivia"), ("Sophie", "f", "sophie"),
    ("Chloe", "f", "chloe"), ("Grace", "f", "grace"), ("Megan", "f", "megan"),
    ("Hannah", "f", "hannah"), ("Priya", "f", "priya"), ("Amelia", "f", "amelia"),
    ("Rachel", "f", "rachel"), ("Zoe", "f", "zoe"), ("Linda", "f", "linda"),
    ("James", "m", "james"), ("Daniel", "m", "dan"), ("Liam", "m", "liam"),
    ("Noah", "m", "noah"), ("Ethan", "m", "ethan"), ("Marcus", "m", "marcus"),
    ("Ben", "m", "ben"), ("Chris", "m", "chris"), ("Ahmed", "m", "ahmed"),
    ("Kevin", "m", "kevin"), ("Luke", "m", "luke"), ("George", "m", "george"),
)  # fmt: skip
MAIL_DOMAINS = {
    "ru": ("mail.ru", "yandex.ru", "gmail.com", "bk.ru"),
    "en": ("gmail.com", "outlook.com", "yahoo.com", "icloud.com"),
}
# Where customers live; the generator stamps their messages with this zone's offset.
ZONES = {
    "ru": (("Europe/Moscow", 0.8), ("Asia/Yekaterinburg", 0.12), ("Asia/Novosibirsk", 0.08)),
    "en": (("Europe/London", 0.55), ("America/New_York", 0.45)),
}
TEMPERS = ("calm", "calm", "calm", "confused", "angry")


@dataclass(frozen=True)
class Customer:
    """One customer; ``temper`` is their usual mood, not a fixed one."""

    customer_id: str
    name: str
    gender: str
    language: str
    email: str
    zone: str
    temper: str
    shares_name: bool  # anonymous customers get no name in the record or the greeting


def build_customers(rng: random.Random, language: str, count: int, first_id: int) -> list[Customer]:
    """A stable pool of customers for one language, numbered from ``first_id``."""
    names = RU_NAMES if language == "ru" else EN_NAMES
    zones, weights = zip(*ZONES[language], strict=True)
    pool = []
    for offset in range(count):
        name, gender, handle = rng.choice(names)
        email = f"{handle}{rng.randint(1, 989)}@{rng.choice(MAIL_DOMAINS[language])}"
        pool.append(
            Customer(
                customer_id=f"cust-{first_id + offset:04d}",
                name=name,
                gender=gender,
                language=language,
                email=email,
                zone=rng.choices(zones, weights)[0],
                temper=rng.choice(TEMPERS),
                shares_name=rng.random() < 0.85,
            )
        )
    return pool


def pick_customer(rng: random.Random, pool: list[Customer]) -> Customer:
    """Loyal (low-numbered) customers write more often, so repeat contacts happen naturally."""
    index = int(len(pool) * rng.random() ** 1.6)
    return pool[min(index, len(pool) - 1)]


def pick_mood(rng: random.Random, customer: Customer) -> str:
    """Today's mood: usually the customer's temper, sometimes not."""
    if rng.random() < 0.7:
        return customer.temper
    return rng.choice(("calm", "calm", "confused", "angry"))

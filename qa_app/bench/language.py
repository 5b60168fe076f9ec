"""What language detection costs a process, and how often it is wrong.

``measure_here(config)`` runs in a fresh interpreter (``python -m qa_app.bench.language``)
so the peak memory is the detector's own: it times the first German message (lingua builds
its detector and loads the Latin-script models) and the first Ukrainian one (Cyrillic
models), then names the language of public English texts (airline tweets and Wikipedia
requests), Russian tweets and a few support sentences in other languages written for this
benchmark. ``shipped`` is ``scoring.text.identify`` as it is; ``all41`` is the same code
telling apart every language a file may state (the detector before the list was cut), the
reference measured in the same run.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

#: Support sentences per language, written for this benchmark.
OTHER = {
    "de": ["Wir haben Ihr Paket heute verschickt, es kommt morgen an.",
           "Können Sie mir bitte sagen, wann die Rechnung kommt?",
           "Vielen Dank für Ihre Geduld, das Problem ist jetzt behoben.",
           "Ich möchte mein Abonnement kündigen, wie geht das?"],
    "es": ["Hola, mi pedido no ha llegado todavía, ¿pueden ayudarme?",
           "No puedo iniciar sesión en mi cuenta desde ayer.",
           "Gracias por su paciencia, ya hemos resuelto el problema."],
    "fr": ["Bonjour, ma commande n'est toujours pas arrivée.",
           "Je n'arrive pas à me connecter à mon compte depuis hier."],
    "it": ["Buongiorno, il mio ordine non è ancora arrivato.",
           "Ci scusiamo per il ritardo, il pacco arriverà domani."],
    "pt": ["Olá, o meu pedido ainda não chegou, podem ajudar?"],
    "nl": ["Hallo, mijn bestelling is nog steeds niet aangekomen."],
    "pl": ["Dzień dobry, moje zamówienie jeszcze nie dotarło."],
    "tr": ["Merhaba, siparişim hâlâ gelmedi, yardımcı olabilir misiniz?"],
    "uk": ["Замовлення вже відправлено, дякуємо за очікування.",
           "Добрий день, моє замовлення ще не прийшло."],
    "ja": ["ご注文ありがとうございます。確認いたします。"],
}  # fmt: skip
GERMAN = "Hallo, mein Paket ist seit einer Woche nicht angekommen. Was ist da los?"
UKRAINIAN = "Доброго дня, я не можу увійти до свого облікового запису."
ENGLISH_ROWS, RUSSIAN_ROWS = 3000, 1500


def _peak_mb() -> float:
    for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return float(line.split()[1]) / 1024
    return 0.0


def _column(path: Path, column: str, limit: int) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in itertools.islice(csv.DictReader(handle), limit)]


def _texts(datasets: Path) -> tuple[list[str], list[str]]:
    english = _column(datasets / "sentiment-en-airline/Tweets.csv", "text", ENGLISH_ROWS)
    english += _column(
        datasets / "politeness-en-wikipedia/wikipedia.annotated.csv", "Request", ENGLISH_ROWS // 2
    )
    russian = _column(
        datasets / "sentiment-ru-rusentitweet/rusentitweet_test.csv", "text", RUSSIAN_ROWS
    )
    return english, russian


def _timed(action) -> tuple[float, float]:
    """Wall and CPU seconds (all threads of this process: lingua loads in parallel)."""
    start, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start, time.process_time() - cpu


def measure_here(config: str, datasets: str) -> dict:
    """Load time, peak memory and misnamed texts of one configuration, in this process."""
    from scoring.text import identify

    if config == "all41":
        identify.DETECTED = tuple(identify.LANGUAGES)
    english, russian = _texts(Path(datasets))
    base = _peak_mb()
    german_s = _timed(lambda: identify.identify_language(GERMAN))
    ukrainian_s = _timed(lambda: identify.identify_language(UKRAINIAN))
    start = time.process_time()
    wrong_en = Counter(c for c in map(identify.identify_language, english) if c not in ("en", None))
    wrong_ru = Counter(c for c in map(identify.identify_language, russian) if c not in ("ru", None))
    others = [(code, identify.identify_language(t)) for code, ts in OTHER.items() for t in ts]
    return {
        "config": config, "languages": len(identify.DETECTED), "import_mb": base,
        "first_german_s": german_s, "first_ukrainian_s": ukrainian_s, "peak_mb": _peak_mb(),
        "texts_cpu_s": time.process_time() - start, "english": len(english),
        "english_wrong": dict(wrong_en), "russian": len(russian), "russian_wrong": dict(wrong_ru),
        "others": len(others), "others_right": sum(code == found for code, found in others),
    }  # fmt: skip


def measure(config: str, datasets: Path) -> dict:
    """``measure_here`` in a fresh interpreter."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "qa_app.bench.language", config, str(datasets)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"bench language ({config}) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(measure_here(sys.argv[1], sys.argv[2])))

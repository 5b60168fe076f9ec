"""Fast paths of the scorers give the same answers as the plain ones."""

from __future__ import annotations

from scoring.lexicons import toxicity_lexicon
from scoring.scorers.linear_model import HashedTfidf, normalise_text
from scoring.scorers.toxicity import KINDS, ToxicityScorer

WORDS = ["Спасибо", "refund", "don't", "Ёлка", "пожалуйста", "great", "ok-ok", "x"]


def _uncached_column(features: HashedTfidf, word: str) -> int:
    row = features._vectorisers()[0].transform([normalise_text(word)])
    return int(row.indices[0]) if row.nnz else -1


def test_cached_word_features_equal_uncached_ones():
    features = HashedTfidf(18, 18)
    expected = [_uncached_column(features, w) for w in WORDS]
    assert features.word_features(WORDS) == expected
    assert features.word_features(WORDS[::-1]) == expected[::-1]  # served from the cache
    assert [features.word_feature(w) for w in WORDS] == expected
    assert all(col >= 0 for col in expected)


def test_toxicity_patterns_are_lower_case_like_the_folded_text_they_scan():
    """The patterns are compiled without IGNORECASE because ``fold_text`` lower-cases."""
    lexicon = toxicity_lexicon()
    patterns = [p for kind in KINDS for p in lexicon[kind]]
    assert patterns and all(p == p.lower() for p in patterns)
    scorer = ToxicityScorer()
    shouted = scorer.score_texts(["YOU ARE AN IDIOT", "ТЫ ИДИОТ"])
    quiet = scorer.score_texts(["you are an idiot", "ты идиот"])
    assert [r.score for r in shouted] == [r.score for r in quiet]
    assert all(r.label == "toxic" for r in shouted)


def test_results_pickle_compactly_and_round_trip():
    """Worker results cross to the main process as ``(class, field values)`` tuples."""
    import gc
    import pickle

    from scoring.base import Evidence, ScoreResult
    from scoring.pipeline.autoqa import AutoQAPipeline
    from scoring.pipeline.conversation import Conversation, Message
    from scoring.pipeline.workers import load_results

    conversation = Conversation(
        "c1", "chat", None,
        [Message("customer", "Деньги списали дважды, верните!"),
         Message("agent", "Здравствуйте! Извините, пожалуйста. Вернём в течение 3 дней."),
         Message("customer", "Thanks, it works now.")],
    )  # fmt: skip
    results = AutoQAPipeline().score_conversations([conversation])
    blob = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    assert gc.isenabled()
    back = load_results(blob)
    assert gc.isenabled()  # paused only while unpickling
    assert back[0] == results[0]
    assert back[0].signals["resolution_confirmed"].evidence == (
        results[0].signals["resolution_confirmed"].evidence
    )
    evidence = Evidence(3, 9, "clarity.typo", -0.1, "превет")
    result = ScoreResult("ok", 0.61, "ru", (evidence,))
    assert pickle.loads(pickle.dumps(result)) == result
    assert b"__setstate__" not in pickle.dumps(result) and len(pickle.dumps(result)) < 140


MARKER_TEXTS = [
    ("Добрый день! Спасибо, всё заработало, вопрос решён.", "ru"),
    ("Увы, так и не заработало. Передайте, пожалуйста, руководителю.", "ru"),
    ("Интернет есть, но роутер не работает до сих пор", "ru"),
    ("Hello! Thanks, that fixed it. Have a great day!", "en"),
    ("It's still not working, I want to speak to a supervisor.", "en"),
    ("ok", "en"),
    ("", "ru"),
]


def _full_scan(text: str, lang: str, kinds) -> set[tuple[int, int, str]]:
    """Every per-kind pattern over the whole text: the plain way to find markers."""
    from scoring.scorers.resolution import load_patterns

    lowered = text.lower().replace("ё", "е")
    return {
        (m.start(), m.end(), kind)
        for kind in kinds
        if kind in load_patterns(lang)
        for m in load_patterns(lang)[kind].finditer(lowered)
    }


def test_marker_prefilter_finds_what_the_per_kind_scans_find():
    """``find_marks`` searches one alternation of all kinds first and scans per kind from
    its first match; spans must be those of scanning every kind over the whole text."""
    from scoring.scorers.resolution import ALL_KINDS, NO_MARKS, ROLE_KINDS, find_marks

    for text, lang in MARKER_TEXTS:
        for kinds in (ALL_KINDS, *ROLE_KINDS.values()):
            marks = find_marks(text, lang, kinds)
            found = {(e.start, e.end, e.rule.removeprefix("resolution.")) for e in marks.evidence}
            expected = _full_scan(text, lang, kinds)
            confirmed_or_negated = {(s, e, "confirmed") for s, e, r in found if r.startswith("neg")}
            assert {
                f for f in found if not f[2].startswith("neg")
            } | confirmed_or_negated <= expected
            if not expected:
                assert marks is NO_MARKS
    assert find_marks("Спасибо, всё заработало", "ru", ROLE_KINDS["customer"]).confirmed
    assert find_marks("Так и не заработало", "ru", ROLE_KINDS["customer"]).unresolved
    assert find_marks("Still broken.", "en", ROLE_KINDS["customer"]).unresolved


def test_emotion_cues_use_the_word_tokens_of_tokenize():
    from scoring.lexicons import word_key
    from scoring.scorers.emotions import EmotionScorer
    from scoring.text import tokenize

    scorer = EmotionScorer(use_model=False)
    texts = [("Спасибо огромное, вы мне очень помогли! Но я всё ещё злюсь.", "ru"),
             ("Thank you so much, I'm really angry and scared though... https://x.io/angry", "en"),
             ("", "en")]  # fmt: skip
    for text, lang in texts:
        hits = scorer.cue_hits(text, lang)
        words = [t for t in tokenize(text) if t.kind == "word"]
        keys = [word_key(t.text, lang) for t in words]
        for start, end, emotion, cue in hits:
            assert text[start:end] == cue
            first = next(i for i, t in enumerate(words) if t.start == start)
            last = next(i for i, t in enumerate(words) if t.end == end)
            assert emotion in scorer.cues_[lang][tuple(keys[first : last + 1])]
        assert scorer.cue_hits(text, lang) == hits  # served from the word-key memo
    assert [h[2] for h in scorer.cue_hits(*texts[0])] == ["gratitude", "caring", "anger"]
    # the word inside the URL is not a word token, so it is no cue
    assert [h[2] for h in scorer.cue_hits(*texts[1])] == ["gratitude", "anger", "fear"]


def test_bench_report_states_both_ratios_and_the_targets():
    """``bench scoring`` prints VADER per CPU and by wall, the pipeline's ratios both ways,
    the CPU split between workers and main, memory, and which targets are missed."""
    from qa_app.bench.scoring import BenchReport
    from qa_app.cli.commands_bench import format_report

    report = BenchReport(
        jobs=2,
        vader={"messages": 20_000, "wall": 2.0, "cpu": 2.0, "peak_mb": 60.0},
        single={"messages": 20_000, "wall": 10.0, "cpu": 10.0, "startup_cpu": 2.0,
                "second_half_messages": 10_000, "second_half_cpu": 4.0, "peak_mb": 450.0},
        parallel={"messages": 20_000, "wall": 8.0, "main_cpu": 1.0, "workers_cpu": 14.0,
                  "main_peak_mb": 60.0, "worker_peak_mb": 420.0, "sampled_rss_mb": 880.0,
                  "sampled_pss_mb": 700.0},
    )  # fmt: skip
    assert report.vader_cpu == 10_000 and report.single_cpu == 2_000
    assert report.parallel_cpu == 20_000 / 15.0
    # workers: (14 - 2 x 2) s / 20,000 = 0.5 ms, main 0.05 ms: 1M on 2 cores is
    # (2 x 2 + 1M x 0.55 ms) / 2 s = 277 s
    assert abs(report.million_minutes_free_cores(2) - 277.0 / 60) < 1e-9
    # warm workers at 0.4 ms: (2 x 2 + 1M x 0.45 ms) / 2 = 227 s
    assert abs(report.million_minutes_warm(2) - 227.0 / 60) < 1e-9
    text = "\n".join(format_report(report, 20_000, 2))
    assert "0.13x per CPU second" in text and "0.25x by wall" in text
    assert "main 1.0 s = 0.050 ms/msg" in text
    assert "1M < 5 min: 4.62 min (met)" in text and "(MISSED)" in text
    assert "3.78 min with the workers at the one-process rate" in text
    assert "memory < 1 GB: 880 MB (met)" in text
    # without the two workers' 2 s start-up: 20,000 / (15 - 4) s = 1,818/s, 0.18x VADER
    assert "start-up, which VADER's figure does not carry either: 0.18x VADER" in text


def test_language_by_letter_runs_equals_counting_letters():
    import re

    from scoring.text import detect_language

    url = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")

    def plain(text: str, default: str = "en") -> str:
        cleaned = url.sub(" ", text)
        cyr = len(re.findall(r"[А-Яа-яЁё]", cleaned))
        lat = len(re.findall(r"[A-Za-z]", cleaned))
        if cyr == lat == 0:
            return default
        return "ru" if cyr >= lat * 0.5 else "en"

    texts = ["Здравствуйте! Не работает Wi-Fi роутер TP-Link", "My order #123 hasn't arrived",
             "Смотрите https://example.com/very/long/english/path/here", "ok", "123 :)", "",
             "Пишите на support-team-english@example.com", "www.example.com/english ну",
             "Ёжик", "ПРИВЕТ hello hello hello"]  # fmt: skip
    for text in texts:
        assert detect_language(text) == plain(text), text
        assert detect_language(text, "ru") == plain(text, "ru"), text
    assert detect_language("Смотрите https://example.com/very/long/english/path/here") == "ru"


def test_word_list_membership_equals_a_set():
    from scoring.scorers.clarity_words import WordList, english_vocabulary, is_known_word

    words = ["refund", "colour", "color", "ticket", "a", "zebra", "aardvark", "don't", "é"]
    listed = WordList(words + ["line\nbreak", ""])
    probes = words + ["refunds", "colou", "", "zebraa", "Refund", "line", "break", 5]
    assert [p in listed for p in probes] == [p in set(words) for p in probes]
    assert len(listed) == len(words)
    vocabulary = english_vocabulary()
    assert "refund" in vocabulary and "recieve" not in vocabulary
    assert is_known_word("colour", "en") and not is_known_word("recieve", "en")


def test_main_process_imports_stay_light():
    """The process that only distributes batches (the app, the bench's main) imports the
    pipeline without numpy, scikit-learn or nltk: those live in the workers."""
    import subprocess
    import sys

    code = (
        "import sys, scoring.pipeline; "
        "print(sorted(m for m in ('numpy', 'sklearn', 'nltk', 'pandas', 'scipy') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_evidence_less_signals_are_shared_but_never_merged_across_values():
    from scoring.base import Evidence, Signal
    from scoring.pipeline.signals import _shared

    a = _shared(Signal("escalation", 0.0, "flag", None))
    assert _shared(Signal("escalation", 0.0, "flag", None)) is a
    assert _shared(Signal("escalation", -0.0, "flag", None)) is not a  # repr keeps them apart
    assert _shared(Signal("escalation", 1.0, "flag", None)).value == 1.0
    with_evidence = Signal("greeting", 1.0, "flag", 1.0, evidence=((0, Evidence(0, 5, "r", 0.0)),))
    assert _shared(with_evidence) is with_evidence


def _same_matrix(a, b) -> bool:
    return (
        a.shape == b.shape
        and (a.indptr == b.indptr).all()
        and (a.indices == b.indices).all()
        and (a.data == b.data).all()
    )


def test_counts_folded_from_more_bits_equal_counts_hashed_at_fewer():
    """Emotions (17 bits) reuse the counts sentiment (18 bits) just made for the same texts."""
    from scoring.scorers import linear_model

    texts = ["Деньги списали дважды!!! Верните деньги", "Thanks a lot, it works :)", "", "ок"]
    texts += [f"Order {i} never arrived, the parcel tracking says delivered" for i in range(50)]
    narrow, wide = HashedTfidf(17, 17, "prefix"), HashedTfidf(18, 18, "prefix")
    linear_model._LAST_COUNTS.clear()
    hashed = narrow.counts(texts)  # nothing remembered at more bits: hashed directly
    linear_model._LAST_COUNTS.clear()
    wide.counts(texts)
    folded = narrow.counts(texts)
    assert _same_matrix(folded, hashed)
    assert linear_model._LAST_COUNTS["prefix"][1] == (18, 18)  # folded, not hashed anew
    other = [t + "!" for t in texts]  # other texts are hashed, not folded
    assert _same_matrix(narrow.counts(other), linear_model.fold_counts(
        wide.counts(other), (18, 18), (17, 17)))  # fmt: skip


def test_folding_sums_columns_that_collide_at_fewer_bits():
    import scipy.sparse as sp

    from scoring.scorers.linear_model import fold_counts

    word, sub = 1 << 18, 1 << 17  # word block at 18 bits, then sub-word block
    wide = sp.csr_matrix(
        ([1.0, 2.0, 1.0, 4.0], [5, 5 + sub, word + 7, word + 7 + sub], [0, 2, 4]),
        shape=(2, 2 * word),
    )
    folded = fold_counts(wide, (18, 18), (17, 17))
    assert folded.shape == (2, 2 * sub)
    assert folded.toarray()[0, 5] == 3.0 and folded.toarray()[1, sub + 7] == 5.0
    assert folded.nnz == 2


def test_russian_morphology_uses_the_compiled_dictionary_reader():
    """``pymorphy3[fast]`` (DAWG2) reads the same dictionaries about 4x faster than the
    pure-Python fallback; without it every new Russian word form costs the pipeline more."""
    import pymorphy3.dawg

    from scoring.text.tokens import lemma

    assert pymorphy3.dawg.EXTENSION_AVAILABLE
    assert lemma("проверила", "ru") == "проверить"

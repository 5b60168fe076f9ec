"""Worker processes of the AutoQA pipeline, and the garbage-collector policy around them.

Each worker builds its own ``AutoQAPipeline`` once and scores whole batches. Results travel
back as one pickled ``bytes`` object per batch, so the main process decides *when* to
unpickle them: it does so with the cyclic garbage collector paused, because a batch of
results is some 30 small objects per message and every few hundred allocations would
otherwise start a collection that walks the caller's whole heap (that was three quarters of
the main process's unpickling time). The results hold no reference cycles, so pausing the
collector frees nothing later than usual.

Inside a worker the collector runs once every ``COLLECT_EVERY`` batches instead of every
700 allocations: the models, lexicons and memos are frozen out of its way (``gc.freeze``)
after each collection, so it only looks at what the last batches left behind. Scoring makes
no reference cycles (0 unreachable objects per batch over 20,000 bench messages), so what it
leaves is memo entries: most are evicted by reference counting within two batches, and a
collection per batch spent ~40 ms walking them (0.025 ms per message) for nothing. Memos are
bounded and hold no cycles, so freezing them does not keep anything alive that reference
counting would free.
"""

from __future__ import annotations

import gc
import pickle
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scoring.pipeline.autoqa import AutoQAPipeline
    from scoring.pipeline.conversation import Conversation, ConversationScores

_WORKER: AutoQAPipeline | None = None
COLLECT_EVERY = 8  # batches between cyclic collections in a worker (see the docstring)
_SCORED = 0


@contextmanager
def gc_paused():
    """No automatic cyclic collection inside the block (restored afterwards)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: In one process (``n_jobs=1``), batches between full collections; between them only
#: the young generations are examined (see ``stream_in_process``).
FULL_COLLECT_EVERY = 16 * COLLECT_EVERY


def stream_in_process(
    score_batch: Callable[[list[Conversation]], list[ConversationScores]],
    batches: Iterator[list[Conversation]],
) -> Iterator[ConversationScores]:
    """Score batches in this process with the collector paused for the whole stream and
    run by hand every ``COLLECT_EVERY`` batches (a full collection every
    ``FULL_COLLECT_EVERY``), as in the workers but without ``gc.freeze``, which would pin
    the caller's objects for the life of the process.

    Why: a batch leaves ~50,000 tracked objects in the per-text memos (words, tokens,
    detections of its texts), which the next batches evict again. Re-enabling the
    collector after each batch made the first allocation collect them all while still
    alive (65 ms per batch of 256 conversations, gen-1 passes on top: about 6 % of the
    scoring CPU); every eighth batch only the last batches' entries are still there.
    The caller's own allocations between results are collected on the same schedule;
    scoring itself makes no reference cycles."""
    with gc_paused():
        for n, batch in enumerate(batches, 1):
            yield from score_batch(batch)
            if n % COLLECT_EVERY == 0:
                gc.collect(2 if n % FULL_COLLECT_EVERY == 0 else 1)


def init_worker(params: tuple) -> None:
    """Each worker process builds its own pipeline once and keeps it."""
    global _WORKER
    from scoring.pipeline.autoqa import AutoQAPipeline

    sla, glossary, batch_size = params
    _WORKER = AutoQAPipeline(sla=sla, glossary=glossary, n_jobs=1, batch_size=batch_size)
    _WORKER._ensure_loaded()
    gc.collect()
    gc.freeze()  # the loaded scorers live as long as the worker: keep them out of GC passes
    gc.disable()  # collected once per batch in ``score_in_worker``


def score_in_worker(batch: list[Conversation]) -> bytes:
    """Score one batch; the results pickled once, compactly (see ``base.compact_pickle``)."""
    global _SCORED
    assert _WORKER is not None
    blob = pickle.dumps(_WORKER.score_batch(batch), protocol=pickle.HIGHEST_PROTOCOL)
    _SCORED += 1
    if _SCORED % COLLECT_EVERY == 0:
        gc.collect()  # only objects created since the last freeze are examined
        gc.freeze()
    return blob


def load_results(blob: bytes) -> list[ConversationScores]:
    """Unpickle a worker's batch with the collector paused (see the module docstring)."""
    with gc_paused():
        return pickle.loads(blob)


def stream_in_workers(
    pipeline: AutoQAPipeline, batches: Iterator[list[Conversation]], processes: int, context
) -> Iterator[ConversationScores]:
    """Batches over ``processes`` workers, results in input order, at most two batches per
    worker in flight so memory does not grow with the input."""
    params = (pipeline.sla, pipeline.glossary, pipeline.batch_size)
    # ProcessPoolExecutor, not Pool: a worker that dies (killed, out of memory) raises
    # BrokenProcessPool here instead of leaving the caller waiting forever.
    with ProcessPoolExecutor(
        processes, mp_context=context, initializer=init_worker, initargs=(params,)
    ) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.submit(score_in_worker, batch))
            if len(pending) >= 2 * processes:
                yield from load_results(pending.popleft().result())
        while pending:
            yield from load_results(pending.popleft().result())

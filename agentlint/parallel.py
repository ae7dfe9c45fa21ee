"""The per-file phase on several processes, for runs with many files.

Reading, parsing and the file rules are independent per file; they run on chunks of files
taken in order, in a pool of worker processes and in this process, which takes its chunks from
the end of the queue while the workers take theirs from the start.  Each worker settles each file's diagnostics
(:func:`agentlint.engine.settle`: suppressions, severities, source lines) and sends them back
with the file's suppressions and its :class:`~agentlint.rules.base.FileContext`, without what
only the file rules needed (YAML nodes, cached line offsets, the body copy, the configuration,
the bytes of a file with nothing to fix): the parent then runs the project rules (AL7xx) and
:func:`agentlint.engine.finish` exactly as a serial run does, on the files in the same order.
The output is therefore the same, byte for byte, as with ``--jobs 1``.

Anything that goes wrong with the pool itself (no ``fork``, no semaphores, a worker killed,
a result that cannot be pickled) makes :func:`lint_parallel` return None and the caller runs
serially.  ``multiprocessing`` is imported only when a pool is used.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from typing import Any, Callable, Iterator, Optional, Sequence

# Below this many files a pool costs more than it saves.  Measured on 2 CPUs with the generated
# agents of bench/run.py (light files, about 1 ms each), pool against --jobs 1, wall time: 64 files
# +25 %, 128 +9 %, 300 +4 %, 500 -13 %, 1,000 -12 %; the corpus (2,202 files) -14 %, 10,000 -9 %
# (the project rules and the parent's share of the work are serial).
PARALLEL_MIN_FILES = 400
# Files per task sent to a worker: large enough to amortise the round trip.
CHUNK_FILES = 64
# Never start more workers than this on "auto".
MAX_AUTO_JOBS = 8


def cpu_count() -> int:
    """CPUs this process may run on (the affinity mask where the platform has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def plan_jobs(n_files: int, jobs: Optional[int] = None) -> int:
    """How many worker processes to use: ``jobs`` None or 0 means automatic."""
    if n_files <= 1:
        return 1
    if jobs is None or jobs <= 0:
        if n_files < PARALLEL_MIN_FILES:
            return 1
        return max(1, min(cpu_count(), MAX_AUTO_JOBS, n_files // (CHUNK_FILES // 2)))
    return max(1, min(jobs, n_files))


# Freeze the objects kept so far after this many files (see gc_batches).  Freezing costs next to
# nothing (it moves lists) and resets the young generation's count, so that the collector looks
# only at the few files since the last freeze.  The corpus (2,202 files), time in the collector:
# every 256 files about 80 ms serial and 110 ms in a pool's main process, every 4 files 13 and 25 ms.
GC_BATCH_FILES = 4


@contextlib.contextmanager
def gc_batches(every: int = GC_BATCH_FILES) -> Iterator[Callable[[Any], Any]]:
    """A run keeps every file's context until its end, and the cyclic garbage collector would
    walk them all again and again (a third of the time of a 10,000-file run).  ``tick(x)``
    (call it once per file; it returns ``x``) moves what exists to the permanent generation
    every ``every`` files; at the end everything is unfrozen, so nothing outlives the run
    uncollectable.  Does nothing when the caller has disabled or frozen the collector."""
    if not gc.isenabled() or gc.get_freeze_count():
        yield lambda x: x
        return
    count = 0

    def tick(x: Any) -> Any:
        nonlocal count
        count += 1
        if count % every == 0:
            gc.freeze()
        return x

    try:
        yield tick
    finally:
        gc.unfreeze()


# ---- in the worker -------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(config) -> None:
    import signal

    from .engine import _active

    # Ctrl-C is the parent's to handle: a worker finishes its chunk and is shut down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["config"] = config
    _WORKER["rules"] = _active(config)
    # What the worker starts with (inherited or imported) lives as long as it does: out of the
    # collector's sight, as the files of each chunk once linted (``_lint_chunk``).  A worker ends
    # with the run, so nothing is ever unfrozen; what a file leaves behind is freed by reference
    # counting all the same, only reference cycles (a few per file at most) wait for the exit.
    if gc.isenabled():
        gc.freeze()


def portable(ctx, diagnostics=()):
    """Strip ``ctx`` (in place) down to what the parent needs, so that it pickles small and
    safely: the YAML nodes (deep and only for file rules), cached offsets and the body copy
    go, and so do the file's bytes unless a diagnostic has a fix (``--fix`` rewrites from
    them, and a file without a fixable diagnostic is never touched); :func:`restore` puts
    back what the parent needs."""
    ctx.config = None
    if not any(d.fix is not None for d in diagnostics):
        ctx.doc.raw = b""
    fm = ctx.fm
    if fm is not None:
        fm.root = None
        for entry in fm.entries:
            entry.node = None
    ctx.doc._line_starts = []
    ctx.agent.body = ""
    return ctx


def restore(ctx, config):
    ctx.config = config
    ctx.agent.body = ctx.doc.body
    return ctx


def _lint_chunk(paths: Sequence[str]) -> list:
    from .engine import lint_one, make_context

    config, (file_rules, project_rules) = _WORKER["config"], _WORKER["rules"]
    freeze = gc.isenabled()
    out = []
    for n, path in enumerate(paths, 1):
        res = lint_one(make_context(path, config), file_rules, project_rules, config)
        out.append((portable(res.ctx, res.diagnostics), res.diagnostics, res.sups))
        if freeze and n % GC_BATCH_FILES == 0:
            gc.freeze()
    return out


# ---- in the parent -------------------------------------------------------------------------------


# Linted once in the parent before the workers are forked, so that what rules import or build
# lazily (jsonschema for hooks and servers, compiled patterns, caches)
# is there once, shared, instead of being loaded again in every worker.
_WARM_UP = """---
name: warm-up
description: Warms the rules up before the workers start. Use it never.
tools: Read, Grep, Bash(git log:*), mcp__github__search
disallowedTools: Write
model: sonnet
color: blue
permissionMode: default
maxTurns: 5
skills: [review]
mcpServers:
  - github
hooks:
  PreToolUse:
    - matcher: Bash
      hooks:
        - type: command
          command: ./check.sh
memory: project
effort: high
---

You warm the rules up.

## Steps

1. Read the change.

```bash
git diff --stat
```

<example>user: hi</example>
"""


def _warm_up(config) -> None:
    from .document import from_bytes
    from .engine import _active, check_context
    from .load import analyse
    from .rules.base import FileContext

    ctx = FileContext(analyse(from_bytes("warm-up.md", _WARM_UP.encode("utf-8"))), config, "warm-up.md")
    check_context(ctx, _active(config)[0])


def _mp_context():
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # fork is the cheapest (nothing to import again) but unsafe once threads run.
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def lint_parallel(paths: Sequence[str], config, jobs: int, tick: Callable[[Any], Any] = lambda x: x) -> Optional[list]:
    """:class:`~agentlint.engine.FileResult` for ``paths`` in order, or None when the pool
    could not do the work (the caller then runs serially).

    ``jobs`` processes lint: ``jobs - 1`` workers and this one.  The chunks are queued for the
    workers in order; meanwhile this process takes chunks from the end of the queue, as long
    as no worker has started them, and lints them itself (no pickling either way)."""
    from .engine import FileResult, _active, finish, lint_one, make_context, run_project_rules

    paths = list(paths)
    size = max(1, min(CHUNK_FILES, -(-len(paths) // (jobs * 4))))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    try:
        from concurrent.futures import ProcessPoolExecutor

        context = _mp_context()
        if context.get_start_method() == "fork":
            _warm_up(config)
        pool = ProcessPoolExecutor(max_workers=max(1, jobs - 1), mp_context=context, initializer=_init_worker, initargs=(config,))
    except Exception:  # no processes or semaphores here
        return None
    file_rules, project_rules = _active(config)
    done = False
    try:
        futures = [pool.submit(_lint_chunk, chunk) for chunk in chunks]
        mine: dict[int, list] = {}
        for k in range(len(chunks) - 1, -1, -1):
            if not futures[k].cancel():
                break  # a worker has it: every earlier chunk is theirs too
            mine[k] = [tick(lint_one(make_context(path, config), file_rules, project_rules, config)) for path in chunks[k]]
        results = []
        for k, future in enumerate(futures):
            if k in mine:
                results.extend(mine.pop(k))
                continue
            for ctx, diagnostics, sups in future.result():
                results.append(tick(FileResult(ctx.path, restore(ctx, config), diagnostics, sups)))
        done = True
    except Exception:  # the pool failed, not a rule (a rule fails into AL000 in the worker)
        return None
    finally:
        pool.shutdown(wait=done, cancel_futures=not done)
    finish(results, config, run_project_rules(results, project_rules))
    return results

"""Time the project rules (AL701-AL703) on generated agents: they must grow about linearly.

    python3 bench/project_rules.py            # 1,000 and 10,000 agents
    python3 bench/project_rules.py 2000 20000

The agents live in memory under one `.claude/agents` folder (one scope, the worst case for
these rules).  Their descriptions are four English template sentences filled with words drawn
from a vocabulary of 20,000 random words, and 5% are near-copies of another agent's (one word
changed), as in real collections.  (On the 1,931 loaded corpus descriptions, two random ones
share a median of 3% of their character 5-grams, 14% at the 99th percentile: random words keep
the background similarity about as low.)
Times are CPU seconds (time.process_time), the best of three runs.  Besides the timings it prints how many of the near-copies
whose exact Jaccard similarity reaches the 0.8 threshold AL702 reported (its recall).
"""

from __future__ import annotations

import random
import sys
import time

from agentlint.config import Config
from agentlint.document import from_bytes
from agentlint.load import analyse
from agentlint.rules.base import FileContext
from agentlint.rules.project import (
    DescriptionBudget,
    DuplicateName,
    OverlappingDescriptions,
    jaccard,
    shingles,
    similar_pairs,
)

TEMPLATES = [
    "Expert in {a} and {b}. Use PROACTIVELY for {c} tasks, {d} reviews and {e} work.",
    "Use this agent when the user needs help with {a}, {b} or {c}. It reviews {d} and fixes {e}.",
    "Specialist for {a} focusing on {b}, {c}, {d} and {e}. Handles {a} migrations end to end.",
    "{a} engineer: designs {b} systems, writes {c} code, tunes {d} and documents {e}.",
]


def make_descriptions(n: int, seed: int = 7) -> tuple[list[str], list[tuple[int, int]]]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(3, 11))) for _ in range(20000)})
    out: list[str] = []
    copies: list[tuple[int, int]] = []
    for i in range(n):
        if i > 10 and rng.random() < 0.05:
            j = rng.randrange(i)
            words = out[j].split()
            extra = " ".join(rng.choice(vocab) for _ in range(30))
            words = (" ".join(words) + " " + extra).split() if len(words) < 30 else words
            k = rng.randrange(len(words))
            words[k] = rng.choice(vocab)
            out.append(" ".join(words))
            copies.append((j, i))
            continue
        t = rng.choice(TEMPLATES)
        body = t.format(**{k: " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 4))) for k in "abcde"})
        tail = " ".join(rng.choice(vocab) for _ in range(rng.randint(10, 60)))
        out.append(f"{body} {tail}")
    return out, copies


def contexts(descriptions: list[str]) -> list[FileContext]:
    config = Config()
    out = []
    for i, d in enumerate(descriptions):
        text = f"---\nname: agent-{i % (len(descriptions) - 3)}\ndescription: \"{d}\"\n---\nYou help.\n"
        path = f"/nonexistent-bench/.claude/agents/agent-{i}.md"
        doc = from_bytes(path, text.encode())
        out.append(FileContext(analyse(doc), config, path))
    return out


def run(n: int, repeat: int = 3) -> dict[str, float]:
    descriptions, copies = make_descriptions(n)
    ctxs = contexts(descriptions)
    sets = [shingles(d) for d in descriptions]
    # the near-copies that really are at or above the threshold, by exact Jaccard
    truth = [(j, i) for j, i in copies if jaccard(sets[i], sets[j]) >= 0.8]
    times: dict[str, float] = {}
    for rule in (DuplicateName(), OverlappingDescriptions(), DescriptionBudget()):
        best = float("inf")
        for _ in range(repeat):
            t = time.process_time()
            found = list(rule.check_project(ctxs))
            best = min(best, time.process_time() - t)
        times[rule.code] = best
        if rule.code == "AL702":
            reported = {id(c) for c, _ in found}
            # reported on the later file in path order, which may be either of the two
            hit = sum(1 for j, i in truth if id(ctxs[i]) in reported or id(ctxs[j]) in reported)
            times["AL702 recall"] = hit / len(truth) if truth else 1.0
            times["AL702 findings"] = len(found)
            times["truth"] = len(truth)
            stats: dict[str, int] = {}
            similar_pairs(descriptions, 0.8, stats)
            times["compared"] = stats["compared"]
    return times


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1000, 10000]
    results = {n: run(n) for n in sizes}
    print(f"{'agents':>8} {'AL701 s':>9} {'AL702 s':>9} {'AL703 s':>9} {'AL702 us/agent':>15} {'AL702 findings':>15} {'copies >= 0.8':>14} {'found':>7} {'exact comparisons':>18}")
    for n, t in results.items():
        print(
            f"{n:>8} {t['AL701']:>9.3f} {t['AL702']:>9.3f} {t['AL703']:>9.3f} {t['AL702'] / n * 1e6:>15.0f} "
            f"{int(t['AL702 findings']):>15} {int(t['truth']):>14} {t['AL702 recall']:>7.1%} {int(t['compared']):>18}"
        )
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        for code in ("AL701", "AL702", "AL703"):
            ratio = results[b][code] / max(results[a][code], 1e-9)
            print(f"{code}: x{ratio:.1f} time for x{b / a:.0f} agents")
        ratio = results[b]["compared"] / max(results[a]["compared"], 1)
        print(f"AL702 exact comparisons: x{ratio:.1f} for x{b / a:.0f} agents")


if __name__ == "__main__":
    main(sys.argv[1:])

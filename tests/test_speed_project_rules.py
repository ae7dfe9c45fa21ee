"""The fast paths of AL702 give exactly what the plain code gives.

``normalise`` translates ASCII text in C instead of running a regular expression, and
``similar_pairs`` counts equal signature bins, cuts the signature into bands and ranks the
candidates with C-level builtins.  Below, the plain versions (as they were written first) are
the reference: the same normalised texts, the same pairs with the same similarities, the same
counts of candidates and comparisons, for ASCII, Unicode, near-copies and degenerate inputs.
"""

from __future__ import annotations

import functools
import random
import re
from typing import Optional, Sequence

import pytest

from agentlint.rules import project
from agentlint.rules.project import _BUCKET_CAP, _ESTIMATE_SLACK, _MAX_VERIFIED, banding, jaccard, signature

_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_NON_WORD = re.compile(r"[\W_]+")


def reference_normalise(description: str) -> str:
    return _NON_WORD.sub(" ", _TAG.sub(" ", description).lower()).strip()


def reference_similar_pairs(texts: Sequence[str], threshold: float, stats: dict[str, int]) -> dict[int, tuple[float, int]]:
    out: dict[int, tuple[float, int]] = {}
    bands, rows = banding(threshold)
    normal = [reference_normalise(t) for t in texts]
    first_of: dict[str, int] = {}
    sizes: dict[int, int] = {}
    sigs: dict[int, list[object]] = {}
    buckets: dict[int, list[int]] = {}
    offered = compared = 0

    @functools.lru_cache(maxsize=256)
    def set_of(j: int) -> frozenset[int]:
        return project._shingles_of(normal[j])

    for i, text in enumerate(normal):
        if not text:
            continue
        same = first_of.get(text)
        if same is not None:
            out[i] = (1.0, same)
            continue
        first_of[text] = i
        s = set_of(i)
        sizes[i] = len(s)
        sig = signature(s)
        best: Optional[tuple[float, int]] = None
        keys = [hash((b, *sig[b * rows : (b + 1) * rows])) for b in range(bands)]
        shared: dict[int, int] = {}
        for key in keys:
            for j in buckets.get(key, [])[-_BUCKET_CAP:]:
                shared[j] = shared.get(j, 0) + 1
        for j in sorted(shared, key=lambda j: (-shared[j], j))[:_MAX_VERIFIED]:
            lo, hi = sorted((len(s), sizes[j]))
            if lo < threshold * hi:
                continue
            if sum(1 for a, b in zip(sig, sigs[j]) if a == b) < (threshold - _ESTIMATE_SLACK) * len(sig):
                continue
            compared += 1
            sim = jaccard(s, set_of(j))
            if sim >= threshold and (best is None or sim > best[0] or (sim == best[0] and j < best[1])):
                best = (sim, j)
        for key in keys:
            buckets.setdefault(key, []).append(i)
        sigs[i] = sig
        offered += len(shared)
        if best is not None:
            out[i] = best
    stats["candidates"] = offered
    stats["compared"] = compared
    return out


def same_pairs(texts: Sequence[str], threshold: float) -> int:
    want_stats: dict[str, int] = {}
    got_stats: dict[str, int] = {}
    want = reference_similar_pairs(texts, threshold, want_stats)
    got = project.similar_pairs(texts, threshold, got_stats)
    assert got == want
    assert got_stats == want_stats
    return len(got)


ODD = "abc ABZ<>/_-.,!?\t\n\r\x0b\x0c\x1c\x1f\x7f09" + "éÉßİ日本\u212a\ufb01\u00b2\u2003\u00a0٣"


def test_normalise_every_ascii_character_and_mixed_text():
    for c in range(128):
        for text in (chr(c), f"a{chr(c)}b", f"{chr(c)}x{chr(c)}{chr(c)}Y{chr(c)}", f"<b>{chr(c)}</b>"):
            assert project.normalise(text) == reference_normalise(text), repr(text)
    rng = random.Random(3)
    for _ in range(20_000):
        text = "".join(rng.choice(ODD) for _ in range(rng.randint(0, 60)))
        assert project.normalise(text) == reference_normalise(text), repr(text)
    for c in range(128, 0x3000):
        assert project.normalise(f"a{chr(c)}b_") == reference_normalise(f"a{chr(c)}b_"), c


def _near_copies(rng: random.Random, n: int, words: list[str]) -> list[str]:
    texts: list[str] = []
    for _ in range(n):
        if texts and rng.random() < 0.4:
            src = texts[rng.randrange(len(texts))].split() or ["x"]
            for _ in range(rng.randint(0, 2)):
                src[rng.randrange(len(src))] = rng.choice(words)
            texts.append(" ".join(src))
        elif rng.random() < 0.1:
            texts.append("".join(rng.choice(ODD) for _ in range(rng.randint(0, 12))))  # short: sparse signatures
        else:
            texts.append(" ".join(rng.choice(words) for _ in range(rng.randint(0, 30))))
    return texts


@pytest.mark.parametrize("seed", range(12))
def test_similar_pairs_as_the_plain_code(seed):
    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghij") for _ in range(rng.randint(1, 6))) for _ in range(rng.choice((5, 50, 500)))]
    texts = _near_copies(rng, rng.randint(50, 300), words)
    for threshold in (0.05, 0.3, 0.6, 0.8, 1.0, rng.random()):
        same_pairs(texts, threshold)


def test_similar_pairs_as_the_plain_code_on_degenerate_input():
    # thousands of near-copies: full buckets (_BUCKET_CAP) and many candidates (_MAX_VERIFIED)
    text = " ".join(f"word{i}" for i in range(60))
    texts = [text + f" tail{i % 7}" + " x" * (i % 5) for i in range(1500)]
    assert same_pairs(texts, 0.8) == 1499
    texts = [f"{text} tail{i}" for i in range(600)]  # all different, all alike
    assert same_pairs(texts, 0.8) == 599
    assert same_pairs(texts, 0.95) == 599

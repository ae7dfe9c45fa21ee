"""The fast paths of AL702 give exactly what the plain code gives.

``normalise`` translates ASCII text in C instead of running a regular expression;
``_shingles_of`` takes an ASCII text's code points from its bytes; ``similar_pairs`` cuts the
signature into bands and ranks the candidates with C-level builtins, keeps a bucket of one
member as the bare index, and counts equal signature bins on packed signatures (``_packed``,
``_agreeing``).  Below, the plain versions (as they were written first) are the reference: the
same normalised texts, the same shingle hashes, the same pairs with the same similarities, the
same counts of candidates and comparisons, for ASCII, Unicode, near-copies, degenerate inputs
and colliding band keys.
"""

from __future__ import annotations

import builtins
import functools
import operator
import random
import re
from typing import Callable, Optional, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentlint.rules import project
from agentlint.rules.project import _BINS, _BUCKET_CAP, _ESTIMATE_SLACK, _MAX_VERIFIED, banding, jaccard, prepare_text, signature

_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_NON_WORD = re.compile(r"[\W_]+")


def reference_normalise(description: str) -> str:
    return _NON_WORD.sub(" ", _TAG.sub(" ", description).lower()).strip()


def reference_shingles_of(text: str, h: Callable[[object], int] = hash) -> frozenset[int]:
    if not text:
        return frozenset()
    codes = [ord(c) for c in text]
    if len(codes) < project.SHINGLE:
        return frozenset((h(tuple(codes)),))
    return frozenset(h(tuple(codes[k : k + project.SHINGLE])) for k in range(len(codes) - project.SHINGLE + 1))


def reference_similar_pairs(
    texts: Sequence[str],
    threshold: float,
    stats: dict[str, int],
    prepared: Optional[Sequence[Optional[tuple[str, int, list[object]]]]] = None,
    h: Callable[[object], int] = hash,
) -> dict[int, tuple[float, int]]:
    """``similar_pairs`` as written first; ``h`` hashes the shingles and the band keys."""
    out: dict[int, tuple[float, int]] = {}
    bands, rows = banding(threshold)
    ready = prepared if prepared is not None else [None] * len(texts)
    normal = [r[0] if r is not None else reference_normalise(t) for t, r in zip(texts, ready)]
    first_of: dict[str, int] = {}
    sizes: dict[int, int] = {}
    sigs: dict[int, list[object]] = {}
    buckets: dict[int, list[int]] = {}
    offered = compared = 0

    @functools.lru_cache(maxsize=256)
    def set_of(j: int) -> frozenset[int]:
        return reference_shingles_of(normal[j], h)

    for i, text in enumerate(normal):
        if not text:
            continue
        same = first_of.get(text)
        if same is not None:
            out[i] = (1.0, same)
            continue
        first_of[text] = i
        r = ready[i]
        if r is None:
            size, sig = len(set_of(i)), signature(set_of(i))
        else:
            size, sig = r[1], r[2]
        sizes[i] = size
        best: Optional[tuple[float, int]] = None
        keys = [h((b, *sig[b * rows : (b + 1) * rows])) for b in range(bands)]
        shared: dict[int, int] = {}
        for key in keys:
            for j in buckets.get(key, [])[-_BUCKET_CAP:]:
                shared[j] = shared.get(j, 0) + 1
        for j in sorted(shared, key=lambda j: (-shared[j], j))[:_MAX_VERIFIED]:
            lo, hi = sorted((size, sizes[j]))
            if lo < threshold * hi:
                continue
            if sum(1 for a, b in zip(sig, sigs[j]) if a == b) < (threshold - _ESTIMATE_SLACK) * len(sig):
                continue
            compared += 1
            sim = jaccard(set_of(i), set_of(j))
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
    """The pairs and counts of the plain code, computed here and from ``prepare_text``."""
    want_stats: dict[str, int] = {}
    want = reference_similar_pairs(texts, threshold, want_stats)
    ready = [prepare_text(t) for t in texts]
    for prepared in (None, ready, [r if i % 3 else None for i, r in enumerate(ready)]):
        got_stats: dict[str, int] = {}
        got = project.similar_pairs(texts, threshold, got_stats, prepared)
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


# ---- shingles --------------------------------------------------------------------------------------


def test_shingles_of_as_the_plain_code():
    for c in range(128):
        for text in (chr(c), chr(c) * 5, f"abcd{chr(c)}", f"{chr(c)}x y{chr(c)}z{chr(c)}"):
            assert project._shingles_of(text) == reference_shingles_of(text), repr(text)
    rng = random.Random(4)
    for _ in range(5_000):
        text = "".join(rng.choice(ODD) for _ in range(rng.randint(0, 12)))
        assert project._shingles_of(text) == reference_shingles_of(text), repr(text)
    for c in (0x80, 0xFF, 0x100, 0xD800, 0xDFFF, 0xFFFF, 0x10000, 0x10FFFF):
        for text in (chr(c), f"ab{chr(c)}", f"abcd{chr(c)}efg"):  # Latin-1, surrogates, astral
            assert project._shingles_of(text) == reference_shingles_of(text), repr(text)


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(blacklist_categories=()), max_size=40) | st.text("ab c\x7f", max_size=12))
def test_shingles_of_as_the_plain_code_on_any_text(text):
    assert project._shingles_of(text) == reference_shingles_of(text)
    normal = project.normalise(text)
    items = reference_shingles_of(normal)
    assert prepare_text(text) == (normal, len(items), signature(items))


# ---- packed signatures -----------------------------------------------------------------------------

EDGES = [-(2**63), -(2**63) + 1, -(2**62), -2, -1, 0, 1, 63, 64, 2**62, 2**63 - 2, 2**63 - 1]


def _hash_value(rng: random.Random) -> int:
    return rng.choice(EDGES) if rng.random() < 0.3 else rng.randint(-(2**63), 2**63 - 1)


def _bin(rng: random.Random, borrowed: float) -> object:
    return (rng.randint(1, _BINS), _hash_value(rng)) if rng.random() < borrowed else _hash_value(rng)


@st.composite
def signature_pairs(draw):
    """Two signatures as ``signature`` makes them (hash values, some borrowed as (attempt, value)),
    the second agreeing with the first in some bins and differing in others, barely or wholly."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    borrowed = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]))  # the share of borrowed bins
    same = draw(st.sampled_from([0.0, 0.5, 0.9, 1.0]))  # the share of bins left alone
    a = [_bin(rng, borrowed) for _ in range(_BINS)]
    b: list[object] = []
    for v in a:
        value = v[1] if isinstance(v, tuple) else v
        how = "same" if rng.random() < same else rng.choice(["other", "attempt", "low bit", "sign", "borrowed"])
        if how == "same":
            b.append(v)
        elif how == "other":
            b.append(_bin(rng, borrowed))
        elif how == "attempt":  # the same value, borrowed on another attempt (or borrowed, or not)
            b.append((v[0] % _BINS + 1, value) if isinstance(v, tuple) else (1, value))
        elif how == "low bit":
            b.append(value ^ 1)
        elif how == "sign":  # only the top bit of the lane differs
            b.append(value + 2**63 if value < 0 else value - 2**63)
        else:
            b.append(value if isinstance(v, tuple) else (_BINS, value))
    return a, b


@settings(max_examples=1000, deadline=None)
@given(signature_pairs())
def test_packed_signatures_count_the_equal_bins(pair):
    a, b = pair
    want = sum(map(operator.eq, a, b))
    assert project._agreeing(project._packed(a), project._packed(b)) == want
    assert project._agreeing(project._packed(b), project._packed(a)) == want
    assert project._agreeing(project._packed(a), project._packed(a)) == _BINS


def test_packed_signatures_of_real_texts():
    rng = random.Random(8)
    words = ["".join(rng.choice("abcdef") for _ in range(rng.randint(1, 5))) for _ in range(40)]
    sigs = [prepare_text(" ".join(rng.choice(words) for _ in range(rng.randint(1, 25))))[2] for _ in range(150)]
    assert any(isinstance(v, tuple) for sig in sigs for v in sig)  # short texts: borrowed bins
    packs = [project._packed(sig) for sig in sigs]
    for i in range(len(sigs)):
        for j in range(i + 1):
            assert project._agreeing(packs[i], packs[j]) == sum(map(operator.eq, sigs[i], sigs[j]))


# ---- similar_pairs on generated input -------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text("ab c", max_size=14) | st.text(st.characters(blacklist_categories=()), max_size=8), max_size=40),
    st.sampled_from([0.05, 0.3, 0.5, 0.8, 1.0]),
)
def test_similar_pairs_as_the_plain_code_on_any_texts(texts, threshold):
    same_pairs(texts, threshold)


def test_similar_pairs_as_the_plain_code_with_colliding_band_keys(monkeypatch):
    """A hash with few values: band keys collide across texts and within one text (a bucket gets
    the same text twice), buckets overflow _BUCKET_CAP, and shingle hashes are small and negative."""

    def coarse(x: object) -> int:
        return builtins.hash(x) % 301 - 150

    monkeypatch.setattr(project, "hash", coarse, raising=False)  # the module's ``hash``, not the builtin
    rng = random.Random(9)
    words = ["".join(rng.choice("abcdefgh") for _ in range(rng.randint(1, 6))) for _ in range(60)]
    texts = _near_copies(rng, 400, words)
    bands, rows = banding(0.5)
    repeated = 0
    bucket_sizes: dict[int, int] = {}
    for _, _, sig in {r[0]: r for r in map(prepare_text, texts) if r[0]}.values():  # each distinct text once
        keys = [coarse((b, *sig[b * rows : (b + 1) * rows])) for b in range(bands)]
        repeated += len(set(keys)) < len(keys)
        for key in keys:
            bucket_sizes[key] = bucket_sizes.get(key, 0) + 1
    assert repeated > 10 and max(bucket_sizes.values()) > _BUCKET_CAP
    for threshold in (0.3, 0.5, 0.8):
        want_stats: dict[str, int] = {}
        want = reference_similar_pairs(texts, threshold, want_stats, h=coarse)
        for prepared in (None, [prepare_text(t) for t in texts]):
            got_stats: dict[str, int] = {}
            assert project.similar_pairs(texts, threshold, got_stats, prepared) == want
            assert got_stats == want_stats

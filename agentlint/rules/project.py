"""AL7xx: across the files of one run.

What "one scope" is (``scope_groups``): the set of agents Claude Code loads together from one
place, taken from where each file sits (``agentlint.discovery.Placer``):

* a ``.claude/agents`` folder (project or user), all its subfolders included: subfolders do not
  change an agent's identity there;
* a plugin (the folder holding ``.claude-plugin/plugin.json``) with all its agent paths; ids
  there carry the subfolders (``plugin:review:security``), so AL701 compares those ids;
* otherwise the nearest enclosing folder named ``agents`` (a collection, a plugin in the making:
  it is meant to be installed as one folder);
* files in no such folder: one scope per git repository (the folder holding ``.git``), else
  one scope per folder (outside a repository nothing says which folders are installed together,
  and a guess across unrelated collections would report duplicates that never meet).

Two project ``.claude/agents`` folders at different levels are different scopes: Claude Code lets
the nearest one win a clash there, which is not a random pick.  Only agents that Claude Code
loads (``ctx.agent.loaded``) take part.  Each rule is linear in the number of files: one pass
with hash maps (AL701, AL703) or MinHash with LSH banding (AL702), never all pairs.  The scopes
are computed once per run and shared by the three rules (``run_scope_groups``).
"""

from __future__ import annotations

import functools
import math
import operator
import os
import random
import re
import struct
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

from ..diagnostics import Severity
from ..discovery import Placement, Placer
from ..vocab import DESCRIPTION_BUDGET_TOKENS
from .base import FileContext, Finding, ProjectRule

# ---- scopes --------------------------------------------------------------------------------------


@dataclass
class Member:
    ctx: FileContext
    placement: Placement
    order: tuple  # sort key inside the scope: the absolute path


_ORDER = operator.attrgetter("order")


@dataclass
class Scope:
    key: tuple
    members: list[Member]
    placement: Optional[Placement] = None  # an anchored scope's (its first member's): names the scope

    @property
    def label(self) -> str:
        """How a message names the scope.  Made when a message needs it: most scopes have no
        finding, and relating a folder to the working directory costs more than grouping its files."""
        if self.placement is None:
            return f"the folder {_display_dir(self.key[1])}"
        return _label(self.placement)


def scope_groups(contexts: Sequence[FileContext], loaded_only: bool = True) -> list[Scope]:
    """The run's files grouped by Claude Code scope, each group in path order."""
    placer = Placer()
    anchored: dict[tuple, Scope] = {}
    by_placement: dict[int, Scope] = {}  # id of a placement (the placer shares them per folder) -> its scope
    loose: list[Member] = []
    repos: dict[str, str] = {}
    for ctx in contexts:
        agent = ctx.agent
        if loaded_only and not agent.loaded:
            continue
        if ctx.format != "claude":
            continue  # Claude Code's scopes: other tools' agents never meet Claude Code's
        path = os.fspath(agent.path or ctx.path)
        try:
            # The placer expands a leading ``~`` (the sort key below does not): only such a path
            # goes through ``place``; any other is placed as the absolute path computed once here.
            absolute = None if path.startswith("~") else os.path.abspath(path)
            placement = placer.place(path) if absolute is None else placer.place_absolute(absolute)
        except (OSError, ValueError):
            continue
        member = Member(ctx, placement, (os.path.normcase(absolute or os.path.abspath(path)),))
        if not placement.anchored:
            loose.append(member)
            continue
        scope = by_placement.get(id(placement))
        if scope is None:
            key = (placement.scope, os.path.normcase(str(placement.root)))
            scope = anchored.get(key)
            if scope is None:
                scope = anchored[key] = Scope(key, [], placement)
            by_placement[id(placement)] = scope  # the placement stays alive in the member: its id is not reused
        scope.members.append(member)
    groups = list(anchored.values())
    by_repo: dict[str, list[Member]] = {}
    for m in loose:
        folder = os.path.dirname(m.order[0])
        # In a git repository: the repository.  Outside one nothing tells which files are
        # installed together, so only a folder's own files are: never a guess across collections.
        by_repo.setdefault(_repo_of(folder, repos) or folder, []).append(m)
    for root, members in by_repo.items():
        groups.append(Scope(("loose", root), members))
    for g in groups:
        g.members.sort(key=_ORDER)
    return groups


def run_scope_groups(contexts: Sequence[FileContext], run: Optional[dict] = None) -> list[Scope]:
    """``scope_groups(contexts)``, computed once per run: ``run`` is the dict the engine gives
    every project rule of one run (``ProjectRule.check_project``); placing thousands of files
    is most of what AL701 and AL703 cost."""
    if run is None:
        return scope_groups(contexts)
    groups = run.get("scope_groups")
    if groups is None:
        groups = run["scope_groups"] = scope_groups(contexts)
    return groups


def _repo_of(d: str, cache: dict[str, str]) -> str:
    """The nearest folder at or above ``d`` holding ``.git``, or "" (cached per folder)."""
    trail = []
    found = ""
    while True:
        if d in cache:
            found = cache[d]
            break
        trail.append(d)
        if os.path.lexists(os.path.join(d, ".git")):
            found = d
            break
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    for t in trail:
        cache[t] = found
    return found


def _display_dir(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _label(p: Placement) -> str:
    if p.scope == "plugin":
        return f"plugin `{p.plugin}`"
    return _display_dir(str(p.root))


def _config(contexts: Sequence[FileContext]):
    return contexts[0].config if contexts else None


# ---- AL701 -------------------------------------------------------------------------------------


class DuplicateName(ProjectRule):
    """## What it does
    Reports two agents of one scope with the same `name` (for plugin agents: the same id,
    `plugin:subfolder:name`). The first file in path order is taken as the original; each later
    one is reported at its `name`, naming the other file.

    A scope is one `.claude/agents` folder with its subfolders, one plugin, or one folder named
    `agents`; files outside any of these, linted together, count as one scope.

    ## Why is this bad?
    Claude Code loads only one of them, chosen by the order the file system returns them in,
    which differs between machines: the other agent silently never runs.

    ## Example
    `.claude/agents/review.md` and `.claude/agents/team/reviewer.md`, both with
    `name: code-reviewer`. Use instead: give each agent its own name, or delete the copy.
    """

    code = "AL701"
    name = "duplicate-name"
    severity = Severity.ERROR
    summary = "two agents in one scope share a `name`; Claude Code loads one of them at random"

    def check_project(self, contexts: Sequence[FileContext], run: Optional[dict] = None) -> Iterator[tuple[FileContext, Finding]]:
        for scope in run_scope_groups(contexts, run):
            first: dict[str, Member] = {}
            for m in scope.members:
                agent_id = m.placement.agent_id(m.ctx.agent.name)
                if agent_id is None:
                    continue
                other = first.get(agent_id)
                if other is None:
                    first[agent_id] = m
                    continue
                what = f"the id `{agent_id}`" if m.placement.plugin else f"the name `{agent_id}`"
                yield m.ctx, m.ctx.value_finding(
                    "name",
                    f"{other.ctx.path} already has {what} in {scope.label}: Claude Code loads only one of the two, chosen by file-system order",
                )


# ---- AL702 -------------------------------------------------------------------------------------

_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_BINS = 64  # one-permutation MinHash: this many bins per signature (a power of two)
_MAX_ROWS = 8
_BUCKET_CAP = 48  # at most this many earlier members of one LSH bucket are compared with a new one
_MAX_VERIFIED = 24  # exact Jaccard checks per description, best band-sharers first
# An estimate this far below the threshold is not verified (64 bins: a standard error of ~0.05).
_ESTIMATE_SLACK = 0.2
_SEED = 0xA6E171
_rng = random.Random(_SEED)
# Optimal densification (Shrivastava 2017): each bin has a fixed random order of donor bins.
_DONORS = [_rng.sample(range(_BINS), _BINS) for _ in range(_BINS)]
_NON_WORD = re.compile(r"[\W_]+")
# ``_NON_WORD`` on ASCII text: every character but a letter or a digit becomes a space.
_ASCII_NON_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})
SHINGLE = 5  # characters


def normalise(description: str) -> str:
    """Lowercase words separated by single spaces; tags and punctuation removed."""
    if "<" in description:  # a tag starts with "<": most descriptions have none to remove
        description = _TAG.sub(" ", description)
    text = description.lower()
    if text.isascii():
        # The same in C for ASCII text (most descriptions), without the regular expression:
        # there the word characters other than "_" are exactly the letters and digits.
        return " ".join(text.translate(_ASCII_NON_WORD).split())
    return _NON_WORD.sub(" ", text).strip()


def shingles(description: str) -> frozenset[int]:
    """The hashed character 5-grams of the normalised description.

    Character shingles forgive small edits (one word changed in a 20-word description keeps about
    90% of them; word 3-grams would keep under 80%).  Each 5-gram is hashed as a tuple of code
    points: Python hashes tuples of ints alike in every process (only str and bytes hashing is
    salted), so signatures are deterministic, and ``map``/``zip`` keep the loop in C."""
    return _shingles_of(normalise(description))


def _shingles_of(text: str) -> frozenset[int]:
    if not text:
        return frozenset()
    # The code points.  An ASCII text's bytes are its code points, and iterating bytes gives the
    # same ints as ``ord`` (so the same tuples and hashes) without building a list of them.
    codes = text.encode("ascii") if text.isascii() else list(map(ord, text))
    if len(codes) < SHINGLE:
        return frozenset((hash(tuple(codes)),))
    return frozenset(map(hash, zip(*(codes[k:] for k in range(SHINGLE)))))


def signature(items: frozenset[int]) -> list[object]:
    """One-permutation MinHash with optimal densification: ``_BINS`` values in O(|items| + bins).

    A shingle's low bits pick its bin, and each bin keeps its smallest shingle.  Two sets agree in
    a bin with probability equal to their Jaccard similarity.  An empty bin borrows the value of
    the first non-empty bin in its fixed random donor order, paired with the attempt number, so a
    borrowed value never equals a bin's own."""
    bins: list[Optional[int]] = [None] * _BINS
    mask = _BINS - 1
    for x in items:
        j = x & mask
        cur = bins[j]
        if cur is None or x < cur:
            bins[j] = x
    sig: list[object] = list(bins)
    if None not in bins:
        return sig
    for j in range(_BINS):
        if bins[j] is None:
            for attempt, donor in enumerate(_DONORS[j], 1):
                dv = bins[donor]
                if dv is not None:
                    sig[j] = (attempt, dv)
                    break
    return sig


# The estimate in ``similar_pairs`` counts the bins in which two signatures agree.  Done on the
# lists, that reads 128 int objects scattered in memory per pair; instead each signature is packed
# once into two ints with a 64-bit lane per bin (``_packed``), and a few operations on whole ints
# count the lanes in which two packed signatures differ (``_agreeing``).
_LANE = 64
_PACK = struct.Struct(f"<{_BINS}q").pack  # signed 64-bit: every hash value fits
_LANE_LOW = sum(((1 << (_LANE - 1)) - 1) << (_LANE * k) for k in range(_BINS))  # 2**63 - 1 in every lane
_LANE_TOP = sum(1 << (_LANE * k + _LANE - 1) for k in range(_BINS))  # the top bit of every lane


def _packed(sig: Sequence[object]) -> tuple[int, int]:
    """A signature of hash values as (values, attempts): bin k's value (a borrowed bin's: the
    donor's value) in lane k of the first int, and a borrowed bin's attempt number (an own value:
    0) in lane k of the second.  Two bins are equal exactly when both their lanes are."""
    try:
        return int.from_bytes(_PACK(*sig), "little"), 0  # no bin borrowed: all are ints
    except struct.error:
        pass
    values = list(sig)
    attempts = [0] * len(sig)
    for k, v in enumerate(sig):
        if type(v) is not int:
            attempts[k], values[k] = v  # type: ignore[misc]
    return int.from_bytes(_PACK(*values), "little"), int.from_bytes(_PACK(*attempts), "little")


def _agreeing(a: tuple[int, int], b: tuple[int, int]) -> int:
    """In how many bins two packed signatures agree: ``_BINS`` less the lanes in which they differ.
    A lane of ``x = a ^ b`` is not zero exactly when the top bit of ``(x & 2**63 - 1) + 2**63 - 1``
    or of ``x`` itself is set, and the sum never carries into the next lane."""
    x = a[0] ^ b[0]
    differ = (((x & _LANE_LOW) + _LANE_LOW) | x) & _LANE_TOP
    if a[1] or b[1]:
        y = a[1] ^ b[1]  # attempt numbers are small: no top bit of their own
        differ |= (y + _LANE_LOW) & _LANE_TOP
    return _BINS - differ.bit_count()


def banding(threshold: float) -> tuple[int, int]:
    """(bands, rows) with as many rows as keep the chance of missing a pair at ``threshold`` under 3%."""
    best = (_BINS, 1)
    for rows in range(1, _MAX_ROWS + 1):
        bands = _BINS // rows
        if 1 - (1 - threshold**rows) ** bands >= 0.97:
            best = (bands, rows)
    return best


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    inter = len(a & b) if len(a) <= len(b) else len(b & a)
    union = len(a) + len(b) - inter
    return inter / union if union else 0.0


def prepare_text(text: str) -> tuple[str, int, list[object]]:
    """What :func:`similar_pairs` computes of one text alone: the normalised text, the size of
    its shingle set and its signature (done per file where the file is linted, in a pool worker
    when there is one)."""
    normal = normalise(text)
    items = _shingles_of(normal)
    return normal, len(items), signature(items)


def similar_pairs(
    texts: Sequence[str],
    threshold: float,
    stats: Optional[dict[str, int]] = None,
    prepared: Optional[Sequence[Optional[tuple[str, int, list[object]]]]] = None,
) -> dict[int, tuple[float, int]]:
    """For each index whose text has an earlier one of shingle Jaccard >= ``threshold``:
    (similarity, index) of the most alike earlier text (the earliest on a tie).

    Sub-quadratic: texts equal once normalised are grouped by hashing (a copy names the first);
    the others go through LSH banding of their MinHash signatures, and only the pairs that share
    a band are verified with the exact Jaccard similarity.  A bucket offers a new text at most
    ``_BUCKET_CAP`` earlier members, which bounds the work on degenerate inputs (thousands of
    near-copies): there, the match named may be a close one rather than the closest.

    Memory stays linear in the text: a shingle set lives only while its text is processed (and
    in a small cache); an earlier candidate's set is rebuilt from its text when verified.
    ``stats``, when given, counts the candidates offered and the exact comparisons made;
    ``prepared``, when given, holds :func:`prepare_text` of each text (or None: computed here)."""
    out: dict[int, tuple[float, int]] = {}
    bands, rows = banding(threshold)
    ready = prepared if prepared is not None else [None] * len(texts)
    normal = [r[0] if r is not None else normalise(t) for t, r in zip(texts, ready)]
    first_of: dict[str, int] = {}
    sizes: dict[int, int] = {}
    sigs: dict[int, list[object]] = {}
    # A bucket of one member (most of them) holds the index itself: a list per bucket would be
    # tens of thousands of objects in a large scope, and work for the garbage collector.
    buckets: dict[int, int | list[int]] = {}
    offered = compared = 0
    packs: dict[int, tuple[int, int]] = {}

    @functools.lru_cache(maxsize=256)
    def set_of(j: int) -> frozenset[int]:
        return _shingles_of(normal[j])

    def packed(j: int) -> tuple[int, int]:
        """``_packed`` of text ``j``'s signature, made on first use."""
        p = packs.get(j)
        if p is None:
            p = packs[j] = _packed(sigs[j])
        return p

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
            s: Optional[frozenset[int]] = set_of(i)
            size, sig = len(s), signature(s)
        else:
            s, size, sig = None, r[1], r[2]
        sizes[i] = size
        sigs[i] = sig
        best: Optional[tuple[float, int]] = None
        # A band's key is the hash of (band, its values): a collision only adds a candidate to
        # verify.  ``zip`` cuts the signature into those tuples in C: (0, sig[0], ..., sig[rows-1]), ...
        bins = iter(sig)
        keys = list(map(hash, zip(range(bands), *(bins,) * rows)))
        shared: dict[int, int] = {}  # candidate -> number of bands it shares with this text
        for key in keys:
            members = buckets.get(key)
            if members is None:
                continue
            if type(members) is int:
                shared[members] = shared.get(members, 0) + 1
                continue
            for j in members[-_BUCKET_CAP:]:
                shared[j] = shared.get(j, 0) + 1
        # Verify the candidates sharing the most bands first, and at most _MAX_VERIFIED of them:
        # a pair above the threshold shares many bands, a chance collision one or two.  This
        # keeps the exact comparisons per text bounded, so the whole pass stays linear.
        ranked = sorted(shared)  # by index, then (stable) by shared bands, most first
        ranked.sort(key=shared.__getitem__, reverse=True)
        needed = (threshold - _ESTIMATE_SLACK) * len(sig)
        mine: Optional[tuple[int, int]] = None
        for j in ranked[:_MAX_VERIFIED]:
            other_size = sizes[j]
            lo, hi = (size, other_size) if size <= other_size else (other_size, size)
            if lo < threshold * hi:  # Jaccard <= lo/hi
                continue
            # The signatures estimate the similarity cheaply (the share of equal bins); only a
            # plausible pair pays for the exact comparison, which rebuilds a shingle set.
            if mine is None:
                mine = packed(i)
            if _agreeing(mine, packed(j)) < needed:
                continue
            compared += 1
            if s is None:
                s = set_of(i)
            sim = jaccard(s, set_of(j))
            if sim >= threshold and (best is None or sim > best[0] or (sim == best[0] and j < best[1])):
                best = (sim, j)
        for key in keys:
            members = buckets.get(key)
            if members is None:
                buckets[key] = i
            elif type(members) is int:
                buckets[key] = [members, i]
            else:
                members.append(i)
        offered += len(shared)
        if best is not None:
            out[i] = best
    if stats is not None:
        stats["candidates"] = stats.get("candidates", 0) + offered
        stats["compared"] = stats.get("compared", 0) + compared
    return out


def _threshold(contexts: Sequence[FileContext]) -> float:
    cfg = _config(contexts)
    value = cfg.option("AL702", "threshold", 0.8) if cfg is not None else 0.8
    try:
        value = float(value)
    except (TypeError, ValueError):
        return 0.8
    return 0.8 if math.isnan(value) else min(1.0, max(0.05, value))


class OverlappingDescriptions(ProjectRule):
    """## What it does
    Reports an agent whose `description` is so alike another one's in the same scope that
    Claude Code may delegate to the wrong one. Descriptions are compared as sets of character
    5-grams (lowercase words, tags and punctuation removed); a pair at or above the Jaccard
    similarity `threshold` (default 0.8) is reported once, on the later file in path order,
    naming the most alike earlier agent: a group of N alike agents gives N - 1 findings, not
    N x (N - 1) / 2.

    Fast on large folders: MinHash signatures with LSH banding pick the candidate pairs, and only
    those are compared exactly.

    ## Why is this bad?
    Claude Code chooses a subagent by its description alone. Two near-identical descriptions
    leave the choice to chance, typically after an agent was copied and only its prompt edited.

    ## Example
    ```yaml
    # api-reviewer.md
    description: Reviews code for bugs, security issues and style. Use after every change.
    # ui-reviewer.md
    description: Reviews code for bugs, security issues and style. Use after every change!
    ```
    Use instead: say in each what sets it apart ("Reviews React components…").

    ## Options
    ```toml
    [tool.agentlint.rules.AL702]
    threshold = 0.8   # Jaccard similarity of character 5-grams, 0-1
    ```
    """

    code = "AL702"
    name = "overlapping-descriptions"
    severity = Severity.INFO
    summary = "two agents' descriptions are so alike that delegation may pick the wrong one"

    def prepare(self, ctx: FileContext) -> Optional[tuple[str, int, list[object]]]:
        description = ctx.agent.description
        if not ctx.agent.loaded or not isinstance(description, str) or ctx.format != "claude":
            return None
        return prepare_text(description)

    def check_project(self, contexts: Sequence[FileContext], run: Optional[dict] = None) -> Iterator[tuple[FileContext, Finding]]:
        threshold = _threshold(contexts)
        for scope in run_scope_groups(contexts, run):
            members = [m for m in scope.members if isinstance(m.ctx.agent.description, str)]
            if len(members) < 2:
                continue
            texts = [m.ctx.agent.description or "" for m in members]
            prepared = [m.ctx.facts.get(self.code) for m in members]
            for i, (sim, j) in sorted(similar_pairs(texts, threshold, prepared=prepared).items()):
                other = members[j].ctx
                if sim >= 1.0:
                    what = f"the same description as `{other.agent.name}` ({other.path})"
                else:
                    what = f"a description {int(sim * 100)}% alike to that of `{other.agent.name}` ({other.path})"
                yield members[i].ctx, members[i].ctx.value_finding(
                    "description",
                    f"{what}: Claude Code may delegate to the wrong one; say what sets this agent apart",
                )


# ---- AL703 -------------------------------------------------------------------------------------

CHARS_PER_TOKEN = 4


def tokens(text: str) -> int:
    """A rough token count: characters / 4."""
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


def _budget(contexts: Sequence[FileContext]) -> int:
    cfg = _config(contexts)
    value = cfg.option("AL703", "max-tokens", DESCRIPTION_BUDGET_TOKENS) if cfg is not None else DESCRIPTION_BUDGET_TOKENS
    try:
        value = int(value)
    except (TypeError, ValueError, OverflowError):
        return DESCRIPTION_BUDGET_TOKENS
    return value if value > 0 else DESCRIPTION_BUDGET_TOKENS


class DescriptionBudget(ProjectRule):
    """## What it does
    Adds up the descriptions of all agents in one scope (about 4 characters a token) and reports
    when they pass Claude Code's budget of about 15,000 tokens. Reported once per scope, on the
    agent with the longest description.

    ## Why is this bad?
    Every description is sent with every request so that Claude can choose a subagent. Past the
    budget Claude Code warns about it, each request costs more, and long lists of verbose
    descriptions (`<example>` blocks) make delegation worse, not better.

    ## Example
    Forty agents whose descriptions each carry three `<example>` blocks of 2,000 characters.
    Use instead: one or two sentences on what the agent does and when to use it; move the
    examples into the prompt.

    ## Options
    ```toml
    [tool.agentlint.rules.AL703]
    max-tokens = 15000
    ```
    """

    code = "AL703"
    name = "description-budget"
    severity = Severity.WARNING
    summary = "all descriptions in a scope together exceed Claude Code's budget (about 15k tokens)"

    def check_project(self, contexts: Sequence[FileContext], run: Optional[dict] = None) -> Iterator[tuple[FileContext, Finding]]:
        budget = _budget(contexts)
        for scope in run_scope_groups(contexts, run):
            members = [m for m in scope.members if isinstance(m.ctx.agent.description, str)]
            if not members:
                continue
            lengths = [len(m.ctx.agent.description) for m in members]
            total = (sum(lengths) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN
            if total <= budget:
                continue
            longest = members[lengths.index(max(lengths))]  # the first in path order on a tie
            own = tokens(longest.ctx.agent.description or "")
            n = len(members)
            yield longest.ctx, longest.ctx.value_finding(
                "description",
                f"the descriptions of the {n} agent{'s' if n != 1 else ''} in {scope.label} come to about {total:,} tokens, "
                f"over Claude Code's budget of about {budget:,}: every request carries them; this one, the longest, is about {own:,} tokens",
            )



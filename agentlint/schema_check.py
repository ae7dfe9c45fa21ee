"""Structural checks through the published JSON Schema, mapped to positions and catalogue codes.

The frontmatter values of a file are validated against ``agentlint/schemas/agent.schema.json``
(generated from :class:`agentlint.model.AgentDefinition`) with a cached
``jsonschema.Draft202012Validator``.  Every error becomes an :class:`Issue`:

* its **code** comes from the top-level key it is about (``permissionMode`` -> AL304,
  ``effort``/``memory``/... -> AL305, ``hooks`` -> AL503, ``mcpServers``/``skills`` -> AL504,
  ``color`` -> AL303, ``model`` -> AL301 (AL502 when it is not a string), everything else -> AL502;
  ``name`` and ``description`` belong to AL1xx/AL2xx and are left out);
* its **position** is the YAML node the error's path leads to, found by walking the node tree
  of the entry (mapping keys, sequence indexes); an unknown key (a hook event, an extra field)
  is reported at the key itself;
* its **message** is written for people, never a bare jsonschema message.

``anyOf``/``oneOf`` errors are resolved to the branch the value was meant for (by its type, or
by its ``type:`` field for hook handlers and MCP servers), so a bad hook says what is wrong
with the hook, not "is not valid under any of the given schemas".

Import cost matters on the ``check`` path: this module imports neither jsonschema nor pydantic
at import time.  Values that a small schema-driven check proves valid (the usual ``tools``,
``model`` and ``color``) never load jsonschema at all.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence

import yaml

from . import vocab, yamlsrc
from .diagnostics import Severity
from .rules.base import did_you_mean

if TYPE_CHECKING:  # pragma: no cover
    from .rules.base import FileContext

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas", "agent.schema.json")

# Keys whose problems other rule families own.
SKIP_KEYS = ("name", "description")
# ``tools: `` with nothing after it is AL404's (empty tools), not a type error.
NULL_IS_EMPTY = ("tools", "disallowedTools")

# A list of 20,000 wrong items is one mistake made many times: read the first MAX_ERRORS
# errors, report the first MAX_ERRORS_PER_KEY of each key by position, and say there are more.
MAX_ERRORS_PER_KEY = 20
MAX_ERRORS = 500
# Did-you-mean is for typos: longer values are not compared (difflib is quadratic).
MAX_SUGGEST_LENGTH = 100

AL305_KEYS = ("effort", "memory", "isolation", "background", "maxTurns", "initialPrompt")

# What each field must be, for "`maxTurns` must be a whole number ≥ 1, not ...".
FIELD_SHAPES = {
    "tools": "a comma-separated string or a list of tool names",
    "disallowedTools": "a comma-separated string or a list of tool names",
    "model": "a model alias or model id (a string)",
    "permissionMode": "one of " + ", ".join(vocab.PERMISSION_MODES),
    "maxTurns": "a whole number ≥ 1",
    "skills": "a list of skill names",
    "mcpServers": "a list of server names or {name: config} maps",
    "hooks": "a map of hook events to lists of {matcher, hooks} entries",
    "memory": "one of " + ", ".join(vocab.MEMORY_SCOPES),
    "background": "`true` or `false`",
    "effort": "one of " + ", ".join(vocab.EFFORTS) + ", or a whole number",
    "isolation": "`" + "` or `".join(vocab.ISOLATIONS) + "`",
    "color": "one of " + ", ".join(vocab.COLORS),
    "initialPrompt": "a string",
}
# What Claude Code does with a value it cannot use (measured where stated in the oracle).
CONSEQUENCES = {
    "tools": "Claude Code ignores it and grants every tool",
    "disallowedTools": "Claude Code ignores it and denies nothing",
    "model": "Claude Code ignores it and the agent runs on the inherited model",
    "mcpServers": "Claude Code does not connect these servers",
    "skills": "Claude Code does not preload these skills",
    "hooks": "Claude Code does not run these hooks",
}

_JSON_TYPES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "`true` or `false`",
    "array": "a list",
    "object": "a mapping",
    "null": "empty",
}


@dataclass(frozen=True)
class Issue:
    """One structural problem: which rule reports it, where, and what to say."""

    code: str
    key: str  # the top-level key it is about
    start: int  # character offsets into the document text
    end: int
    message: str
    severity: Optional[Severity] = None  # None: the rule's default


# ---- the schema and the validator ------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The packaged schema; generated from the model when the package data is missing."""
    try:
        with open(SCHEMA_PATH, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):  # pragma: no cover - a broken install
        from .model import json_schema

        return json_schema()


@functools.lru_cache(maxsize=1)
def validator() -> Any:
    from jsonschema import Draft202012Validator  # lazy: ~100 ms of imports

    return Draft202012Validator(schema())


def _resolve(sub: Any) -> Any:
    """Follow a local ``$ref`` (``#/$defs/X``) of the packaged schema."""
    seen = 0
    while isinstance(sub, dict) and isinstance(sub.get("$ref"), str) and sub["$ref"].startswith("#/") and seen < 20:
        node: Any = schema()
        for part in sub["$ref"][2:].split("/"):
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            break
        sub = node
        seen += 1
    return sub


# ---- values as JSON --------------------------------------------------------------------------


def _jsonable(value: Any, depth: int = 0, stack: Optional[set[int]] = None) -> Any:
    """A JSON-shaped copy: string keys, no cycles (YAML anchors can make them), bounded depth."""
    if depth > yamlsrc.MAX_VALUE_DEPTH:
        return None
    if isinstance(value, (list, dict)):
        stack = stack if stack is not None else set()
        if id(value) in stack:
            return type(value)()  # a recursive alias: cut the cycle, keep the kind of value
        stack.add(id(value))
        try:
            if isinstance(value, list):
                return [_jsonable(v, depth + 1, stack) for v in value]
            return {_key_text(k): _jsonable(v, depth + 1, stack) for k, v in value.items()}
        finally:
            stack.discard(id(value))
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _node_key_text(node: yaml.Node) -> Optional[str]:
    if isinstance(node, yaml.ScalarNode):
        return _key_text(yamlsrc._scalar(node))
    return None


def _json_type_ok(value: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return any(_json_type_ok(value, t) for t in expected)
    if expected == "string":
        return isinstance(value, str)
    if expected == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer())
    if expected == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "array":
        return isinstance(value, list)
    if expected == "object":
        return isinstance(value, dict)
    if expected == "null":
        return value is None
    return True


def type_fits(key: str, value: Any) -> bool:
    """Whether ``value`` has a JSON type the field ``key`` accepts (values are not checked)."""
    sub = _resolve(schema().get("properties", {}).get(key))
    if not isinstance(sub, dict):
        return False
    branches = [_resolve(b) for b in sub.get("anyOf", [sub])]
    return any(not isinstance(b, dict) or "type" not in b or _json_type_ok(value, b["type"]) for b in branches)


# ---- a fast path that needs no jsonschema ---------------------------------------------------

_QUICK_KEYWORDS = frozenset(
    {"type", "enum", "const", "minimum", "exclusiveMinimum", "minLength", "items", "anyOf", "description", "title", "default"}
)


def _quick_valid(value: Any, sub: Any) -> bool:
    """True only when ``value`` is certainly valid under the simple schema ``sub``."""
    if not isinstance(sub, dict) or not sub.keys() <= _QUICK_KEYWORDS:
        return False
    if "type" in sub and not _json_type_ok(value, sub["type"]):
        return False
    if "enum" in sub and not any(type(value) is type(x) and value == x for x in sub["enum"]):
        return False
    if "const" in sub and not (type(value) is type(sub["const"]) and value == sub["const"]):
        return False
    if "minimum" in sub and not (_json_type_ok(value, "number") and value >= sub["minimum"]):
        return False
    if "exclusiveMinimum" in sub and not (_json_type_ok(value, "number") and value > sub["exclusiveMinimum"]):
        return False
    if "minLength" in sub and not (isinstance(value, str) and len(value) >= sub["minLength"]):
        return False
    if "items" in sub and isinstance(value, list) and not all(_quick_valid(v, sub["items"]) for v in value):
        return False
    if "anyOf" in sub and not any(_quick_valid(value, b) for b in sub["anyOf"]):
        return False
    return True


# ---- entry point -------------------------------------------------------------------------------

# Keys of FileContext.memo.
_MEMO_ISSUES = "schema.issues"
_MEMO_BY_CODE = "schema.by_code"


def issues(ctx: "FileContext") -> list[Issue]:
    """Every structural issue of the file (computed once per file, whatever rule asks first)."""
    memo = ctx.memo
    found = memo.get(_MEMO_ISSUES)
    if found is None:
        found = memo[_MEMO_ISSUES] = _compute(ctx)
    return found


def issues_for(ctx: "FileContext", code: str) -> Iterable[Issue]:
    """The issues of one rule, in the order of :func:`issues`."""
    by_code = ctx.memo.get(_MEMO_BY_CODE)
    if by_code is None:
        by_code = {}
        for issue in issues(ctx):
            by_code.setdefault(issue.code, []).append(issue)
        by_code = ctx.memo[_MEMO_BY_CODE] = {c: tuple(found) for c, found in by_code.items()}
    return by_code.get(code, ())


# Top-level keywords under which each key of the frontmatter is validated on its own (no
# keyword relates one key to another), besides annotations (``x-…``).
_TOP_KEYWORDS_APART = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "type", "properties", "additionalProperties", "required"}
)


def _keys_validated_apart(top: Any) -> bool:
    return (
        isinstance(top, dict)
        and top.get("type") == "object"
        and isinstance(top.get("required", []), list)
        and all(k in _TOP_KEYWORDS_APART or k.startswith("x-") for k in top)
    )


def _compute(ctx: "FileContext") -> list[Issue]:
    fm = ctx.fm
    if fm is None or fm.root_kind != "mapping":
        return []
    props = schema().get("properties", {})
    values = fm.values
    instance: dict[str, Any] = {}
    for key in props:
        if key not in values or key in SKIP_KEYS:
            continue
        entry = ctx.entry(key)  # ``fm.entry(key)``, indexed
        if entry is None or entry.huge:
            continue
        value = values[key]
        if value is None and key in NULL_IS_EMPTY:
            continue
        instance[key] = _jsonable(value)
    if not instance:
        return []
    unproven = [k for k, v in instance.items() if not _quick_valid(v, props[k])]
    if not unproven:
        return []
    top = schema()
    if _keys_validated_apart(top):
        # Keys proven valid add no error: validating without them yields the same errors, in
        # the same order (``properties`` follows the schema's order).  Required keys stay, so
        # that `required` says the same.
        required = top.get("required", ())
        instance = {k: v for k, v in instance.items() if k in unproven or k in required}
    mapper = _Mapper(ctx)
    cut: Optional[str] = None
    for n, error in enumerate(validator().iter_errors(instance)):
        if not error.absolute_path:
            continue  # `required` of name/description: AL101/AL201
        if n >= MAX_ERRORS:
            cut = str(error.absolute_path[0])
            break
        mapper.add(error)
    return mapper.result(cut)


# ---- from jsonschema errors to issues --------------------------------------------------------


@dataclass
class _Leaf:
    """A problem to report: a path into the value and what is wrong there."""

    path: tuple
    kind: str  # jsonschema validator name, or a synthetic kind
    instance: Any
    detail: Any = None  # expected type(s), allowed values, the missing or extra property...
    schema: Any = None
    at_key: Optional[str] = None  # report at this key of the mapping at `path`


def _leaves(error: Any) -> list[_Leaf]:
    """Turn one jsonschema error into the problems to report, resolving anyOf/oneOf."""
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind in ("anyOf", "oneOf"):
        return _branch_leaves(error, path)
    if "propertyNames" in error.relative_schema_path:
        return [_Leaf(path, "propertyNames", error.instance, error.validator_value, error.schema, at_key=_key_text(error.instance))]
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed]
        return [_Leaf(path, "additionalProperties", error.instance, sorted(allowed), error.schema, at_key=k) for k in extras]
    if kind == "required" and isinstance(error.instance, dict):
        missing = [p for p in error.validator_value if p not in error.instance]
        return [_Leaf(path, "required", error.instance, missing[0] if missing else None, error.schema)]
    return [_Leaf(path, kind, error.instance, error.validator_value, error.schema)]


def _type_of_branch(branch: Any) -> Any:
    return branch.get("type") if isinstance(branch, dict) else None


def _type_field_values(branch: Any) -> Optional[list[Any]]:
    """The values a branch accepts for a ``type:`` field (hook handlers, MCP servers)."""
    prop = branch.get("properties", {}).get("type") if isinstance(branch, dict) else None
    if not isinstance(prop, dict):
        return None
    if "const" in prop:
        return [prop["const"]]
    if isinstance(prop.get("enum"), list):
        return list(prop["enum"])
    return None


def _branch_leaves(error: Any, path: tuple) -> list[_Leaf]:
    instance = error.instance
    branches = [_resolve(b) for b in error.validator_value]
    candidates = [i for i, b in enumerate(branches) if _type_of_branch(b) is None or _json_type_ok(instance, _type_of_branch(b))]
    if not candidates:
        expected = [b.get("type") for b in branches if isinstance(b, dict) and b.get("type")]
        return [_Leaf(path, "type", instance, expected, error.schema)]
    if isinstance(instance, dict):
        typed = [i for i in candidates if _type_field_values(branches[i]) is not None]
        if typed:
            allowed = [v for i in typed for v in (_type_field_values(branches[i]) or [])]
            if "type" in instance:
                chosen = [i for i in typed if instance["type"] in (_type_field_values(branches[i]) or [])]
                if not chosen:
                    return [_Leaf(path + ("type",), "enum", instance["type"], allowed, branches[typed[0]])]
            else:
                chosen = [i for i in typed if "type" not in branches[i].get("required", [])]
                if not chosen:
                    return [_Leaf(path, "required", instance, "type", branches[typed[0]])]
            candidates = chosen
    if len(candidates) > 1:
        # Several branches fit the value's type: take the one with the fewest complaints.
        counts = {i: sum(1 for c in error.context if c.relative_schema_path and c.relative_schema_path[0] == i) for i in candidates}
        candidates = [min(candidates, key=lambda i: (counts[i], i))]
    idx = candidates[0]
    out: list[_Leaf] = []
    for sub in error.context:
        if sub.relative_schema_path and sub.relative_schema_path[0] == idx:
            out.extend(_leaves(sub))
    if not out:  # pragma: no cover - a branch failed without saying why
        out.append(_Leaf(path, "invalid", instance, None, branches[idx]))
    return out


def _code(path: tuple, kind: str) -> Optional[str]:
    key = path[0]
    if key in SKIP_KEYS:
        return None
    if key == "permissionMode":
        return "AL304"
    if key in AL305_KEYS:
        return "AL305"
    if key == "hooks":
        return "AL503"
    if key in ("mcpServers", "skills"):
        return "AL504"
    if key == "color":
        return "AL303"
    if key == "model":
        return "AL502" if kind == "type" and len(path) == 1 else "AL301"
    return "AL502"


def _where(path: Sequence[Any]) -> str:
    out = str(path[0])
    for p in path[1:]:
        if isinstance(p, int):
            out += f"[{p}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", str(p)):
            out += f".{p}"
        else:
            out += f"[{json.dumps(str(p), ensure_ascii=False)}]"
    return out


def _short(text: str, limit: int = 40) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(value: Any) -> str:
    """A value as a message names it: "the string '3'", "the number 0", "a list"."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "an empty string" if not value else f"the string '{_short(value)}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"`{_short(str(value))}`"


_SEPARATORS = re.compile(r"[\s_-]+")


def suggest(value: Any, choices: Iterable[str]) -> Optional[str]:
    """The choice meant by ``value``: same letters ignoring case and separators, else a close one."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_SUGGEST_LENGTH:
        return None
    choices = list(choices)
    norm = _SEPARATORS.sub("", value).lower()
    for c in choices:
        if _SEPARATORS.sub("", c).lower() == norm:
            return c
    return did_you_mean(value.strip(), choices)


def _did_you_mean(value: Any, choices: Iterable[str]) -> str:
    guess = suggest(value, choices)
    return f" (did you mean `{guess}`?)" if guess and guess != value else ""


def _list(values: Iterable[Any]) -> str:
    return ", ".join(str(v) for v in values)


def _type_phrase(expected: Any) -> str:
    types = expected if isinstance(expected, list) else [expected]
    phrases = []
    for t in types:
        phrase = _JSON_TYPES.get(t, str(t))
        if t == "array" and len(types) > 1:
            phrase = "a list"
        if phrase not in phrases:
            phrases.append(phrase)
    return " or ".join(phrases)


def _type_hint(expected: Any, value: Any) -> str:
    types = expected if isinstance(expected, list) else [expected]
    if isinstance(value, str):
        v = value.strip().lower()
        if "boolean" in types:
            if v in ("true", "false"):
                return f": write {v} without quotes"
            if v in ("yes", "no", "on", "off", "y", "n"):
                return f": Claude Code reads YAML 1.2, where `{value}` is a string; write {'true' if v in ('yes', 'on', 'y') else 'false'}"
        if ("integer" in types or "number" in types) and re.fullmatch(r"[+-]?\d+(\.\d+)?", v):
            return f": write {v} without quotes"
    return ""


def _color_message(value: Any) -> str:
    colors = _list(vocab.COLORS)
    if isinstance(value, str) and re.fullmatch(r"#?(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})", value.strip()) and (
        value.startswith("#") or re.search(r"\d", value)
    ):
        near = nearest_color(value)
        hint = f"; `{value}` is closest to `{near}`" if near else ""
        return f"Claude Code shows only its 8 named agent colors ({colors}), not hex colors{hint}"
    if isinstance(value, str):
        guess = color_for(value)
        hint = f": use `{guess}`" if guess else ""
        return f"`{_short(value)}` is not one of Claude Code's 8 agent colors ({colors}){hint}"
    return f"`color` must be one of {colors}, not {describe(value)}"


def color_for(name: str) -> Optional[str]:
    """The palette color meant by a color name: a typo, a case variant, a synonym, a compound."""
    if not isinstance(name, str) or len(name) > MAX_SUGGEST_LENGTH:
        return None
    low = name.strip().lower()
    if low in vocab.COLORS:
        return low
    if low in vocab.COLOR_SYNONYMS:
        return vocab.COLOR_SYNONYMS[low]
    parts = [p for p in re.split(r"[\s_-]+", low) if p]
    for p in reversed(parts):  # `neon-cyan`, `metallic-blue`, `dark red`
        if p in vocab.COLORS:
            return p
        if p in vocab.COLOR_SYNONYMS:
            return vocab.COLOR_SYNONYMS[p]
    return did_you_mean(low, vocab.COLORS)


def nearest_color(hex_value: str) -> Optional[str]:
    """The palette color nearest a ``#rrggbb`` value by hue; None for greys."""
    h = hex_value.strip().lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    try:
        r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    hi, lo = max(r, g, b), min(r, g, b)
    if hi - lo < 0.12 or hi < 0.15:
        return None  # grey, black or white: no palette color is near
    d = hi - lo
    if hi == r:
        hue = 60 * (((g - b) / d) % 6)
    elif hi == g:
        hue = 60 * ((b - r) / d + 2)
    else:
        hue = 60 * ((r - g) / d + 4)
    best, best_d = None, 999.0
    for name, ref in vocab.COLOR_HUES.items():
        dist = min(abs(hue - ref), 360 - abs(hue - ref))
        if dist < best_d:
            best, best_d = name, dist
    return best


def _permission_mode_message(value: Any) -> str:
    modes = _list(vocab.PERMISSION_MODES)
    if isinstance(value, str) and value in vocab.LEGACY_PERMISSION_MODES:
        return f"`{value}` is a permission mode of older Claude Code releases and no longer one: use one of {modes}"
    if isinstance(value, str):
        return f"`{_short(value)}` is not a permission mode: use one of {modes}{_did_you_mean(value, vocab.PERMISSION_MODES)}"
    return f"`permissionMode` must be one of {modes}, not {describe(value)}"


class _Mapper:
    def __init__(self, ctx: "FileContext") -> None:
        self.ctx = ctx
        self.leaves: list[_Leaf] = []
        self._keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}

    def _lookup(self, node: yaml.MappingNode, key: str) -> Optional[tuple[yaml.Node, yaml.Node]]:
        """The (key node, value node) of ``key`` in a mapping; the last one wins, as when loaded."""
        index = self._keys.get(id(node))
        if index is None:
            index = {}
            for k, v in node.value:
                text = _node_key_text(k)
                if text is not None:
                    index[text] = (k, v)
            self._keys[id(node)] = index
        return index.get(key)

    def add(self, error: Any) -> None:
        self.leaves.extend(_leaves(error))

    # ---- positions ---------------------------------------------------------------------
    def _walk(self, path: tuple) -> tuple[Optional[yaml.Node], Optional[yaml.Node], int]:
        """The node at ``path`` (or the deepest one reached), the key node naming it, and how
        many path elements were followed."""
        entry = self.ctx.entry(path[0])
        if entry is None or entry.node is None:
            return None, None, 0
        node: yaml.Node = entry.node
        key_node: Optional[yaml.Node] = None
        followed = 1
        for p in path[1:]:
            if isinstance(node, yaml.MappingNode):
                hit = self._lookup(node, str(p))
                if hit is None:
                    break
                key_node, node = hit
            elif isinstance(node, yaml.SequenceNode) and isinstance(p, int) and 0 <= p < len(node.value):
                key_node, node = None, node.value[p]
            else:
                break
            followed += 1
        return node, key_node, followed

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        text = self.ctx.text
        while end > start and text[end - 1] in " \t\r\n":
            end -= 1
        return start, end

    def _span(self, leaf: _Leaf) -> tuple[int, int]:
        entry = self.ctx.entry(leaf.path[0])
        assert entry is not None
        node, key_node, followed = self._walk(leaf.path)
        if leaf.at_key is not None and isinstance(node, yaml.MappingNode) and followed == len(leaf.path):
            hit = self._lookup(node, leaf.at_key)
            if hit is not None:
                return self.ctx.node_offsets(hit[0])
        if followed == 1 or node is None:
            start, end = entry.value_start, entry.value_end
            if end <= start:
                start, end = entry.key_start, entry.key_end
            if leaf.kind == "required":
                line_end = self.ctx.text.find("\n", start)
                if 0 <= line_end < end:
                    end = line_end
            return self._trim(start, end)
        start, end = self._trim(*self.ctx.node_offsets(node))
        if end <= start and key_node is not None:  # an empty value: point at its key
            return self.ctx.node_offsets(key_node)
        if leaf.kind == "required":  # a missing field: the first line of the mapping
            line_end = self.ctx.text.find("\n", start)
            if 0 <= line_end < end:
                end = line_end
            return self._trim(start, end)
        return start, end

    # ---- messages ----------------------------------------------------------------------
    def _message(self, leaf: _Leaf) -> tuple[str, Optional[Severity]]:
        path, kind, value = leaf.path, leaf.kind, leaf.instance
        key, where = path[0], _where(path)
        top = len(path) == 1
        title = leaf.schema.get("title") if isinstance(leaf.schema, dict) else None
        consequence = CONSEQUENCES.get(key)
        tail = f": {consequence}" if consequence and top else ""

        if key == "color":
            return _color_message(value), None
        if key == "permissionMode":
            return _permission_mode_message(value), None

        if kind == "type":
            if value is None:
                return f"`{where}` is empty: it must be {FIELD_SHAPES.get(key) if top else _type_phrase(leaf.detail)}; remove it or give a value", None
            shape = FIELD_SHAPES.get(key) if top else _type_phrase(leaf.detail)
            extra = ""
            severity = None
            if key == "tools" and top and isinstance(value, dict):
                extra = " (the OpenCode form)"
            elif key == "model" and top and isinstance(value, list):
                extra = " (a prioritized list is GitHub Copilot's form)"
            elif key == "mcpServers" and top and isinstance(value, dict):
                extra = " (write each server as a list item: `- name` or `- name: {config}`)"
            elif key == "skills" and top and isinstance(value, str):
                severity = Severity.WARNING
                return (
                    f"`skills` should be a list of skill names, not a string: write `skills: [{_short(value)}]` "
                    "or one `- name` per line (a comma-separated string is not documented)"
                ), severity
            return f"`{where}` must be {shape}, not {describe(value)}{extra}{_type_hint(leaf.detail, value)}{tail}", severity

        if kind == "enum":
            allowed = list(leaf.detail or [])
            if path[-1] == "type" and len(path) > 1 and key == "hooks":
                return f"`{_short(str(value))}` is not a hook type: use {_list(allowed)}{_did_you_mean(value, allowed)}", None
            if path[-1] == "type" and len(path) > 1 and key == "mcpServers":
                return f"`{_short(str(value))}` is not an MCP server type: use {_list(vocab.MCP_SERVER_TYPES)}{_did_you_mean(value, vocab.MCP_SERVER_TYPES)}", None
            if top and key in FIELD_SHAPES:
                shown = f"`{_short(value)}`" if isinstance(value, str) else describe(value)
                return f"`{key}` must be {FIELD_SHAPES[key]}, not {shown}{_did_you_mean(value, [a for a in allowed if isinstance(a, str)])}", None
            shown = f"`{_short(value)}`" if isinstance(value, str) else describe(value)
            return f"`{where}` must be one of {_list(allowed)}, not {shown}{_did_you_mean(value, [a for a in allowed if isinstance(a, str)])}", None

        if kind == "const":
            shown = f"`{_short(value)}`" if isinstance(value, str) else describe(value)
            return f"`{where}` must be `{leaf.detail}`, not {shown}", None

        if kind == "propertyNames":
            name = leaf.at_key or ""
            if key == "hooks" and len(path) == 1:
                return f"`{_short(name)}` is not a hook event{_did_you_mean(name, vocab.HOOK_EVENTS)}: Claude Code never runs these hooks", None
            return f"`{_short(name)}` is not allowed as a key of `{where}`", None

        if kind == "additionalProperties":
            extra = leaf.at_key or ""
            allowed = leaf.detail or []
            if title == "hook matcher":
                return (
                    f"`{_short(extra)}` is not a field of a hook matcher (only `matcher` and `hooks`): Claude Code ignores it"
                    + ("; put it on a handler under `hooks:`" if extra in ("type", "command", "timeout", "url", "prompt") else "")
                ), None
            return f"`{_short(extra)}` is not a field of `{where}` (allowed: {_list(allowed)})", None

        if kind == "required":
            missing = leaf.detail
            if missing == "hooks" and title == "hook matcher":
                if isinstance(value, dict) and any(k in value for k in ("type", "command", "url", "prompt")):
                    return (
                        "this hook handler is not nested under `hooks:`: an event takes a list of "
                        "`{matcher, hooks: [{type, ...}]}` entries, so Claude Code runs nothing here"
                    ), None
                return "this hook matcher has no `hooks` list: Claude Code runs nothing for it", None
            if missing == "type" and key == "hooks":
                return f"this hook handler has no `type`: use one of {_list(vocab.HOOK_TYPES)}", None
            if missing == "command" and title == "stdio MCP server" and isinstance(value, dict) and "url" in value:
                return f"`{where}` has a `url` but no `type`: add `type: http` (or sse, ws); without it this is a local server and needs `command`", None
            if missing == "command" and title == "stdio MCP server":
                return f"`{where}` needs `command` (a local server) or `type` and `url` (a remote one)", None
            if title and title.endswith(" hook"):
                return f"this `{title[:-5]}` hook has no `{missing}`: Claude Code cannot run it", None
            return f"`{where}` has no `{missing}`" + (f", which a {title} needs" if title else ""), None

        if kind in ("minimum", "exclusiveMinimum"):
            bound = leaf.detail
            if key == "maxTurns" and top:
                return f"`maxTurns` must be a whole number ≥ {bound}, not {value}", None
            op = "≥" if kind == "minimum" else ">"
            return f"`{where}` must be {op} {bound}, not {value}", None

        if kind == "minLength":
            return f"`{where}` is an empty string: remove it or give a value", None
        if kind == "minItems":
            if key == "hooks":
                return f"`{where}` is an empty list: this hook matcher runs nothing", None
            return f"`{where}` is an empty list", None
        if kind == "minProperties":
            return f"`{where}` is an empty mapping", None
        if kind == "pattern":
            return f"`{where}` does not match the pattern `{leaf.detail}`", None
        return f"`{where}` is not valid here ({kind})", None

    # ---- result -------------------------------------------------------------------------
    def _merge(self, leaves: list[_Leaf]) -> list[_Leaf]:
        """A hook handler written directly under the event gives "no `hooks`" and "`type`/
        `command` not allowed": one problem, reported once."""
        nested = {l.path for l in leaves if l.kind == "required" and l.detail == "hooks" and isinstance(l.instance, dict)
                  and any(k in l.instance for k in ("type", "command", "url", "prompt"))}
        return [l for l in leaves if not (l.kind == "additionalProperties" and l.path in nested)]

    def result(self, cut: Optional[str] = None) -> list[Issue]:
        """Issues sorted by position, at most ``MAX_ERRORS_PER_KEY`` per key (then one that says
        so); ``cut`` is the key whose errors were still coming when reading stopped."""
        found: list[Issue] = []
        seen: set[tuple] = set()
        for leaf in self._merge(self.leaves):
            code = _code(leaf.path, leaf.kind)
            if code is None or self.ctx.entry(leaf.path[0]) is None:
                continue
            message, severity = self._message(leaf)
            start, end = self._span(leaf)
            ident = (code, start, end, message)
            if ident in seen:
                continue
            seen.add(ident)
            found.append(Issue(code, leaf.path[0], start, end, message, severity))
        found.sort(key=lambda i: (i.start, i.end, i.code, i.message))
        out: list[Issue] = []
        per_key: dict[str, list[Issue]] = {}
        for issue in found:
            kept = per_key.setdefault(issue.key, [])
            if len(kept) < MAX_ERRORS_PER_KEY:
                kept.append(issue)
                out.append(issue)
        for key, kept in per_key.items():
            total = sum(1 for i in found if i.key == key)
            entry = self.ctx.entry(key)
            if (total > len(kept) or key == cut) and entry is not None:
                out.append(Issue(kept[0].code, key, entry.key_start, entry.key_end,
                                 f"`{key}` has more problems than the {len(kept)} shown"))
        out.sort(key=lambda i: (i.start, i.end, i.code, i.message))
        return out

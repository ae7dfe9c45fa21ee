"""AL3xx: model, color, permission mode and the other settings.

Value and type problems found through the published JSON Schema come from
:mod:`agentlint.schema_check` (one validation per file, shared by every rule); the checks that
a schema cannot express (what a model id looks like, which ids are retired) are here.
"""

from __future__ import annotations

import datetime
import fnmatch
import re
from typing import Iterator, Optional

from .. import schema_check, vocab
from ..diagnostics import Fix, Severity
from .base import FileContext, Finding, Rule, did_you_mean


def _schema_findings(ctx: FileContext, code: str) -> Iterator[Finding]:
    for issue in schema_check.issues_for(ctx, code):
        yield Finding(issue.start, issue.end, issue.message, severity=issue.severity)


def _string_entry(ctx: FileContext, key: str):
    """The entry of ``key`` when its value is a non-empty string (None otherwise)."""
    e = ctx.entry(key)
    if e is None or e.huge or not isinstance(e.value, str) or not e.value:
        return None
    return e


def _replace_value(ctx: FileContext, e, new: str, message: str) -> Optional[Fix]:
    """A fix writing ``new`` as the value of a one-line scalar entry (never a repaired one)."""
    if e.repaired or e.style not in (None, "", '"', "'"):
        return None
    if "\n" in ctx.text[e.value_start : e.value_end]:
        return None
    return ctx.fix(message, e.value_start, e.value_end, new, safe=False)


# ---- model ids ------------------------------------------------------------------------------

_KNOWN_IDS = tuple(vocab.MODEL_IDS) + tuple(vocab.RETIRED_MODEL_IDS)
_ALIASES = tuple(vocab.MODEL_ALIASES) + tuple(vocab.MODEL_EXTRA_ALIASES)
_FAMILIES = ("sonnet", "opus", "haiku", "fable", "mythos")
# One token of letters, digits and the punctuation model ids and provider forms use.
_ID_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/@+-]*(?:\[1m\])?")
_NON_CLAUDE = re.compile(r"(?i)^(?:gpt|o\d|chatgpt|gemini|llama|mistral|mixtral|deepseek|qwen|grok|codex|command|phi)\b")


def _strip_1m(value: str) -> str:
    return value[:-4] if value.lower().endswith("[1m]") else value


_PROVIDER_FORMS = (re.compile(vocab.BEDROCK_MODEL_PATTERN), re.compile(vocab.VERTEX_MODEL_PATTERN))
_BEDROCK_ARN = re.compile(vocab.BEDROCK_ARN_PATTERN)


def model_base(value: str) -> Optional[str]:
    """The Anthropic model id ``value`` names: itself, or the id inside a Bedrock or Vertex form."""
    v = _strip_1m(value)
    if v in _KNOWN_IDS:
        return v
    for pattern in _PROVIDER_FORMS:
        m = pattern.match(v)
        if m and m.group(1) in _KNOWN_IDS:
            return m.group(1)
    return None


def _family(value: str) -> Optional[str]:
    low = value.lower()
    for f in _FAMILIES:
        if re.search(rf"(?<![a-z]){f}(?![a-z])", low):
            return f
    return None


def _normalised_id(value: str) -> str:
    """`Claude Sonnet 4.5 (copilot)` -> `claude-sonnet-4-5`; `claude-opus-4.7` -> `claude-opus-4-7`."""
    v = re.sub(r"\([^)]*\)", " ", value).strip().strip("'\"").lower()
    v = re.sub(r"(\d)\.(\d)", r"\1-\2", v)
    v = re.sub(r"[\s_]+", "-", v).strip("-")
    if "/" in v:
        v = v.rsplit("/", 1)[1]
    if v.startswith(_FAMILIES):
        v = "claude-" + v
    return v


def _id_suggestion(value: str) -> Optional[str]:
    """The known model id ``value`` most likely means."""
    norm = _normalised_id(value)
    if norm in _KNOWN_IDS:
        return norm
    longer = sorted((i for i in _KNOWN_IDS if i.startswith(norm + "-")), key=len)
    if longer and norm.startswith("claude-") and _family(norm):
        return longer[0]
    guess = did_you_mean(norm, _KNOWN_IDS, cutoff=0.85)
    # A typo in the letters (`claude-sonet-4-6`), not another version: `claude-sonnet-9` is
    # perhaps newer than this release, not a misspelt `claude-sonnet-5`.
    if guess and re.findall(r"\d+", guess) == re.findall(r"\d+", norm):
        return guess
    return None


def _current_for(value: str) -> Optional[str]:
    """What to use instead of a retired id: the family alias, else the family's current id."""
    fam = _family(value)
    if fam is None:
        return None
    if fam in vocab.MODEL_ALIASES:
        target = vocab.ALIAS_TARGETS.get(fam)
        return f"`{fam}`" + (f" (now `{target}`)" if target else "")
    for mid, eol in vocab.MODEL_IDS.items():
        if eol is None and fam in mid and not re.search(r"\d{8}$", mid):
            return f"`{mid}`"
    return None


def _current(model_id: str) -> bool:
    """A known id with no end-of-life date."""
    return model_id in vocab.MODEL_IDS and vocab.MODEL_IDS[model_id] is None


def _extra_model(value: str, patterns: list[str]) -> bool:
    return any(value == p or fnmatch.fnmatchcase(value, p) for p in patterns)


class InvalidModel(Rule):
    """## What it does
    Checks `model`: an alias (`sonnet`, `opus`, `haiku`, `fable`), `inherit`, or a model id.
    A value that is neither (a typo such as `sonet`, a display name such as `Claude Sonnet 4.5`)
    is an error; a model id that Claude Code does not know (`claude-3.5-sonnet`, `gpt-5`) is a
    warning. Ids your gateway or provider serves can be listed in the `extra-models` setting
    (glob patterns allowed). Bedrock (`us.anthropic.claude-…-v1:0`, ARNs) and Vertex
    (`claude-…@20250929`) forms of known ids are accepted.

    ## Why is this bad?
    Claude Code passes the value on as the model to use: a wrong one makes every delegation
    to the agent fail, or silently falls back to the inherited model.

    ## Example
    ```yaml
    model: Claude Sonnet 4.5
    ```
    Use instead:
    ```yaml
    model: sonnet
    ```

    ## Fix
    Unsafe: where the intended alias or id is clear (`sonet` -> `sonnet`,
    `claude-opus-4.7` -> `claude-opus-4-7`), the value is replaced by it.
    """

    code = "AL301"
    name = "invalid-model"
    severity = Severity.ERROR
    summary = "`model` is not an alias, `inherit` or a model id (error), or is an unknown id (warning)"
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        yield from _schema_findings(ctx, self.code)
        e = _string_entry(ctx, "model")
        if e is None:
            return
        value: str = e.value
        if value in _ALIASES or model_base(value) is not None:
            return
        if _extra_model(value, list(ctx.config.extra_models)):
            return
        if _BEDROCK_ARN.match(value):
            return  # an inference profile or provisioned model: opaque, cannot be checked
        if len(value) > schema_check.MAX_SUGGEST_LENGTH:
            yield Finding(e.value_start, e.value_end, f"`{value[:40]}…` ({len(value):,} characters) is not a model alias or id")
            return
        finding = self._verdict(value)
        if finding is None:
            return
        message, severity, replacement = finding
        fix = _replace_value(ctx, e, replacement, f"use `{replacement}`") if replacement else None
        yield Finding(e.value_start, e.value_end, message, severity=severity, fix=fix)

    def _verdict(self, value: str) -> Optional[tuple[str, Severity, Optional[str]]]:
        aliases = ", ".join(vocab.MODEL_ALIASES)
        shown = f"`{value}`" if len(value) <= 60 else f"`{value[:59]}…`"
        lower_alias = value.strip().lower()
        if lower_alias in _ALIASES and value != lower_alias:
            if value.strip() == value:
                return (f"{shown} is not written as Claude Code documents it: write `{lower_alias}` in lowercase", Severity.WARNING, lower_alias)
            return (f"{shown} has spaces around it: write `{lower_alias}`", Severity.ERROR, lower_alias)
        if not _ID_SHAPE.fullmatch(value):
            guess = _id_suggestion(value)
            if guess is not None and not _current(guess):
                guess = None  # never point people at a retired model
            fam = _family(value)
            options = [f"`{o}`" for o in ((fam,) if fam in vocab.MODEL_ALIASES else ()) + ((guess,) if guess else ())]
            hint = f": write {' or '.join(options)}" if options else f": use {aliases}, or a model id"
            if (re.search(r"\s", value.strip()) and re.search(r"[A-Z]", value)) or "(copilot)" in value.lower() or "|" in value:
                return (f"{shown} is a display name (GitHub Copilot's form), not a model Claude Code accepts{hint}", Severity.ERROR, None)
            return (f"{shown} is not a model alias or id{hint}", Severity.ERROR, None)
        if re.fullmatch(r"[A-Za-z]+", value):
            guess = did_you_mean(value, _ALIASES)
            hint = f" (did you mean `{guess}`?)" if guess else ""
            return (f"{shown} is not a model: use {aliases}, or a full model id{hint}", Severity.ERROR, guess)
        provider_note = ""
        if "/" in value and not value.startswith("arn:"):
            provider_note = " (`provider/model` is OpenCode's form; Claude Code sends the value as written)"
        if _NON_CLAUDE.match(value.rsplit("/", 1)[-1]):
            copilot = " (GitHub Copilot's name for it)" if re.search(r"[A-Z]", value) else ""
            return (
                f"{shown} is not a Claude model{copilot}{provider_note}: Claude Code sends it to the Anthropic API, "
                "which does not serve it; if a gateway does, add it to `extra-models`",
                Severity.WARNING,
                None,
            )
        guess = _id_suggestion(value)
        fam = _family(value)
        dots = " (Anthropic model ids use dashes, not dots)" if guess and "." in value and "." not in guess else ""
        if guess and _current(guess):
            return (f"{shown} is not a model id Claude Code {vocab.CLAUDE_CODE_VERSION} knows{provider_note}: did you mean `{guess}`?{dots}", Severity.WARNING, guess)
        if guess:
            instead = _current_for(guess)
            use = f"; use {instead}" if instead else ""
            return (
                f"{shown} is not a model id Claude Code {vocab.CLAUDE_CODE_VERSION} knows{provider_note}: it looks like `{guess}`, "
                f"which is no longer current{dots}{use}",
                Severity.WARNING,
                None,
            )
        alias = f"; the alias `{fam}` always names the current model" if fam in vocab.MODEL_ALIASES else ""
        return (
            f"{shown} is not a model id Claude Code {vocab.CLAUDE_CODE_VERSION} knows{provider_note}{alias}; "
            "if your provider or gateway serves it, add it to `extra-models`",
            Severity.WARNING,
            None,
        )


class DeprecatedModel(Rule):
    """## What it does
    Reports a `model` id that Anthropic has retired, or will retire on a known date (the dates
    are kept with the model ids in `agentlint/vocab.py`).

    ## Why is this bad?
    Requests for a retired model fail, so delegating to the agent fails. A deprecated id works
    until its end-of-life date, then fails the same way.

    ## Example
    ```yaml
    model: claude-sonnet-4-20250514
    ```
    Use instead:
    ```yaml
    model: sonnet
    ```
    """

    code = "AL302"
    name = "deprecated-model"
    severity = Severity.WARNING
    summary = "a retired or soon-retired model id, with its end-of-life date"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        e = _string_entry(ctx, "model")
        if e is None:
            return
        base = model_base(e.value)
        if base is None:
            return
        instead = _current_for(base)
        use = f": use {instead}" if instead else ""
        shown = f"`{e.value}`"
        if base in vocab.RETIRED_MODEL_IDS:
            yield Finding(e.value_start, e.value_end, f"{shown} is a retired model: Anthropic no longer serves it, so requests for it fail{use}")
            return
        eol = vocab.MODEL_IDS.get(base)
        if not eol:
            return
        try:
            passed = datetime.date.fromisoformat(eol) <= datetime.date.today()
        except ValueError:
            passed = False
        if passed:
            yield Finding(e.value_start, e.value_end, f"{shown} reached its end of life on {eol}: requests for it fail{use}")
        else:
            yield Finding(e.value_start, e.value_end, f"{shown} is deprecated and will be retired on {eol}{use}")


class InvalidColor(Rule):
    """## What it does
    Checks `color` against the 8 colors Claude Code shows agents in:
    `red blue green yellow purple orange pink cyan`.

    ## Why is this bad?
    Any other value (`teal`, `magenta`, `#3B82F6`) is not shown; the agent gets no color.
    Hex colors come from other tools (OpenCode takes `#RRGGBB`, and refuses Claude's names).

    ## Example
    ```yaml
    color: teal
    ```
    Use instead:
    ```yaml
    color: cyan
    ```

    ## Fix
    Unsafe: a misspelt name, a synonym (`teal` -> `cyan`) or a hex color is replaced by the
    nearest palette color.
    """

    code = "AL303"
    name = "invalid-color"
    severity = Severity.WARNING
    summary = "`color` is not one of red, blue, green, yellow, purple, orange, pink, cyan"
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        e = ctx.entry("color")
        for f in _schema_findings(ctx, self.code):
            if e is not None and isinstance(e.value, str) and (f.start, f.end) == (e.value_start, e.value_end):
                guess = schema_check.color_for(e.value)
                if guess is None and re.fullmatch(r"#?[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?", e.value.strip()):
                    guess = schema_check.nearest_color(e.value)
                if guess:
                    f.fix = _replace_value(ctx, e, guess, f"use `{guess}`")
            yield f


class InvalidPermissionMode(Rule):
    """## What it does
    Checks `permissionMode` against the modes Claude Code knows:
    `default acceptEdits auto dontAsk bypassPermissions plan manual`. `ignore`, listed by
    older docs, is no longer one.

    ## Why is this bad?
    Claude Code does not apply an unknown mode: the agent runs in the session's mode, which
    may ask for (or grant) more than the author meant.

    ## Example
    ```yaml
    permissionMode: accept-edits
    ```
    Use instead:
    ```yaml
    permissionMode: acceptEdits
    ```

    ## Fix
    Unsafe: a misspelt mode is replaced by the mode it is closest to.
    """

    code = "AL304"
    name = "invalid-permission-mode"
    severity = Severity.ERROR
    summary = "`permissionMode` is not one of Claude Code's modes"
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        e = ctx.entry("permissionMode")
        for f in _schema_findings(ctx, self.code):
            if e is not None and isinstance(e.value, str) and (f.start, f.end) == (e.value_start, e.value_end):
                guess = schema_check.suggest(e.value, vocab.PERMISSION_MODES)
                if guess and e.value not in vocab.LEGACY_PERMISSION_MODES:
                    f.fix = _replace_value(ctx, e, guess, f"use `{guess}`")
            yield f


class InvalidSetting(Rule):
    """## What it does
    Checks the value and type of `effort` (`low medium high xhigh max`, or a whole number),
    `memory` (`user project local`), `isolation` (`worktree`), `background` (`true`/`false`),
    `maxTurns` (a whole number ≥ 1) and `initialPrompt` (a string).

    ## Why is this bad?
    Claude Code does not apply a value it cannot use: the agent silently runs without the
    turn limit, memory, isolation or effort the author asked for. Quoted numbers and booleans
    (`maxTurns: "3"`, `background: "true"`) are strings, and `yes`/`no` are strings in the
    YAML 1.2 Claude Code reads.

    ## Example
    ```yaml
    maxTurns: "20"
    background: yes
    ```
    Use instead:
    ```yaml
    maxTurns: 20
    background: true
    ```
    """

    code = "AL305"
    name = "invalid-setting"
    severity = Severity.ERROR
    summary = "a wrong value or type for `effort`, `memory`, `isolation`, `background`, `maxTurns` or `initialPrompt`"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        yield from _schema_findings(ctx, self.code)


class BypassPermissions(Rule):
    """## What it does
    Reports `permissionMode: bypassPermissions`.

    ## Why is this bad?
    The agent runs every tool call, including shell commands and file writes, without asking.
    Whatever reaches its context (a web page, a file it reads) can steer it into destructive
    actions. Claude Code drops the mode only where `permissions.disableBypassPermissionsMode`
    is set.

    ## Example
    ```yaml
    permissionMode: bypassPermissions
    ```
    Use instead: `permissionMode: acceptEdits` with a narrow `tools` list, or no mode at all.
    """

    code = "AL306"
    name = "bypass-permissions"
    severity = Severity.WARNING
    summary = "`permissionMode: bypassPermissions` lets the agent run every tool without asking"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        e = ctx.entry("permissionMode")
        if e is not None and not e.huge and e.value == "bypassPermissions":
            yield Finding(
                e.value_start,
                e.value_end,
                "`bypassPermissions` lets this agent run every tool without asking, shell commands and file writes included: "
                "prefer `acceptEdits` and a narrow `tools` list",
            )

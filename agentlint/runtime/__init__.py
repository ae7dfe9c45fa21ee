"""``agentlint run``: run a validated agent on a real model, streaming, with read-only tools.

Layers, bottom up: ``base`` (spec, provider interface, errors), ``models`` (alias table),
``tools`` (Read/Glob/Grep confined to one directory), ``providers`` (anthropic, openai,
claude-code, echo), ``loop`` (the tool loop), ``output`` (text, quiet, NDJSON), ``dryrun``,
and ``command`` (the click commands). Importing this package imports no provider SDK.
"""

from .base import RunError, RunSpec

__all__ = ["RunError", "RunSpec"]

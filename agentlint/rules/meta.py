"""AL9xx: about agentlint's own directives."""

from __future__ import annotations

from ..diagnostics import Severity
from .base import Rule


class UnusedSuppression(Rule):
    """## What it does
    Reports an inline `# agentlint: disable=…` or `<!-- agentlint-disable … -->` directive,
    or one of its codes, that suppresses nothing.

    ## Why is this bad?
    Stale suppressions hide future problems and mislead readers.

    ## Example
    ```yaml
    # agentlint: disable=AL203
    description: Short and fine.
    ```
    Use instead: remove the directive.
    """

    code = "AL901"
    name = "unused-suppression"
    severity = Severity.INFO
    summary = "an inline disable that suppresses nothing"
    # Produced by the engine after every other rule has run (see engine.finish).

"""agentlint: validate, lint, fix and run Claude Code agent definition files."""

__version__ = "0.1.0"

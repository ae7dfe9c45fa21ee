"""``--dry-run``: the exact request the first turn would send, credentials redacted, nothing sent."""

from __future__ import annotations

import json
import shlex
from typing import Any

from .base import Provider, RunSpec
from .output import Redactor


def dry_run_request(provider: Provider, spec: RunSpec, messages: list, warnings: list[str]) -> dict[str, Any]:
    request = provider.preview(spec, messages)
    return {"type": "dry_run", "sent": False, "agent": spec.name, "model": spec.model,
            "model_source": spec.model_label, "tools": list(spec.tools), "max_turns": spec.max_turns,
            "warnings": warnings, "request": request}


def render_dry_run(info: dict[str, Any], redact: Redactor, *, as_json: bool) -> str:
    if as_json:
        return redact(json.dumps(info, ensure_ascii=False))
    request = info["request"]
    lines = ["# dry run: nothing was sent", f"provider:    {request['provider']}"]
    if "command" in request:
        lines.append(f"command:     {shlex.join(request['command'])}")
        lines.append(f"cwd:         {request['cwd']}")
    else:
        lines.append(f"url:         {request.get('method', 'POST')} {request['url']}")
    lines.append(f"credentials: {request['credentials']}")
    lines.append(f"model:       {info['model']}  ({info['model_source']})")
    lines.append(f"tools:       {', '.join(info['tools']) or 'none'}  (max turns {info['max_turns']})")
    for warning in info["warnings"]:
        lines.append(f"warning:     {warning}")
    if "body" in request:
        lines.append("body:")
        lines.append(json.dumps(request["body"], indent=2, ensure_ascii=False))
    else:
        lines.append("stdin:")
        lines.append(request["stdin"])
    return redact("\n".join(lines))

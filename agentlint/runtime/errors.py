"""Provider failures as one clear line and an exit code.

Both official SDKs share one exception layout (APIConnectionError, APITimeoutError,
APIStatusError and its per-status subclasses), so one mapper serves both; the SDK module
is passed in, never imported here.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, Optional

from .base import EXIT_API, EXIT_CONNECTION, EXIT_USAGE, RunError


def import_sdk(module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise RunError(
            f'the {module} provider needs the {module} SDK: pip install "agentlint[run]"', EXIT_USAGE
        ) from None


def _error_detail(exc: Any) -> tuple[Optional[str], Optional[str]]:
    """(error type, message) from an SDK status error's body, when the server sent JSON."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            kind, message = inner.get("type"), inner.get("message")
            return (kind if isinstance(kind, str) else None, message if isinstance(message, str) else None)
    return None, None


def map_sdk_error(exc: BaseException, sdk: ModuleType, *, endpoint: str, key_env: str, retries: int) -> RunError:
    """Turn an ``anthropic`` or ``openai`` exception into a one-line ``RunError``."""
    if isinstance(exc, sdk.APITimeoutError):
        return RunError(f"timed out waiting for {endpoint} (raise --timeout for slow local models)", EXIT_CONNECTION)
    if isinstance(exc, sdk.APIConnectionError):
        return RunError(
            f"cannot connect to {endpoint}: is the server running and the base URL right?", EXIT_CONNECTION
        )
    if isinstance(exc, sdk.APIStatusError):
        status = exc.status_code
        kind, message = _error_detail(exc)
        detail = f": {message}" if message else ""
        after = f" after {retries} retr{'y' if retries == 1 else 'ies'}" if retries else ""
        if status == 200:  # an `error` event inside a 200 stream
            return RunError(f"the stream failed mid-way: {kind or 'error'}{detail}", EXIT_API)
        if status == 401:
            return RunError(f"authentication failed (401): check {key_env}{detail}", EXIT_API)
        if status == 403:
            return RunError(f"permission denied (403){detail}", EXIT_API)
        if status == 404:
            return RunError(f"not found (404){detail}; check --model and the base URL", EXIT_API)
        if status == 429:
            return RunError(f"rate limited (429){after}{detail}; wait and try again", EXIT_API)
        if status == 529 or kind == "overloaded_error":
            return RunError(f"the API is overloaded ({status}){after}{detail}; try again later", EXIT_API)
        if status >= 500:
            return RunError(f"server error ({status}){after}{detail}", EXIT_API)
        return RunError(f"request rejected ({status}{' ' + kind if kind else ''}){detail}", EXIT_API)
    if isinstance(exc, sdk.APIError):  # e.g. an error object inside an OpenAI stream
        kind, message = _error_detail(exc)
        text = message or getattr(exc, "message", None) or str(exc)
        return RunError(f"the stream failed mid-way: {(kind + ': ') if kind else ''}{text}", EXIT_API)
    return RunError(f"{type(exc).__name__}: {exc}", EXIT_API)


def map_transport_error(exc: BaseException, endpoint: str) -> Optional[RunError]:
    """A transport failure the SDK let through (a connection lost or stalled while streaming).

    Current SDKs are built on ``httpx2``, older ones on ``httpx``; both name the classes alike.
    """
    for name in ("httpx2", "httpx"):
        try:
            http = importlib.import_module(name)
        except ImportError:
            continue
        if isinstance(exc, http.TimeoutException):
            return RunError(f"timed out while streaming from {endpoint}", EXIT_CONNECTION)
        if isinstance(exc, http.TransportError):
            return RunError(f"the connection to {endpoint} was lost while streaming", EXIT_CONNECTION)
    return None


def stream_ended_early(endpoint: str) -> RunError:
    return RunError(f"the stream from {endpoint} ended before the reply was complete", EXIT_CONNECTION)

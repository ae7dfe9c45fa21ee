"""`agentlint run` as a real process: piped stdin, and Ctrl-C mid-stream (exit 130, no traceback).

These use the OpenAI protocol: its SDK imports in a fraction of the Anthropic SDK's time,
and each test pays one import in a fresh interpreter.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("openai")

REPO = Path(__file__).resolve().parents[2]
ENTRY = "from agentlint.runtime.command import run_command; run_command(prog_name='agentlint run')"


def spawn(args, fake, **kwargs):
    env = {k: v for k, v in os.environ.items()}
    env.update(PYTHONPATH=str(REPO), OPENAI_API_KEY="sk-test-process", OPENAI_BASE_URL=fake.url + "/v1")
    return subprocess.Popen([sys.executable, "-c", ENTRY, "--provider", "openai", "--timeout", "10", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def test_piped_stdin_in_a_real_process(project, fake):
    process = spawn(["reviewer", "review this", "--model", "fake-text"], fake, stdin=subprocess.PIPE)
    out, err = process.communicate("diff --git a/app.py b/app.py\n+print('bug')\n", timeout=60)
    assert process.returncode == 0, err
    assert out == "Hello from the fake server.\n"
    content = fake.requests[0]["body"]["messages"][1]["content"]
    assert content.startswith("review this\n\n<context source=\"stdin\">\ndiff --git")


def test_ctrl_c_mid_stream_exits_130_without_traceback(project, fake):
    process = spawn(["reviewer", "hi", "--model", "fake-slow"], fake, stdin=subprocess.DEVNULL)
    try:
        assert process.stdout.readline() == "Thinking slowly\n"  # the stream is under way
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert "error: interrupted" in err and "Traceback" not in err

"""The bot as a subprocess: its environment, and for ``serve --http`` on loopback a port and
readiness.

Shared by the end-to-end tests and the benchmarks (bench/common.py), so that a server is
started and waited for the same way everywhere.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

from tests.slack_http_client import http
from tests.slack_standin import SIGNING_SECRET, WebApiStandIn

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 180.0


def bot_environment(**settings: str) -> dict[str, str]:
    """This process's environment without Slack or bot settings, the model offline and this
    checkout first on PYTHONPATH, then ``settings``: how tests start ``python -m bot``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOT_"))}
    env.update(
        HF_HUB_OFFLINE="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    env.update(settings)
    return env


def serve_environment(
    api_url: str, index_dir: Path, *, secret: str, **settings: str
) -> dict[str, str]:
    """`bot_environment` without proxy settings, then the bot's for a loopback server on the
    seeds that calls the Web API (a stand-in) at ``api_url``."""
    env = bot_environment()
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        env.pop(proxy, None)
    env.update(
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        SLACK_API_URL=api_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=secret,
        BOT_SEEDS_DIR=str(ROOT / "seeds"),
        BOT_INDEX_DIR=str(index_dir),
        **settings,
    )
    return env


def bot_env(standin: WebApiStandIn, tmp: Path) -> dict[str, str]:
    """The tests' server: its index and votes in ``tmp``, logging at INFO."""
    return serve_environment(
        standin.api_url,
        tmp / "index",
        secret=SIGNING_SECRET,
        BOT_FEEDBACK_DB=str(tmp / "feedback.sqlite3"),
        BOT_LOG_LEVEL="INFO",
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_healthy(
    url: str, process: subprocess.Popen[bytes] | None = None, *, timeout: float = START_TIMEOUT
) -> None:
    """Returns once ``url``/healthz says 200; AssertionError if the process exits or time runs
    out first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        try:
            if http("GET", url + "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("server never became healthy")

"""Memory under oversized request bodies: what strangers can make ``serve --http`` hold.

    .venv/bin/python bench/big_bodies.py [--megabytes 400] [--at-once 3]

Loopback only. Starts the Web API stand-in and ``python -m bot serve --http`` (real model, the
seed index) as bench/load_http.py does, then sends ``--at-once`` concurrent chunked POSTs of
``--megabytes`` each to /slack/events — unsigned, then with signature headers that do not
verify, then declaring the size in Content-Length — and reads the server's RSS before and
during and after each round. Prints and writes bench/out/big_bodies.json.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from common import (
    OUT,
    ROOT,
    current_rss_mb,
    serve_environment,
    start_server,
    stop_server,
    wait_ready,
    write_result,
)
from load_http import START_TIMEOUT

from tests.slack_standin import WebApiStandIn

PIECE = 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=400, help="size of each body")
    parser.add_argument("--at-once", type=int, default=3, help="concurrent bodies per round")
    args = parser.parse_args()
    standin = WebApiStandIn().start()
    server: subprocess.Popen[bytes] | None = None
    try:
        env = serve_environment(
            standin.api_url, OUT / "index-load", BOT_FEEDBACK_DB=str(OUT / "load-feedback.sqlite3")
        )
        shutil.rmtree(OUT / "index-load", ignore_errors=True)
        subprocess.run([sys.executable, "-m", "bot", "index", "build"], cwd=ROOT, env=env,
                       check=True, capture_output=True, timeout=START_TIMEOUT)
        server, url = start_server(env, OUT / "big-bodies-server.log")
        wait_ready(server, url, timeout=START_TIMEOUT, log="bench/out/big-bodies-server.log")
        port = int(url.rsplit(":", 1)[1])
        result: dict[str, Any] = {"megabytes": args.megabytes, "at_once": args.at_once,
                                  "rss_ready_mb": current_rss_mb(server.pid), "rounds": []}
        for kind in ("unsigned chunked", "bad signature chunked", "declared length"):
            with ThreadPoolExecutor(args.at_once + 1) as pool:
                done = threading.Event()
                peak = pool.submit(_peak_rss, server.pid, done)
                kinds = [kind] * args.at_once
                replies = list(pool.map(send, [port] * args.at_once, kinds,
                                        [args.megabytes] * args.at_once))
                time.sleep(0.5)
                done.set()
            result["rounds"].append({"kind": kind, "replies": replies,
                                     "rss_peak_mb": peak.result(),
                                     "rss_after_mb": current_rss_mb(server.pid)})
    finally:
        if server is not None:
            stop_server(server)
        standin.stop()
    print(f"RSS when ready: {result['rss_ready_mb']} MB")
    for round_ in result["rounds"]:
        print(f"{round_['kind']:>22}: replies {sorted(set(round_['replies']))}, "
              f"RSS peak {round_['rss_peak_mb']} MB, after {round_['rss_after_mb']} MB")
    write_result("big_bodies", result)


def _peak_rss(pid: int, done: threading.Event) -> float:
    peak = 0.0
    while not done.wait(0.05):
        peak = max(peak, current_rss_mb(pid))
    return peak


def send(port: int, kind: str, megabytes: int) -> str:
    """One oversized POST; returns the status line the server answered with."""
    signed = kind != "unsigned chunked"
    headers = ["POST /slack/events HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    if signed:
        headers += [f"X-Slack-Request-Timestamp: {int(time.time())}", "X-Slack-Signature: v0=00"]
    headers.append(f"Content-Length: {megabytes * PIECE}" if kind == "declared length"
                   else "Transfer-Encoding: chunked")
    chunk = b"x" * PIECE if kind == "declared length" else (
        f"{PIECE:x}\r\n".encode() + b"x" * PIECE + b"\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(("\r\n".join(headers) + "\r\n\r\n").encode())
        try:
            for _ in range(megabytes):
                connection.sendall(chunk)
            if kind != "declared length":
                connection.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # refused and closed before the whole body was sent
        try:
            return connection.recv(200).split(b"\r\n", 1)[0].decode()
        except OSError as error:
            return f"no reply ({error})"


if __name__ == "__main__":
    main()

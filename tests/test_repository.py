"""The repository stands on its own: a clone with nothing beside it collects every test, and
benchmarks that need an outside data set say where to get it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e  # subprocesses and servers: the slow tier

OWN_PARTS = ("bot", "tests", "eval", "seeds", "pyproject.toml")


def test_a_clone_with_nothing_beside_it_collects_every_test(tmp_path: Path) -> None:
    clone = tmp_path / "alone" / "quotebot"
    for part in OWN_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, clone / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, clone / part)
    assert [p.name for p in clone.parent.iterdir()] == ["quotebot"]  # nothing beside it
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "error" not in result.stdout.lower().split("collected")[-1], result.stdout[-2000:]


@pytest.mark.parametrize("script", ["answer_latency.py", "build_throughput.py"])
def test_a_benchmark_without_its_data_set_says_where_to_get_it(
    tmp_path: Path, script: str
) -> None:
    missing = tmp_path / "dev-v2.0.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--squad", str(missing)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(missing) in lines[0] and "SQuAD 2.0" in lines[0] and "--squad" in lines[0]

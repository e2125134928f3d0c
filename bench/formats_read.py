"""Reading cost of each document format: seconds to turn one file into canonical text.

    .venv/bin/python bench/formats_read.py [--pages 50] [--repeat 5]

Makes the test suite's documents (tests/make_documents.py) plus a PDF of ``--pages`` pages
flowed by fpdf2, then times ``read_source`` on each: the first read (which pays for importing
the format's library) and the median of ``--repeat`` further reads. No model is loaded.
Needs the dev extra (fpdf2).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from common import ROOT  # noqa: F401  (puts the repository on sys.path)

from bot.ingest import read_source
from tests import make_documents as make


def _files(folder: Path, pages: int) -> dict[str, Path]:
    data = {
        "roads.html": make.news_page(),
        "library.docx": make.word_file(),
        "harbour.pdf (2 pages)": make.two_page_pdf(),
        f"long.pdf ({pages} pages)": make.flowing_pdf(paragraphs=pages * 3),
    }
    paths = {}
    for label, content in data.items():
        path = folder / label.split()[0]
        path.write_bytes(content)
        paths[label] = path
    return paths


def _time(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    source = read_source(path, display_path=path.name)
    return time.perf_counter() - started, len(source.text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for label, path in _files(Path(folder), args.pages).items():
            first, characters = _time(path)
            again = statistics.median(_time(path)[0] for _ in range(args.repeat))
            print(
                f"{label:24} {path.stat().st_size / 1024:8.1f} KiB  {characters:7d} chars  "
                f"first {first * 1000:7.1f} ms  then {again * 1000:7.1f} ms"
            )


if __name__ == "__main__":
    main()

"""Which document a question means (`bot.which_document`): by its section, its kind of piece,
its title's words, read once for an index's documents."""

from __future__ import annotations

from dataclasses import replace

import pytest

import bot.which_document as which_document
from bot.records import Document
from bot.which_document import document_described

SHELF = (
    Document("seeds/a.txt", "Council votes on bus lanes", "2020-01-02", section="News"),
    Document("seeds/b.txt", "Mary Lowe, botanist, dies at 90", "2020-01-03", section="Obituaries"),
    Document("seeds/c.txt", "I was wrong about the bus lanes", "2020-01-04", section="Opinion"),
    Document("seeds/d.txt", "Floods LIVE: roads closed", "2020-01-05", section="Live"),
)


@pytest.mark.parametrize(
    ("question", "path"),
    [
        ("When was the obituary published?", "seeds/b.txt"),
        ("Who wrote the column about the bus lanes?", "seeds/c.txt"),
        ("when did the op-ed come out", "seeds/c.txt"),
        ("What is the live blog about?", "seeds/d.txt"),
        ("When was the article published?", None),  # any of them: the thread's, or all
    ],
)
def test_a_kind_of_piece_is_found_by_its_section(question: str, path: str | None) -> None:
    number = document_described(question, SHELF)
    assert (None if number is None else SHELF[number].path) == path


def test_the_titles_are_read_once_for_the_documents_of_an_index(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # at 1M chunks (11,000 documents) "… in the health story?" re-read every title: 85 ms
    shelf = tuple(replace(d, title=f"{d.title} ") for d in SHELF)  # this test's own tuple
    read = 0
    real_term_set = which_document.term_set

    def counted(text: str) -> frozenset[str]:
        nonlocal read
        read += 1
        return real_term_set(text)

    monkeypatch.setattr(which_document, "term_set", counted)
    assert document_described("Who is quoted in the council story?", shelf) == 0
    assert read == len(shelf)
    assert document_described("When was the council story published?", shelf) == 0
    assert read == len(shelf)
    assert document_described("the council story?", SHELF[:3]) == 0  # other documents
    assert read == len(shelf) + 3


@pytest.mark.parametrize(
    ("question", "path"),
    [
        ("What was in the latest story?", "seeds/d.txt"),
        ("Who is quoted in the oldest article?", "seeds/a.txt"),
        ("who wrote the botanist story", "seeds/b.txt"),
        ("Who wrote the council bus lanes story?", "seeds/a.txt"),
        ("Who wrote the bus lanes story?", None),  # two titles have the words: the thread's
        ("What is the weather story about?", None),  # no title, section or date says which
    ],
)
def test_a_story_by_its_date_or_its_title(question: str, path: str | None) -> None:
    number = document_described(question, SHELF)
    assert (None if number is None else SHELF[number].path) == path

"""Who said it, for a searched question (`bot.who_said`): names typed in lower case, names no
document has, and the passages where the one asked about says something."""

from __future__ import annotations

import pytest

from bot.index import load_index
from bot.retrieve import Retriever
from bot.settings import Settings
from bot.who_said import full_name, unheard_of, without_article


@pytest.fixture(scope="module")
def retriever(seed_index: Settings) -> Retriever:
    return Retriever(load_index(seed_index.index_dir, model=seed_index.model))


def test_a_phrase_without_its_article() -> None:
    assert without_article("the harland foundation") == "harland foundation"
    assert without_article("An FBI official") == "FBI official"
    assert without_article("theodore") == "theodore"


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("what did obama say about the fbi's concerns", "Obama"),
        ("what did napolitano think of it", "Napolitano"),
        ("what did pendr say", None),  # a misspelt name the seed has
        ("what did Obama say?", None),  # capitals: the gate's own check
        ("what did the spokeswoman say", None),  # a description
        ("what does the image caption say", None),  # a thing described
        ("when will they vote, according to reports?", None),  # no one's name
        ("what did they say", None),
    ],
)
def test_a_name_no_document_has(retriever: Retriever, question: str, who: str | None) -> None:
    assert unheard_of(question, retriever) == who


def test_a_full_name_ending_a_phrase() -> None:
    assert full_name("the FBI's Jerome Pender") == "Jerome Pender"
    assert full_name("Dr Jane K. Doe") == "Jane K. Doe"
    assert full_name("Prof Okafor") is None
    assert full_name("the harbour master") is None

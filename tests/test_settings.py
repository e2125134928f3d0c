"""Settings: every one documented in .env.example; a bad value is one line naming the variable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import Settings, load_settings
from tests.conftest import ROOT
from tests.test_cli_index import Workspace, one_error_line

EXAMPLE = ROOT / ".env.example"


def example_values() -> dict[str, str]:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {name: value for name, value in pairs}


def test_env_example_lists_every_setting_with_its_default() -> None:
    values = example_values()
    aliases = [field.alias for field in Settings.model_fields.values()]
    assert sorted(values) == sorted(aliases)
    for name, field in Settings.model_fields.items():
        default = "" if field.default is None else str(field.default)
        assert values[str(field.alias)] == default, name


def test_env_example_explains_every_setting_in_one_comment_line() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line and not line.startswith("#"):
            assert lines[number - 1].startswith("# "), line


def test_env_example_loads_as_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Copied unchanged to .env it gives the defaults: empty tokens mean "not set"."""
    (tmp_path / ".env").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.delenv("BOT_FEEDBACK_DB")
    assert load_settings() == Settings(_env_file=None)  # type: ignore[call-arg]
    assert load_settings().slack_bot_token is None


def test_dotenv_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("BOT_MODEL=from-dotenv\nBOT_BATCH_SIZE=8\n", encoding="utf-8")
    monkeypatch.setenv("BOT_BATCH_SIZE", "16")
    settings = load_settings()
    assert (settings.model, settings.batch_size) == ("from-dotenv", 16)


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("BOT_BATCH_SIZE", "abc", "BOT_BATCH_SIZE: Input should be a valid integer"),
        ("BOT_BATCH_SIZE", "0", "BOT_BATCH_SIZE: Input should be greater than or equal to 1"),
        ("BOT_MAX_QUOTES", "9", "BOT_MAX_QUOTES: Input should be less than or equal to 3"),
        ("SLACK_API_URL", "ftp://x", "SLACK_API_URL: an http(s) URL (got 'ftp://x')"),
        ("BOT_LOG_LEVEL", "LOUD", "BOT_LOG_LEVEL: one of DEBUG, INFO, WARNING, ERROR"),
        ("BOT_SLASH_COMMAND", "ask", "BOT_SLASH_COMMAND: a slash command such as /ask"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith(expected) and "\n" not in str(caught.value)


@pytest.mark.parametrize("variable", ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"])
def test_a_bad_secret_is_never_echoed(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "xoxb-very-secret 123")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == f"{variable}: one word with no spaces (check what was pasted)"


def test_secrets_are_trimmed_and_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", " xoxb-abc \n")
    settings = load_settings()
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-abc"
    assert "xoxb-abc" not in repr(settings) and "xoxb-abc" not in str(settings)


def test_a_dotenv_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"BOT_MODEL=caf\xe9\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings()


def test_a_dotenv_line_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        '# index\nBOT_MODEL=all-MiniLM-L6-v2\nBOT_INDEX_DIR="/tmp/myindex\nBOT_BATCH_SIZE=8\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_settings()  # not the default index folder, quietly
    assert str(raised.value) == (
        ".env line 3 (BOT_INDEX_DIR) cannot be read: an unclosed quote, or not NAME=value"
    )


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("env", "needles"),
    [
        ({"BOT_BATCH_SIZE": "abc"}, ("BOT_BATCH_SIZE", "valid integer", "'abc'")),
        ({"SLACK_API_URL": "ftp://x"}, ("SLACK_API_URL", "http(s) URL")),
        ({"SLACK_SIGNING_SECRET": "s3cr3t value"}, ("SLACK_SIGNING_SECRET",)),
    ],
)
def test_the_cli_reports_a_bad_setting_in_one_line(
    tmp_path: Path, env: dict[str, str], needles: tuple[str, ...]
) -> None:
    workspace = Workspace(tmp_path)
    for args in (("index", "info"), ("index", "build")):
        line = one_error_line(workspace.run(*args, **env), *needles)
        assert "s3cr3t" not in line
        assert re.match(r"error: [A-Z_]+: ", line)

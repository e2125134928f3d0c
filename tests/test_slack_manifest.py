"""The shipped Slack app manifests ask for exactly what the bot uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from bot.settings import Settings
from bot.slack.http import EVENTS_PATH

SLACK_DIR = Path(__file__).resolve().parents[1] / "slack"


def load(name: str) -> dict[str, Any]:
    manifest: dict[str, Any] = yaml.safe_load((SLACK_DIR / name).read_text())
    return manifest


@pytest.mark.parametrize("name", ["manifest.yaml", "manifest-http.yaml"])
def test_scopes_events_command_and_interactivity(name: str) -> None:
    manifest = load(name)
    default_command = Settings.model_fields["slack_slash_command"].default
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(
        [
            "app_mentions:read",
            "chat:write",
            "im:history",
            "commands",
            # conversations.replies: follow-ups read the bot's earlier turns in the thread
            "channels:history",
            "groups:history",
            "mpim:history",
        ]
    )
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == [
        "app_mention",
        "message.im",
    ]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == [default_command]
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is False


def test_socket_manifest_needs_no_public_url() -> None:
    manifest = load("manifest.yaml")
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "url" not in (SLACK_DIR / "manifest.yaml").read_text().split("oauth_config")[1]


def test_http_manifest_points_every_url_at_the_events_path() -> None:
    manifest = load("manifest-http.yaml")
    assert manifest["settings"]["socket_mode_enabled"] is False
    urls = [
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
        *(command["url"] for command in manifest["features"]["slash_commands"]),
    ]
    assert all(url.startswith("https://") and url.endswith(EVENTS_PATH) for url in urls)

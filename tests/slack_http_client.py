"""Requests to the bot's HTTP endpoint, signed the way Slack signs them (slack_sdk.signature)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from tests.slack_standin import SIGNING_SECRET

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Reply:
    status: int
    body: str


def http(
    method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> Reply:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with _opener.open(request, timeout=10) as response:
            return Reply(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read().decode())


def post_signed(
    url: str,
    body: bytes,
    *,
    content_type: str,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    try:
        signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    except UnicodeDecodeError:  # slack_sdk signs text; Slack itself signs bytes
        digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
        signature = "v0=" + digest.hexdigest()
    all_headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature or "",
        **(headers or {}),
    }
    return http("POST", url, body, all_headers)


def post_json(url: str, payload: dict[str, Any], **options: Any) -> Reply:
    return post_signed(
        url, json.dumps(payload).encode(), content_type="application/json", **options
    )


def post_form(url: str, fields: dict[str, str], **options: Any) -> Reply:
    body = urlencode(fields).encode()
    return post_signed(url, body, content_type="application/x-www-form-urlencoded", **options)


def post_action(url: str, payload: dict[str, Any], **options: Any) -> Reply:
    return post_form(url, {"payload": json.dumps(payload)}, **options)


def redeliver(url: str, payload: dict[str, Any], *, attempts: int = 200) -> Reply:
    """Deliver an event again, as Slack does, until it is accepted (not 409: still being
    answered elsewhere); at most ``attempts`` times, 50 ms apart."""
    for attempt in range(1, attempts + 1):
        reply = post_json(url, payload, headers={"X-Slack-Retry-Num": str(min(attempt, 3))})
        if reply.status != 409:
            return reply
        time.sleep(0.05)
    raise AssertionError(f"still 409 after {attempts} deliveries")

"""Renderers: the same `Answer` as plain text, terminal, JSON and Slack Block Kit."""

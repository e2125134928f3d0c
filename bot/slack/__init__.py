"""The Slack face: the Bolt app (``app``), its transports (``http``, ``socket``) and ``serve``."""

"""A Slack bot that answers with the exact words of its sources, attributed.

Data flows through the modules in this order: ingest → chunk (sentences, attribution) →
embed → store → retrieve → answer → render → transports (cli, slack).
"""

__version__ = "0.1.0"

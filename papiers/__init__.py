"""Papiers: read identity and vehicle documents from phone photos."""

__version__ = "0.1.0"

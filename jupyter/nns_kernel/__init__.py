"""A Jupyter kernel for nns: runs one long-lived ``nns --serve`` and relays its messages."""

__version__ = "0.1.0"

"""Subcommands of ``census``: each module has ``register(subparsers)`` and a docstring as help."""

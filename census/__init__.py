"""The ``census`` command line."""

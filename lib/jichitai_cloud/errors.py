"""The one base of every error a user can cause (a bad file, a bad parameter, a busy lock).

The command line catches :class:`JichitaiError` and prints its message (one line per
problem, naming the file, row and column where there is one) without a traceback.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class JichitaiError(Exception):
    """A user-facing error: its message says what is wrong, where, and what to do."""


class SimulatedRowsError(JichitaiError):
    """Per-municipality simulated costs asked for without saying so: they check methods, and beside a real
    name they would read as a fact about that place."""

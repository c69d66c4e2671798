"""Every error a user can cause (a bad file, a bad parameter, a busy lock), in one place.

The command line catches :class:`JichitaiError` and prints its message (one line per
problem, naming the file, row and column where there is one) without a traceback.
Anything else is a bug and keeps its traceback. The second bases (``ValueError``,
``RuntimeError``) keep ``except ValueError`` in callers' code working.
"""

from __future__ import annotations


class JichitaiError(Exception):
    """A user-facing error: its message says what is wrong, where, and what to do."""


# --- inputs ---------------------------------------------------------------------------------------------

class SourceError(JichitaiError, RuntimeError):
    """A raw input is missing, altered or malformed (data/raw, checked against SOURCES.yml)."""


class CleaningError(SourceError):
    """Raw data that cannot be cleaned as documented (file, row and column named)."""


class GroupListError(SourceError):
    """The joint-cloud group list cannot be read as documented (file, row and column named)."""


class UserPathError(JichitaiError, ValueError):
    """A path a user gave that cannot be used (a loop, not a regular file, too large): one line."""


class SurveyFileError(JichitaiError, ValueError):
    """A real survey file that does not meet the contract (file, row and column named)."""


# --- parameters -----------------------------------------------------------------------------------------

class ParameterError(JichitaiError, ValueError):
    """A parameter (of a report, a model, a simulation, a query) is not one of the valid values.

    Raised before any kernel starts or anything is computed; the message lists the valid values.
    """


class SimulatedRowsError(JichitaiError):
    """Per-municipality simulated costs asked for without saying so: they check methods, and beside a real
    name they would read as a fact about that place."""


class OrderingError(JichitaiError, ValueError):
    """No simulated draw satisfied the orderings the document states (within the allowed draws)."""


# --- the store, locks and runs --------------------------------------------------------------------------

class StoreError(JichitaiError, RuntimeError):
    """data/processed is missing, incomplete, or does not match what was asked for."""


class LockError(JichitaiError, RuntimeError):
    """A lock is held by another process (who holds it is named)."""


class ReportError(JichitaiError, RuntimeError):
    """A report run failed (the notebook that failed is named; nothing half-written is kept)."""


# --- setup ------------------------------------------------------------------------------------------------

class SetupError(JichitaiError, RuntimeError):
    """The project cannot be found or is not set up (the package not installed from the repository, or
    $JICHITAI_CLOUD_ROOT naming another folder)."""


# --- output -----------------------------------------------------------------------------------------------

class ExportError(JichitaiError, RuntimeError):
    """A workbook that cannot be written as asked (a table over a sheet's row limit, a target that cannot be
    written): nothing was written."""


# --- in a notebook ---------------------------------------------------------------------------------------

def show_in_one_line_in_ipython() -> None:
    """In an IPython kernel (JupyterLab, papermill, nbval), show a :class:`JichitaiError` as one line,
    ``ErrorName: message``, instead of a traceback whose useful last line (say, "restart the kernel" after
    a rebuild, or the valid values of a parameter) sits at the bottom. The cell still fails (papermill and
    nbval see the error). Other exceptions keep their traceback: they are bugs. Called on
    ``import jichitai_cloud``; outside IPython it does nothing (and imports nothing)."""
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return

    def one_line(self, etype, value, tb, tb_offset=None):
        # IPython calls the handler and ignores what it returns (run_code): the handler shows the error itself,
        # through the shell's own display of errors, so the kernel's reply carries the error (the cell fails).
        stb = [f"{etype.__name__}: {value}"]
        self._showtraceback(etype, value, stb)
        return stb

    shell.set_custom_exc((JichitaiError,), one_line)

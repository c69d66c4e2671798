"""Shared fixtures, and the guard that keeps unit tests free of data.

Unit tests build their small inputs themselves (inline, or the committed transcribed tables and
SOURCES.yml) and run alone, without data/raw/ copied or data/processed/ built: ``make check`` runs
``-m "not slow and not data"``. A test that reads the raw files or the build is marked explicitly
``@pytest.mark.data`` (or ``slow``, when it builds or runs kernels); ``make test`` runs them all
after ``make build``.

The guard: every test without either mark runs with data/raw reduced to its tracked files and an
empty data/processed (and no datastore), so a test that needs data but lacks the mark fails in
``make check`` on any machine, not only on one without data.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jichitai_cloud import paths
from jichitai_cloud.io import sources
from jichitai_cloud.report.worker import light_jupyter_imports

# As the command line and the report workers do: the tests read and write notebooks without jsonschema's IRI
# checker (slow to import: see light_jupyter_imports). `make check` and `make test` leave the nbval plugin out
# of these runs (-p no:nbval), which would import nbformat before this file; nbval's own run loads
# tests/light_imports.py first instead.
light_jupyter_imports()


@pytest.fixture(scope="session")
def source_text() -> str:
    """The source document text, as extracted from the PDF (verified raw file; tests using it are ``data``)."""
    return sources.source_document_text()


@pytest.fixture(scope="session")
def processed():
    """A processed table by name, from data/processed (tests using it are ``data``; `make test` builds first)."""
    from jichitai_cloud.io import store

    return store.read_table


@pytest.fixture
def processed_copy(tmp_path, monkeypatch):
    """A copy of data/processed (its links are relative: they stay in the copy), used by this process and every
    process the test starts, so that a test that builds or damages it cannot harm the real one."""
    import shutil

    from jichitai_cloud.io import store

    copy = tmp_path / "processed"
    # not its lock file: its note may name a live holder of the real one (another test's report run), and a
    # shared holder of the copy would then leave that note in place (a test waiting for a holder would wait in vain)
    shutil.copytree(paths.PROCESSED_DIR, copy, symlinks=True, ignore=shutil.ignore_patterns(store.LOCK))
    monkeypatch.setattr(paths, "PROCESSED_DIR", copy)
    monkeypatch.setenv(paths.PROCESSED_ENV, str(copy))
    monkeypatch.delenv(store.BUILD_ENV, raising=False)
    store._PINS.pop(copy, None)
    yield copy
    store._PINS.pop(copy, None)


@pytest.fixture(autouse=True)
def _no_data_for_unit_tests(request, tmp_path_factory, monkeypatch):
    """Unmarked tests see only the tracked part of data/raw (SOURCES.yml, transcribed/), an empty
    data/processed, and no datastore."""
    if request.node.get_closest_marker("data") or request.node.get_closest_marker("slow"):
        yield
        return
    root = tmp_path_factory.mktemp("no_data")
    raw, processed = root / "raw", root / "processed"
    raw.mkdir()
    processed.mkdir()
    for tracked in (paths.MANIFEST_PATH, paths.TRANSCRIBED_DIR):
        (raw / Path(tracked).name).symlink_to(tracked)
    monkeypatch.setattr(paths, "RAW_DIR", raw)
    monkeypatch.setattr(paths, "PROCESSED_DIR", processed)
    monkeypatch.setenv(paths.PROCESSED_ENV, str(processed))
    monkeypatch.setenv(paths.DATASTORE_ENV, os.fspath(root / "no_datastore"))
    yield


def _rank(item) -> int:
    """0 for the end-to-end tests (``slow``: seconds each), 1 for the other ``data`` tests (a few take seconds:
    whole-build exports, builds of a survey file), 2 for the unit tests (inline data: milliseconds)."""
    if item.get_closest_marker("slow"):
        return 0
    return 1 if item.get_closest_marker("data") else 2


def pytest_collection_modifyitems(items):
    """The longer kinds of test first (see :func:`_rank`), each kind in its order: on several processes
    (`make test`: pytest-xdist), the long tests start at once and the unit tests fill the gaps at the end,
    instead of one process finishing a long test alone."""
    items.sort(key=_rank)

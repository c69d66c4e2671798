"""Shared fixtures, and which tests need data.

Unit tests build their small inputs themselves (inline, or the committed transcribed tables) and run
alone, without data/raw/ copied or data/processed/ built: ``make check``. A test that reads the raw
files, the build, or renders is marked ``data`` here (by the fixtures it uses or the calls it makes),
or ``slow`` by its module; ``make test`` runs them all after ``make build``.
"""

from __future__ import annotations

import inspect
import re

import pytest

from jichitai_cloud.io import sources


@pytest.fixture(scope="session")
def source_text() -> str:
    """The source document text, as extracted from the PDF (verified raw file)."""
    return sources.source_document_text()


@pytest.fixture(scope="session")
def processed():
    """A processed table by name, from data/processed (`make test` builds it first)."""
    from jichitai_cloud.io import store

    return store.read_table


# Fixtures that read data/raw/ or data/processed/.
DATA_FIXTURES = {"source_text", "processed", "data", "frame", "pub", "simulated", "design", "one_draw", "p", "doc",
                 "joins"}
# Calls that do.
NEEDS_DATA = re.compile(r"store\.(read_table|manifest|read_records)|jc\.|published\.tables\(\)|sources\.(raw_path|verify|"
                        r"manifest|source_document_text)|build\.build|maps\.(read_raw|paths|boundaries)|reports\.make|"
                        r"render\.(render_one|render_batch|all_jobs|job\()|cli\.main|_shown_text|jobs\.(validate_parameters|"
                        r"title)|base_frame|findings\.|evidence\.tables|plots\.map_|_real_like|planned\.table|read_juki")


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("slow") or item.get_closest_marker("data"):
            continue
        try:
            source = inspect.getsource(item.function)
        except (OSError, TypeError):
            source = ""
        if DATA_FIXTURES & set(item.fixturenames) or NEEDS_DATA.search(source):
            item.add_marker(pytest.mark.data)

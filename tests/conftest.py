"""Shared fixtures. Tests that read data/raw/ expect `jichitai-cloud data` to have run
(`make test` does it first); unit tests build their small inputs themselves."""

from __future__ import annotations

import pytest

from jichitai_cloud import sources


@pytest.fixture(scope="session")
def source_text() -> str:
    """The source document text, as extracted from the PDF (verified raw file)."""
    return sources.source_document_text()


@pytest.fixture(scope="session")
def processed():
    """A processed table by name, from data/processed (`make test` builds it first)."""
    from jichitai_cloud import store

    return store.read_table

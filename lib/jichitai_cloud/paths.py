"""Where things are, resolved from the package, never from the current directory.

papermill starts kernels in the caller's working directory, nbval and JupyterLab in
the notebook's folder; every path in the project therefore comes from here.
"""

from __future__ import annotations

import os
from pathlib import Path

from jichitai_cloud.errors import SetupError

DATASTORE_ENV = "JICHITAI_CLOUD_DATASTORE"
ROOT_ENV = "JICHITAI_CLOUD_ROOT"
# Another data/processed (a batch hands its own to its kernels; tests use a copy).
PROCESSED_ENV = "JICHITAI_CLOUD_PROCESSED"


def _find_root() -> Path:
    override = os.environ.get(ROOT_ENV)
    root = Path(override).resolve() if override else Path(__file__).resolve().parents[2]
    marker = root / "pyproject.toml"
    if not marker.is_file() or 'name = "jichitai-cloud"' not in marker.read_text(encoding="utf-8"):
        raise SetupError(
            f"jichitai_cloud cannot find its project root (looked at {root}). Install the package "
            f"editable from the repository (`make setup`), or set {ROOT_ENV} to the repository."
        )
    return root


PROJECT_ROOT = _find_root()
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
TRANSCRIBED_DIR = RAW_DIR / "transcribed"
PROCESSED_DIR = Path(os.environ[PROCESSED_ENV]).resolve() if os.environ.get(PROCESSED_ENV) else DATA_DIR / "processed"
MANIFEST_PATH = RAW_DIR / "SOURCES.yml"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"


def datastore_dir() -> Path:
    """The datastore holding the original raw files (env var overrides the default)."""
    override = os.environ.get(DATASTORE_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return (PROJECT_ROOT.parent / "shared" / "datastore").resolve()

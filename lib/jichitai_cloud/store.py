"""The processed tables on disk: written atomically, read by name.

Each table is written as ``data/processed/<name>.parquet`` (what the library reads)
and ``<name>.csv`` (UTF-8 with BOM, so Excel shows the Japanese). Writes go to
temporary names first and are moved into place only when every table of the batch
has been written, so a failed build leaves the previous tables untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from . import paths

from .catalog import BUILD_TABLES, TABLES  # noqa: E402, F401  (the registry of processed tables)


class StoreError(RuntimeError):
    pass


def table_path(name: str, suffix: str = ".parquet", directory: Path | None = None) -> Path:
    return (directory or paths.PROCESSED_DIR) / f"{name}{suffix}"


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    # No index, fixed compression: the same frame always gives the same bytes.
    df.to_parquet(path, engine="pyarrow", index=False, compression="zstd")


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n", date_format="%Y-%m-%d")


def write_tables(tables: dict[str, pd.DataFrame], directory: Path | None = None) -> list[Path]:
    """Write every table (Parquet + CSV) or, on any error, none of them."""
    directory = directory or paths.PROCESSED_DIR
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise StoreError(f"unknown table name(s) {unknown}; register them in store.TABLES")
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=directory, prefix=".staging-"))
    try:
        staged = []
        for name in sorted(tables):
            for suffix, writer in ((".parquet", _write_parquet), (".csv", _write_csv)):
                tmp = staging / f"{name}{suffix}"
                writer(tables[name], tmp)
                staged.append((tmp, table_path(name, suffix, directory)))
        for tmp, final in staged:
            os.replace(tmp, final)
        return [final for _, final in staged]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read_table(name: str, directory: Path | None = None) -> pd.DataFrame:
    """A processed table by name (see TABLES), from its Parquet file."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; known tables: {', '.join(TABLES)}")
    path = table_path(name, directory=directory)
    if not path.is_file():
        raise StoreError(f"{path} does not exist; run `jichitai-cloud build` (or `make report`) first")
    return pd.read_parquet(path, engine="pyarrow")

"""The committed notebooks: what nbval, the tests and `make notebooks` look at.

A scratch notebook (JupyterLab's File › New › Notebook saves ``Untitled.ipynb`` in the folder the
file browser shows) is none of the project's business: in a git checkout the committed notebooks are
those of ``notebooks/*.ipynb`` that git tracks (``git ls-files``), so an untracked one changes no
test. Outside a git checkout (an exported tarball, or git not installed) every ``notebooks/*.ipynb``
counts except the obviously scratch ones (``Untitled*.ipynb``, JupyterLab's copies ``*-Copy*.ipynb``
and hidden files), and the command says so.

    python tools/tracked_notebooks.py               # print them, one per line, relative to the root
    python tools/tracked_notebooks.py -- CMD ARG..  # run CMD ARG.. NOTEBOOK.. from the root (`make test`)
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = "notebooks"
SCRATCH = ("Untitled*.ipynb", "*-Copy*.ipynb", ".*")


def _git(root: Path, *args: str) -> tuple[str | None, str]:
    """git's output in ``root`` (None when git is missing or fails), and the first line it printed on
    stderr (why it failed: not a checkout, an owner git does not trust, ...)."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except OSError:
        return None, "git is not installed"
    err = done.stderr.decode("utf-8", "replace").strip().splitlines()
    out = done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else None
    return out, (err[0] if err else "")


def committed_notebooks(root: Path = ROOT) -> tuple[list[str], str]:
    """The notebooks to check, as paths relative to ``root`` (sorted), and how they were chosen."""
    root = Path(root).resolve()
    top, why = _git(root, "rev-parse", "--show-toplevel")
    if top is not None and Path(top.strip()).resolve() == root:
        listed, why = _git(root, "ls-files", "-z", "--", FOLDER)
        if listed is not None:
            names = [p for p in listed.split("\0") if p]
            # git pathspecs let * cross folders: keep notebooks/<name>.ipynb only.
            mine = [p for p in names if p.endswith(".ipynb") and p.count("/") == 1 and p.startswith(FOLDER + "/")]
            return sorted(mine), "tracked by git"
    elif top is not None:
        why = f"its repository is {top.strip()}"  # an exported copy unpacked inside another checkout
    if why != "git is not installed":
        why = f"{root} is not a git checkout ({why})" if why else f"{root} is not a git checkout"
    found = sorted(
        f"{FOLDER}/{p.name}" for p in (root / FOLDER).glob("*.ipynb")
        if p.is_file() and not any(fnmatch.fnmatch(p.name, pat) for pat in SCRATCH)
    )
    return found, f"{why}: every {FOLDER}/*.ipynb except scratch ones ({', '.join(SCRATCH)})"


def main(argv: list[str]) -> int:
    root = ROOT
    if argv[:1] == ["--root"]:
        root, argv = Path(argv[1]), argv[2:]
    notebooks, how = committed_notebooks(root)
    if not notebooks:
        print(f"tracked_notebooks: no notebook to check in {Path(root) / FOLDER} ({how})", file=sys.stderr)
        return 2
    if how != "tracked by git":
        print(f"tracked_notebooks: {how}", file=sys.stderr)
    if argv[:1] == ["--"] and len(argv) > 1:
        os.chdir(root)
        os.execvp(argv[1], [*argv[1:], *notebooks])  # the command's own exit status and signals
    if argv:
        print("usage: tracked_notebooks.py [--root DIR] [-- COMMAND ARG ...]", file=sys.stderr)
        return 2
    print("\n".join(notebooks))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

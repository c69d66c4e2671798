"""Write environment.yml from requirements.lock, so conda users get the very same pins.

The lock covers Python 3.11, 3.12 and 3.13 (pins with markers); environment.yml names one version, 3.11.

Run by `make lock`; tests/test_environment.py fails when the two disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)(\s*;.*)?$")


def lock_pins(text: str) -> list[str]:
    """The requirement lines of a lock file (name==version [; marker]), comments dropped."""
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            if not PIN.match(line):
                raise SystemExit(f"requirements.lock: unexpected line {line!r}")
            out.append(line)
    return out


def main() -> int:
    pins = lock_pins((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    lines = [
        "# Generated from requirements.lock by `make lock` (tools/write_environment_yml.py); do not edit.",
        "# The packages come from PyPI through pip, pinned exactly as in the lock, so that a conda",
        "# environment is the same environment as the .venv that `make setup` builds. It names Python 3.11;",
        "# the lock's markers select the pins of 3.12 or 3.13 if you change that line.",
        "name: jichitai-cloud",
        "channels:",
        "  - conda-forge",
        "  - nodefaults",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - pip:",
        *[f'      - "{p}"' for p in pins],
        "      - -e .",
        "",
    ]
    (ROOT / "environment.yml").write_text("\n".join(lines), encoding="utf-8")
    print(f"environment.yml: {len(pins)} pins")
    return 0


if __name__ == "__main__":
    sys.exit(main())

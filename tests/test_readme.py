"""The README's table of the library's modules lists exactly the modules of the tree, folder by folder, in
the order of the data flow that tests/test_architecture.py checks."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lib" / "jichitai_cloud"
# The stages, in the order a number travels (the same order as tests/test_architecture.py's layers).
ORDER = ["errors.py", "paths.py", "registry/", "io/", "clean/", "survey/", "analysis/", "report/", "build.py", "cli.py",
         "__init__.py"]


def _listed() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- modules:start -->", 1)[1].split("<!-- modules:end -->", 1)[0]
    return re.findall(r"^\| (?:\*\*)?`([^`]+)`", block, flags=re.M)


def test_the_readme_lists_every_module_once_and_no_other():
    tree = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    tree = {p for p in tree if not p.endswith("/__init__.py")}  # a folder's facade is its folder's row
    listed = [m for m in _listed() if not m.endswith("/")]
    assert len(listed) == len(set(listed)), sorted(m for m in listed if listed.count(m) > 1)
    assert set(listed) == tree, (sorted(tree - set(listed)), sorted(set(listed) - tree))


def test_the_readme_lists_the_folders_in_the_order_of_the_data_flow():
    stages = [m if m.endswith("/") or "/" not in m else m.split("/")[0] + "/" for m in _listed()]
    seen = list(dict.fromkeys(stages))
    assert seen == ORDER
    # every module sits under its folder's heading: the folder rows and their modules are contiguous
    runs = [s for k, s in enumerate(stages) if k == 0 or s != stages[k - 1]]
    assert runs == ORDER

"""The layout's rules, checked on the source tree (issue 19): the folder tree is the data flow, each fact is
declared once, small units.

Unit tests: they read lib/ with ``ast`` (and import registry.vocab), no data, no kernels.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from jichitai_cloud.registry import vocab

LIB = Path(__file__).resolve().parents[1] / "lib" / "jichitai_cloud"
PACKAGE = "jichitai_cloud"
# The data flow, bottom to top: a module may import its own layer (without a cycle) or a lower one, never a
# higher one. errors and paths are below everything; build and cli on top; the package's __init__ above all.
LAYERS = ("errors", "paths", "registry", "io", "clean", "survey", "analysis", "report", "build", "cli", "__init__")
MAX_FILE_LINES = 700
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(LIB.rglob("*.py")):
        parts = p.relative_to(LIB).with_suffix("").parts
        name = ".".join((PACKAGE,) + parts)
        out[name.removesuffix(".__init__")] = p
    return out


MODULES = _modules()


def _layer(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    return LAYERS.index(top)


def _imports(module: str, path: Path) -> set[str]:
    """Every jichitai_cloud module this file imports, at any depth (function-level imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for n in names:
            # the longest prefix that is one of our modules
            parts = n.split(".")
            for k in range(len(parts), 1, -1):
                cand = ".".join(parts[:k])
                if cand in MODULES and cand != module:
                    found.add(cand)
                    break
    return found


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def test_the_graph_is_read():
    """The parser finds the edges a reader sees (a check of the check)."""
    assert f"{PACKAGE}.registry.vocab" in GRAPH[f"{PACKAGE}.build"] | set().union(
        *(GRAPH[m] for m in GRAPH[f"{PACKAGE}.build"]))
    assert GRAPH[f"{PACKAGE}.errors"] == set()


def test_no_module_imports_a_higher_layer():
    bad = [f"{m} imports {d}" for m, deps in GRAPH.items() for d in deps
           if not m.endswith(".__init__") and m != PACKAGE and _layer(d) > _layer(m)
           and not (d.count(".") == 1 and d.endswith("__init__"))]
    assert not bad, "the data flow climbs back up:\n" + "\n".join(sorted(bad))


def test_no_import_cycle():
    """Tarjan's strongly connected components over the module graph (function-level imports included)."""
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert not sccs, f"import cycles: {sccs}"


def test_small_units():
    long_files = [f"{p.relative_to(LIB)}: {n} lines" for p in MODULES.values()
                  if (n := len(p.read_text(encoding='utf-8').splitlines())) > MAX_FILE_LINES]
    long_functions = []
    for p in MODULES.values():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                n = node.end_lineno - start + 1
                limit = MAX_FUNCTION_LINES if not isinstance(node, ast.ClassDef) else MAX_FILE_LINES
                if n > limit:
                    long_functions.append(f"{p.relative_to(LIB)}:{node.lineno} {node.name}: {n} lines")
    assert not long_files and not long_functions, "\n".join(long_files + long_functions)


def test_pandera_is_used_in_one_module_only():
    users = sorted(str(p.relative_to(LIB)) for m, p in MODULES.items()
                   if any(isinstance(n, (ast.Import, ast.ImportFrom)) and "pandera" in ast.unparse(n)
                          for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))))
    assert users == ["registry/schema.py"], users


# --- one vocabulary -----------------------------------------------------------------------------------------

# A model's label shorter than this is an ordinary word that also heads a column (団体区分 is the 'kind' model
# and the municipality kind's header; 公表値 is a kind and the published figure's header): only longer labels,
# which name nothing else, are looked for. Kinds are looked for as tags (［公表値］).
MIN_MODEL_LABEL = 8


def _labels() -> set[str]:
    """Every label vocab gives a status or a reading, and the longer model labels (both languages)."""
    out = set()
    for table in (vocab.STATUS, vocab.READING, vocab.READING_LONG):
        for pair in table.values():
            out.update(pair)
    out.update(vocab.NOT_JOINT)
    for table in (vocab.MODELS, vocab.INFERENCE, vocab.VALIDATED_MODELS, {"": vocab.CLASS_LEVEL_MODEL}):
        out.update(s for pair in table.values() for s in pair if len(s) >= MIN_MODEL_LABEL)
    # an English label that equals a code ('published', 'kind', 'interaction') is the code, typed as data
    codes = set().union(vocab.STATUS, vocab.READING, vocab.KIND, vocab.MODELS, vocab.INFERENCE, vocab.VALIDATED_MODELS)
    return {s for s in out if len(s) >= 3 and s not in codes}


LABELS = _labels()
CODES = set(vocab.READINGS)
TAGS = {vocab.kind_tag(k, lang) for k in vocab.KIND for lang in vocab.LANGS}


def _docstrings(tree) -> set[int]:
    """ids of the docstring nodes (documentation may quote a label or a tag)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _strings(path: Path):
    """The string constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node.lineno, node.value


def test_vocab_labels_are_declared_once():
    """No module but registry/vocab.py types a status, reading, kind or model label, a reading code, or a
    kind tag (［公表値］ / [published]): they are taken from vocab."""
    found = []
    for m, p in MODULES.items():
        if m == f"{PACKAGE}.registry.vocab":
            continue
        for line, s in _strings(p):
            what = ("label" if s in LABELS else "reading code" if s in CODES else
                    "kind tag" if any(t in s for t in TAGS) else "")
            if what:
                found.append(f"{p.relative_to(LIB)}:{line}: {what} {s[:60]!r}")
    assert not found, "declared outside vocab:\n" + "\n".join(found)


def test_the_label_check_can_fail(tmp_path):
    p = tmp_path / "x.py"
    p.write_text('"""A docstring may say 自治体クラウド."""\nX = {"joint": "自治体クラウド"}\nY = "without_3"\n'
                 'Z = "合計［公表値］"\nW = "main model (clustered by prefecture)"\n', encoding="utf-8")
    hits = [s for _, s in _strings(p) if s in LABELS or s in CODES or any(t in s for t in TAGS)]
    assert sorted(hits) == sorted(["自治体クラウド", "without_3", "合計［公表値］", "main model (clustered by prefecture)"])

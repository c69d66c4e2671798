"""The registry: every processed table and column declared once; the codebook and the README's list from it."""

import ast
from pathlib import Path

from jichitai_cloud.registry import metadata


def test_every_build_table_is_declared_column_by_column():
    from jichitai_cloud.registry import catalog

    for name in catalog.TABLES:
        r = metadata.RESOURCES[name]
        assert r.fields and set(r.key) <= set(r.fields), name
        for column in r.fields:
            f = r.field(column)
            assert f.dtype and f.unit in metadata.UNITS and f.provenance in metadata.PROVENANCE, (name, column)
            assert f.en and f.ja, (name, column)


def test_the_codebook_covers_every_declared_column_and_renders_as_markdown():
    from jichitai_cloud.registry import catalog

    book = metadata.codebook()
    assert list(book.columns) == ["table", "column", "dtype", "unit", "description_ja", "description_en",
                                  "provenance", "sources"]
    for name in catalog.TABLES:
        assert book.loc[book["table"] == name, "column"].tolist() == list(metadata.RESOURCES[name].fields), name
    assert (book["provenance"] != "").all() and (book["description_en"] != "").all()
    md = metadata.codebook_markdown(book)
    assert md.count("\n## ") == len(catalog.TABLES) and "| share_pct | int64 | % | published (公表値) |" in md


def test_the_readme_lists_every_table_as_the_catalogue_does():
    from jichitai_cloud.registry import catalog
    from jichitai_cloud import paths

    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme.split("<!-- tables:start -->\n", 1)[1].split("\n<!-- tables:end -->", 1)[0]
    assert listed == catalog.markdown_list(), "README's table list is stale: jichitai-cloud tables --markdown"


def test_no_field_is_declared_twice():
    """A second entry with the same name in a dict literal silently replaces the first: refuse it."""
    tree = ast.parse(Path(metadata.__file__).read_text(encoding="utf-8"))
    seen, twice = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "update" and node.args \
                and isinstance(node.args[0], ast.Dict) or isinstance(node, ast.AnnAssign) and \
                getattr(node.target, "id", "") == "FIELDS":
            d = node.args[0] if isinstance(node, ast.Call) else node.value
            for k in d.keys:
                if isinstance(k, ast.Constant):
                    (twice.append(k.value) if k.value in seen else seen.add(k.value))
    assert not twice, f"fields declared twice in metadata.py: {twice}"

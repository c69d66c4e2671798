"""Report text is data (report/text.py), used where it is declared; kinds of figure are derived, never typed."""

import ast
import re
from pathlib import Path

import pytest

from jichitai_cloud.registry import resources, schema, vocab
from jichitai_cloud.report import kinds, text

REPORT = Path(text.__file__).parent
CODE = {p.name: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(REPORT.glob("*.py")) if p.name != "text.py"}


def _docstrings(tree) -> set[int]:
    """ids of the docstring nodes (module, class, function)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _strings(tree) -> list[str]:
    """Every string constant of a module but its docstrings."""
    docs = _docstrings(tree)
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docs]


def _first_args(tree, names: set[str]) -> list[str]:
    """The literal first argument of every call to a function or method named in ``names``."""
    out = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Call) and n.args and isinstance(n.args[0], ast.Constant) \
                and isinstance(n.args[0].value, str):
            name = n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", None)
            if name in names:
                out.append(n.args[0].value)
    return out


USED = {s for tree in CODE.values() for s in _strings(tree)}


@pytest.mark.parametrize("table", ["TEXT", "CHART", "INDEX"])
def test_every_text_is_used(table):
    unused = sorted(set(getattr(text, table)) - USED)
    assert not unused, f"text.{table} keys no report module uses: {unused}"


def test_every_text_used_exists():
    report = {k for tree in CODE.values() for k in _first_args(tree, {"t", "subheading", "Section"})}
    chart = {k for tree in CODE.values() for k in _first_args(tree, {"say"})}
    index = {k for tree in CODE.values() for k in _first_args(tree, {"_both"})}
    assert report and chart and index  # the scan finds the calls
    assert not report - set(text.TEXT), report - set(text.TEXT)
    assert not chart - set(text.CHART), chart - set(text.CHART)
    assert not index - set(text.INDEX), index - set(text.INDEX)


def test_every_table_of_labels_is_used():
    names = {n.attr for tree in CODE.values() for n in ast.walk(tree)
             if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "text"}
    declared = {k for k, v in vars(text).items() if k.isupper() and isinstance(v, (dict, tuple))}
    assert not declared - names, declared - names


def test_every_text_is_a_pair_of_strings():
    for name in ("TEXT", "CHART", "TERMS", "TOTAL_ITEMS", "SAVINGS_MEASURES", "SAVINGS_BASES", "POSITIONS", "MOMENTS",
                 "ADOPTION_KINDS", "COST_BASES", "PROJECTION_ROWS", "FLOOR_PARTS", "CHART_MOMENTS", "SCOPES", "INDEX"):
        for key, pair in getattr(text, name).items():
            assert isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) for x in pair), (name, key)


# Any kind of figure between brackets: ［公表値］, ［導出値・推定］, [published], [derived, scenario] ...
JA_KINDS = "|".join(ja for ja, _ in vocab.KIND.values())
EN_KINDS = "|".join(en for _, en in vocab.KIND.values())
TYPED_TAG = re.compile(rf"［(?:{JA_KINDS})[^］]*］|\[(?:{EN_KINDS})\b[^\]]*\]")


def test_no_kind_of_figure_is_typed_in_the_report_layer():
    """Issue 19: every ［公表値］-style tag comes from the registry (or the vocabulary's glossary), none is typed."""
    found = {f"text.py: {s[:60]}" for s in _strings(ast.parse((REPORT / "text.py").read_text(encoding="utf-8")))
             if TYPED_TAG.search(s)}
    found |= {f"{name}: {s[:60]}" for name, tree in CODE.items() for s in _strings(tree) if TYPED_TAG.search(s)}
    assert not found, sorted(found)


def test_the_finder_of_typed_tags_finds_them():
    assert TYPED_TAG.search("調査結果の全国値［公表値］") and TYPED_TAG.search("Checks [derived]")
    assert TYPED_TAG.search("［公表値・実データ・導出値：各行の出所欄］") and TYPED_TAG.search("[published; * derived]")
    assert not TYPED_TAG.search("［{published}から導出］") and not TYPED_TAG.search("[{cost_kind} from {published} figures]")


def test_no_status_or_reading_is_labelled_outside_the_vocabulary():
    """Status and reading labels are the vocabulary's: no report module or text types one."""
    labels = {ja for ja, _ in vocab.STATUS.values()} | {vocab.NOT_JOINT[0]} | {ja for ja, _ in vocab.READING.values()}
    strings = [s for tree in CODE.values() for s in _strings(tree)]
    strings += _strings(ast.parse((REPORT / "text.py").read_text(encoding="utf-8")))
    assert not [s for s in strings if s in labels]
    assert not [s for s in strings if s in vocab.READINGS]  # "without_3" and "with_3" come from vocab.READINGS


# --- kinds: derived from the registry -------------------------------------------------------------------

def test_kinds_come_from_the_registry_in_the_vocabularys_order():
    # the group list: its names are published, its matched counts derived, its members' population real
    groups = ("cloud_groups", "name", "matched_members", "members_population_2018_01_01_persons")
    assert kinds.kinds(groups) == "published+derived+real"
    assert kinds.tag("ja", groups) == "［公表値・導出値・実データ］"
    assert kinds.tag("en", groups) == " [published, derived, real]"
    assert kinds.bare("en", ("cloud_groups", "name")) == "[published]"
    assert kinds.label("ja", ("cloud_groups", "matched_members")) == "導出値"
    # keys carry no kind; the inferred label adds 推定; several sources join
    assert kinds.kinds(("evidence_projections", "scenario", "saving_low_oku_yen"), inferred=True) == "inferred+scenario"
    assert kinds.kinds(("published_cost_by_class", "it_cost_per_resident_mean_yen"),
                       (None, "it_cost_per_resident_aggregate_yen")) == "published+derived"
    # a survey column is what the survey is: simulated, or real for a reported file
    assert kinds.kinds(("survey", "it_cost_yen")) == "simulated"
    assert kinds.kinds(("survey", "it_cost_yen"), survey_input="reported") == "real"
    assert kinds.union("derived+real", "published", "derived") == "published+derived+real"


def test_a_tag_of_no_figure_is_refused():
    with pytest.raises(ValueError, match="no kind of figure"):
        kinds.tag("ja", ("evidence_gaps", "reading", "class_id"))
    with pytest.raises(ValueError, match="not in the registry"):
        kinds.tag("ja", (None, "no_such_column"))


def test_kinds_agree_with_the_registry_for_every_column():
    """kinds.kinds of one column is that column's provenance (keys: none), resolved like a header's."""
    for name, resource in resources.RESOURCES.items():
        for column in resource.fields:
            provenance = schema.kind_of(resource.field(column))
            if provenance == "key":
                continue
            assert kinds.kinds((name, column)) == provenance, (name, column)


def test_a_tag_placeholder_takes_its_own_space():
    """An English tag to append (' [published]') brings its space: a text must not put one before it too."""
    for table in ("TEXT", "CHART"):
        for key, (ja, en) in getattr(text, table).items():
            assert not re.search(r"[ 　]\{\w*tag\}", ja + "\n" + en), (table, key)


def test_counts_say_one_in_the_singular():
    from jichitai_cloud.registry import vocab

    assert vocab.count(1, "municipality") == "1 municipality"
    assert vocab.count(2, "municipality") == "2 municipalities"
    assert vocab.count(1741, "member") == "1,741 members" and vocab.count(0, "unknown code") == "0 unknown codes"
    assert vocab.count(1, "day") == "1 day" and vocab.count(3, "day") == "3 days"

"""Report content and parameters (reports, params, text)."""

import re

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from jichitai_cloud.errors import ParameterError
from jichitai_cloud.io import store
from jichitai_cloud.registry import vocab
from jichitai_cloud.report import context, jobs, params, render, reports
from jichitai_cloud.report.display import styled


@pytest.mark.parametrize("kwargs, message", [
    ({"scope": "region"}, r"scope must be one of national, prefecture, group; got 'region'"),
    ({"scope": ["national"]}, "scope must be one of"),
    ({"lang": "fr"}, r"lang must be one of ja, en; got 'fr'"),
    ({"scope": "prefecture", "prefecture": "長野"}, r"prefecture must be one of 北海道, .*, 沖縄県; got '長野' \(did you mean '長野県'\?\)"),
    ({"scope": "prefecture"}, r"scope='prefecture' needs a prefecture, one of"),
    ({"scope": "group", "group_id": 71}, r"group_id must be one of 1..70 \(the 70 groups of the 2018-04 list\); got 71"),
    ({"scope": "group", "group_id": "5"}, r"group_id must be one of 1..70"),
    ({"scope": "group", "group_id": True}, r"group_id must be one of 1..70"),
    ({"prefecture": "長野県"}, r"prefecture is only for scope='prefecture'"),
    ({"model": "best"}, r"model must be one of main, interaction, prefecture_fe"),
    ({"population_basis": "2019-01-01"}, r"population_basis must be one of 2017-01-01, 2018-01-01"),
    ({"survey_input": "reported"}, r"data/processed was built with the simulated survey"),
    ({"use_inferred_label": "no"}, r"use_inferred_label must be True or False; got 'no'"),
    ({"fail_for_test": True}, r"no report parameter fail_for_test; the parameters are scope, lang, prefecture, "),
])
@pytest.mark.data
def test_parameters_are_validated_with_the_valid_values(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        params.validate(**kwargs)


@pytest.mark.data
def test_valid_parameters_come_back_clean():
    p = params.validate(scope="group", group_id=12)
    assert p == {"scope": "group", "lang": "ja", "prefecture": "", "group_id": 12, "population_basis": "2017-01-01",
                 "model": "main", "survey_input": "simulated", "use_inferred_label": True}
    assert jobs.title(p) == "自治体クラウドグループ 12：庄内町・三川町"  # unnamed: titled by its members


@pytest.mark.data
def test_bad_parameters_fail_before_any_kernel_starts(monkeypatch, tmp_path):
    import papermill

    def boom(*a, **k):
        raise AssertionError("papermill must not run")

    monkeypatch.setattr(papermill, "execute_notebook", boom)
    with pytest.raises(ParameterError):
        render.render_one(render.job(scope="group", group_id=999), reports_dir=tmp_path)
    assert not list(tmp_path.iterdir())


@pytest.mark.data
def test_every_report_of_the_batch():
    jobs = render.all_jobs()
    assert len(jobs) == 118 and len({j.key for j in jobs}) == 118
    assert [j.key for j in jobs][:2] == ["national", "prefecture/北海道"] and jobs[-1].key == "group/70"
    assert render.job(scope="national", lang="en").stem == "report.en"


def test_styled_uses_report_headers_and_formats():
    df = pd.DataFrame({"population_class_ja": ["２万人未満"], "it_cost_per_resident_mean_yen": [11724],
                       "it_cost_per_municipality_oku_yen": [0.6]})
    html = styled(df, "ja", caption="表", key="t").to_html()
    assert "住民一人当たり経費 団体平均（円）" in html and "11,724" in html and ">0.6<" in html
    assert styled(df, "ja", caption="表", key="t").to_html() == html  # no random ids
    assert "cost per resident, mean (yen)" in styled(df, "en", key="t").to_html()


def test_registered_columns_carry_unit_and_kind_in_their_headers():
    html = styled(pd.DataFrame({"class_id": [1], "gap_high_pct": [21.0]}), "ja", key="t").to_html()
    # without table= the columns take their meaning by name; one kind of figure: no tag (the caption says it)
    assert "未導入との差 上限（%）" in html and "［" not in html
    mixed = styled(pd.DataFrame({"municipalities": [1], "share_of_it_cost_pct": [2.0]}), "ja", key="t").to_html()
    assert "団体数［実データ］" in mixed and "総経費の割合（%）［導出値］" in mixed  # mixed kinds: tagged
    html = styled(pd.DataFrame({"class_id": [1], "gap_low_pct": [0.0], "gap_high_pct": [20.98]}), "ja", key="t",
                  table="evidence_gaps").to_html()
    assert "未導入との差 上限（%）［導出値］" in html and ">21.0<" in html
    en = styled(pd.DataFrame({"gap_high_pct": [20.98]}), "en", key="t", table="evidence_gaps").to_html()
    assert "gap below no cloud, upper (%) [derived]" in en


def test_two_columns_with_one_header_are_refused():
    with pytest.raises(ValueError, match="same header"):
        styled(pd.DataFrame({"a": [1], "b": [2]}), "en", key="t", headers={"a": "x", "b": "x"})


class Recorder:
    """A table loader that records which tables were read."""

    def __init__(self):
        self.read = []

    def __call__(self, name):
        self.read.append(name)
        return store.read_table(name)


SURVEY_TABLES = {"survey", "model_coefficients", "model_comparison", "model_status_effects", "model_counterfactual",
                 "model_fitted_curves"}


@pytest.mark.data
@pytest.mark.parametrize("scope, kw", [("national", {}), ("prefecture", {"prefecture": "長野県"}),
                                       ("group", {"group_id": 27})])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_report_opens_with_a_summary_built_from_no_simulated_table(scope, kw, lang, capsys):
    r = reports.make(scope=scope, lang=lang, **kw)
    rec = Recorder()
    r.ctx.load = rec
    found = r.summary()
    assert 3 <= len(found) <= 10
    tags = [vocab.kind_tag(k, lang) for k in ("published", "derived", "real", "inferred", "scenario")]
    assert all(any(t[1:-1] in f.text(lang) for t in tags) for f in found if f.values)
    assert not any("シミュレーション" in f.text("ja") for f in found if lang == "ja")
    assert not SURVEY_TABLES & set(rec.read), rec.read


@pytest.mark.data
def test_the_evidence_section_reads_no_simulated_table(monkeypatch):
    r = reports.make(scope="national", lang="ja")
    rec = Recorder()
    r.ctx.load = rec
    assert r.sections[0].key == "h_evidence"
    r.section(1)
    assert "evidence_gaps" in rec.read and not SURVEY_TABLES & set(rec.read), rec.read


@pytest.mark.data
def test_the_summary_does_not_move_with_the_simulation(monkeypatch):
    """Another simulated survey (a different seed) leaves every finding unchanged: none depends on it."""
    from jichitai_cloud.analysis import findings
    from jichitai_cloud.clean import published
    from jichitai_cloud import survey

    from functools import lru_cache

    read = lru_cache(maxsize=None)(store.read_table)  # each table read once, as a report's context reads it
    frame = read("municipalities")
    other = survey.simulate(frame, published.tables(), survey.GeneratorParams(seed=7), pin=None)

    def load(name):
        return other if name == "survey" else read(name)

    before = [f.text("ja") for f in findings.national(read)]
    after = [f.text("ja") for f in findings.national(load)]
    assert before == after


@pytest.mark.data
def test_summaries_of_every_prefecture_and_group_in_both_languages():
    from functools import lru_cache

    from jichitai_cloud.analysis import findings
    from jichitai_cloud.clean import municipalities

    load = lru_cache(maxsize=None)(store.read_table)
    for pref in municipalities.PREFECTURES:
        f = findings.prefecture(load, pref)
        assert pref in f[0].text("ja") and f"In {vocab.prefecture_name(pref, 'en')}, " in f[0].text("en")
    for gid in store.read_table("cloud_groups")["group_id"]:
        f = findings.group(load, int(gid))
        assert f[0].text("ja").startswith(f"グループ{int(gid)}（") and "（名称なし）" not in f[0].text("ja")


@pytest.mark.data
def test_sections_and_tables_are_numbered_in_order(capsys, monkeypatch):
    shown = []
    monkeypatch.setattr(context, "display", lambda obj, *a, **k: shown.append(getattr(obj, "data", "")))
    import jichitai_cloud.report.display as disp

    monkeypatch.setattr(disp, "display", lambda obj, *a, **k: shown.append(getattr(obj, "data", "")))
    r = reports.make(scope="national", lang="ja")
    r.show_all()
    text = "\n".join(x for x in shown if isinstance(x, str))
    sections = [int(n) for n in re.findall(r"^## (\d+)\. ", text, re.M)]
    assert sections == list(range(1, len(r.sections) + 1))
    tables = [int(n) for n in re.findall(r"表(\d+)　", text)]
    assert tables == list(range(1, len(tables) + 1)) and len(tables) >= 10
    assert re.search(r"不一致 \d+ 件は全国レポートの第(\d+)節", text).group(1) == str(
        [s.key for s in r.sections].index("h_reconciliation") + 1)


def test_no_scope_guards_each_scope_its_own_sections():
    keys = {scope: [s.key for s in cls.SECTIONS] for scope, cls in reports.REPORTS.items()}
    assert keys["national"][0] == "h_evidence" and "h_method" in keys["national"]
    assert keys["national"].index("h_method") > keys["national"].index("h_evidence")
    assert "h_pref_municipalities" in keys["prefecture"] and "h_group_members" in keys["group"]
    nb = nbformat.read(jobs.TEMPLATE, as_version=4)
    calls = [c.source.strip() for c in nb.cells if c.cell_type == "code" and c.source.startswith("report.section(")]
    assert calls == [f"report.section({k})" for k in range(1, reports.MAX_SECTIONS + 1)]


def test_html_loads_nothing_remote_and_declares_its_language():
    nb = new_notebook(cells=[new_code_cell("x = 1", outputs=[
        new_output("display_data", data={"text/markdown": "# 見出し", "text/plain": "<Markdown>"})])])
    html = render.to_html(nb, "題", lang="ja", font_url="../assets/ipaexg.ttf")
    assert '<html lang="ja">' in html
    assert not re.search(r'<script[^>]+src="https?://', html)
    assert 'url("../assets/ipaexg.ttf")' in html
    assert "x = 1" not in html  # code inputs hidden
    assert "<title>題</title>" in html


@pytest.mark.slow
def test_one_report_renders_with_its_manifest(tmp_path, capfd):
    result = render.render_one(render.job(scope="prefecture", prefecture="長野県"), reports_dir=tmp_path,
                               log=lambda *_: None)
    assert result.outcome == "ok"
    assert "without encryption" not in capfd.readouterr().err  # IPC kernel, no TCP
    folder = tmp_path / "prefecture" / "長野県"
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert 'class="jp-InputArea' not in html and "report.header()" not in html  # no code
    assert html.index("要旨") < html.index("1. 概要") < html.index("2. 市区町村")  # the summary opens the report
    first_screen = html[html.index("<body"):][:20000]
    assert "自治体クラウドと情報システム経費：長野県" in first_screen and "シミュレーション" in first_screen
    assert (tmp_path / "assets" / "ipaexg.ttf").is_file()
    import json

    manifest = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert manifest["outcome"] == "ok" and manifest["parameters"]["prefecture"] == "長野県"
    assert manifest["survey"]["input"] == "simulated"
    assert re.fullmatch(r"[0-9a-f]{40}(\+dirty)?|unknown", manifest["git_commit"])
    assert manifest["inputs_sha256"]["data/raw/source_document/mic_jichitai_cloud_promotion_fy2018.txt"] == \
        "b9d92006269d906c0d0a2e6d6f59355512755417df6512a028605ae713eb2085"
    assert manifest["started"] <= manifest["finished"]
    nb = nbformat.read(folder / "report.ipynb", as_version=4)
    assert nb.metadata.papermill.parameters["prefecture"] == "長野県"
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.execution_count]
    assert counts == list(range(1, len(counts) + 1))
    assert not list(folder.glob(".staging-*"))  # staging cleaned up
    from jichitai_cloud.io import store

    assert manifest["build_id"] == store.current_build() and manifest["published"]["finished"] == manifest["finished"]


@pytest.mark.data
def test_prefecture_report_ranks_ties_and_hides_simulated_statuses(monkeypatch):
    # in this process: what the report shows (its rendering through a kernel: the test above)
    text = _shown_text(monkeypatch, "prefecture", prefecture="鹿児島県")
    assert "42位（6都道府県が同率）" in text  # six prefectures have no joint-cloud member
    assert "クラウド未導入（シミュレーション）" not in text and "単独クラウド（シミュレーション）" not in text
    assert "予測参加確率" in text and "65歳以上の割合" in text  # real covariates beside each municipality
    assert "heteroskedasticity" not in text and "delta method" not in text


def _shown_text(monkeypatch, scope, **kw):
    """Everything a report shows as text (Markdown and tables), rendered in-process."""
    import html as html_lib

    import jichitai_cloud.report.display as disp

    shown = []

    def capture(obj, *a, **k):
        data = getattr(obj, "data", "")
        if isinstance(data, str):
            shown.append(data)
    monkeypatch.setattr(context, "display", capture)
    monkeypatch.setattr(disp, "display", capture)
    reports.make(scope=scope, lang="ja", **kw).show_all()
    text = "\n".join(shown)
    text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", text))


def _english_words(text: str, allowed: set[str]) -> list[str]:
    """English words in Japanese prose: outside code spans and file names, not acronyms (OLS, PPML, HC3),
    not names as the sources write them."""
    text = re.sub(r"`[^`]*`", " ", text)  # commands and file names in code spans
    text = re.sub(r"\]\(#[^)]*\)", "]", text)  # link targets (the table of contents)
    text = re.sub(r"[\w.-]*[/_][\w./-]*|\b\w+\.(?:ipynb|csv|parquet|html|md)\b", " ", text)  # paths, identifiers
    words = re.findall(r"[A-Za-z][A-Za-z'-]*[A-Za-z]", text)
    return sorted({w for w in words if not w.isupper() and not re.fullmatch(r"[A-Z][A-Z0-9]+", w)
                   and w not in allowed})


@pytest.mark.slow
@pytest.mark.parametrize("scope, kw", [("national", {}), ("prefecture", {"prefecture": "長野県"}),
                                       ("group", {"group_id": 27})])
def test_japanese_reports_contain_no_english(monkeypatch, scope, kw):
    from jichitai_cloud.io import sources

    allowed = {"exp", "log", "Huber", "Cook", "Poisson", "Charnes", "Cooper", "Brier", "DeLong"}  # names of methods and people
    # names as the source document writes them (a group's name, vendors)
    document = sources.raw_path(sources.SOURCE_DOCUMENT).read_text(encoding="utf-8")
    allowed |= set(re.findall(r"[A-Za-z][A-Za-z'-]*[A-Za-z]", document))
    found = _english_words(_shown_text(monkeypatch, scope, **kw), allowed)
    assert not found, f"English in the Japanese {scope} report: {found}"


def test_the_english_finder_finds_english_and_spares_code_and_acronyms():
    text = "推定はOLS（HC3）とPPMLで行い、`jichitai-cloud simulate` と data/processed/x.csv を参照。planned joins は未定。"
    assert _english_words(text, set()) == ["joins", "planned"]


def test_the_japanese_side_of_every_text_pair_has_no_english():
    """Report text, chart text and vocabulary: the Japanese member of each (ja, en) pair."""
    from jichitai_cloud.report import text

    pairs = {f"text.METHODS.{k}": v for k, v in enumerate(text.METHODS)}
    for name, value in vars(text).items():
        if isinstance(value, dict) and name.isupper() and name != "LANGUAGE_NAMES":
            pairs.update({f"text.{name}.{k}": v for k, v in value.items()})
    for name in ("STATUS", "KIND", "READING", "SCENARIO", "BASIS", "ESTIMATORS", "STATUS_SHORT"):
        pairs.update({f"vocab.{name}.{k}": v for k, v in getattr(vocab, name).items()})
    allowed = {"exp", "log", "Huber", "Cook", "Poisson", "Charnes", "Cooper", "Brier", "DeLong"}  # proper names
    bad = {k: _english_words(re.sub(r"\{[^}]*\}", " ", ja), allowed) for k, (ja, _) in pairs.items()}
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, bad


@pytest.mark.data
def test_the_command_line_validates_and_titles_a_report_without_pandas():
    """The parent of a report run validates its parameters and names it from the build's manifest and CSV
    alone: pandas, seaborn and the models are the kernel's imports, not the command line's."""
    import subprocess
    import sys

    code = ("import sys; sys.modules.setdefault('rfc3987_syntax', None)\n"
            "from jichitai_cloud import jobs, render\n"
            "from jichitai_cloud.report import params\n"
            "p = params.validate(scope='group', group_id=12)\n"
            "print(jobs.title(p)); print(sorted(m for m in ('pandas', 'seaborn', 'statsmodels', 'matplotlib', "
            "'pandera', 'lark') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["自治体クラウドグループ 12：庄内町・三川町", "[]"]


@pytest.mark.parametrize("kwargs, message", [
    ({"scope": "group"}, r"scope='group' needs a group id, one of 1\.\.70"),
    ({"scope": "prefecture"}, r"scope='prefecture' needs a prefecture, one of 北海道, 青森県"),
])
@pytest.mark.data
def test_a_missing_prefecture_or_group_is_asked_for(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        params.validate(**kwargs)

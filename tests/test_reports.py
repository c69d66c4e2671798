"""Report content and parameters (reports) ."""

import re

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from jichitai_cloud import render, reports


@pytest.mark.parametrize("kwargs, message", [
    ({"scope": "region"}, r"scope must be one of national, prefecture, group; got 'region'"),
    ({"scope": ["national"]}, "scope must be one of"),
    ({"lang": "fr"}, r"lang must be one of ja, en; got 'fr'"),
    ({"scope": "prefecture", "prefecture": "長野"}, r"prefecture must be one of 北海道, .*, 沖縄県; got '長野' \(did you mean '長野県'\?\)"),
    ({"scope": "prefecture"}, r"prefecture must be one of"),
    ({"scope": "group", "group_id": 71}, r"group_id must be one of 1..70 \(the 70 groups of the 2018-04 list\); got 71"),
    ({"scope": "group", "group_id": "5"}, r"group_id must be one of 1..70"),
    ({"scope": "group", "group_id": True}, r"group_id must be one of 1..70"),
    ({"prefecture": "長野県"}, r"prefecture is only for scope='prefecture'"),
    ({"model": "best"}, r"model must be one of main, interaction, prefecture_fe"),
    ({"population_basis": "2019-01-01"}, r"population_basis must be one of 2017-01-01, 2018-01-01"),
    ({"survey_input": "reported"}, r"data/processed was built with the simulated survey"),
    ({"fail_for_test": "yes"}, r"fail_for_test must be True or False"),
])
def test_parameters_are_validated_with_the_valid_values(kwargs, message):
    with pytest.raises(reports.ParameterError, match=message):
        reports.validate_parameters(**kwargs)


def test_valid_parameters_come_back_clean():
    p = reports.validate_parameters(scope="group", group_id=12)
    assert p == {"scope": "group", "lang": "ja", "prefecture": "", "group_id": 12, "population_basis": "2017-01-01",
                 "model": "main", "survey_input": "simulated", "fail_for_test": False}
    assert reports.title(p).startswith("自治体クラウドグループ 12：")


def test_bad_parameters_fail_before_any_kernel_starts(monkeypatch, tmp_path):
    import papermill

    def boom(*a, **k):
        raise AssertionError("papermill must not run")

    monkeypatch.setattr(papermill, "execute_notebook", boom)
    with pytest.raises(reports.ParameterError):
        render.render_one(render.job(scope="group", group_id=999), reports_dir=tmp_path)
    assert not list(tmp_path.iterdir())


def test_every_report_of_the_batch():
    jobs = render.all_jobs()
    assert len(jobs) == 118 and len({j.key for j in jobs}) == 118
    assert [j.key for j in jobs][:2] == ["national", "prefecture/北海道"] and jobs[-1].key == "group/70"
    assert render.job(scope="national", lang="en").stem == "report.en"


def test_styled_uses_report_headers_and_formats():
    df = pd.DataFrame({"population_class_ja": ["２万人未満"], "it_cost_per_resident_mean_yen": [11724],
                       "it_cost_per_municipality_oku_yen": [0.6]})
    html = reports.styled(df, "ja", caption="表", key="t").to_html()
    assert "住民一人当たり経費 団体平均（円）" in html and "11,724" in html and ">0.6<" in html
    assert reports.styled(df, "ja", caption="表", key="t").to_html() == html  # no random ids
    assert "cost per resident, mean (yen)" in reports.styled(df, "en", key="t").to_html()


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
    from jichitai_cloud import store

    assert manifest["build_id"] == store.current_build() and manifest["published"]["finished"] == manifest["finished"]


@pytest.mark.slow
def test_prefecture_report_ranks_ties_and_hides_simulated_statuses(tmp_path):
    result = render.render_one(render.job(scope="prefecture", prefecture="鹿児島県"), reports_dir=tmp_path,
                               log=lambda *_: None)
    html = (tmp_path / "prefecture" / "鹿児島県" / "report.html").read_text(encoding="utf-8")
    assert result.outcome == "ok"
    assert "42位（6都道府県が同率）" in html  # six prefectures have no joint-cloud member
    assert "クラウド未導入（シミュレーション）" not in html and "単独クラウド（シミュレーション）" not in html
    assert "この削減額はシミュレーションの仮定を映すだけである" in html
    assert "heteroskedasticity" not in html and "delta method" not in html

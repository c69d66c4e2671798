import re

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from jichitai_cloud import reports


@pytest.mark.parametrize("kwargs, message", [
    ({"scope": "prefecture"}, r"scope must be one of national; got 'prefecture'"),
    ({"scope": ["national"]}, "scope must be one of"),
    ({"lang": "fr"}, r"lang must be one of ja, en; got 'fr'"),
])
def test_parameters_are_validated_with_the_valid_values(kwargs, message):
    with pytest.raises(reports.ParameterError, match=message):
        reports.validate_parameters(**kwargs)


def test_bad_parameters_fail_before_any_kernel_starts(monkeypatch, tmp_path):
    import papermill

    def boom(*a, **k):
        raise AssertionError("papermill must not run")

    monkeypatch.setattr(papermill, "execute_notebook", boom)
    with pytest.raises(reports.ParameterError):
        reports.render(scope="moon", reports_dir=tmp_path)
    assert not list(tmp_path.iterdir())


def test_english_reports_sit_beside_japanese_ones():
    assert reports.output_stem("ja") == "report" and reports.output_stem("en") == "report.en"


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
    html = reports.to_html(nb, "題", lang="ja", font_url="../assets/ipaexg.ttf")
    assert '<html lang="ja">' in html
    assert not re.search(r'<script[^>]+src="https?://', html)
    assert 'url("../assets/ipaexg.ttf")' in html
    assert "x = 1" not in html  # code inputs hidden
    assert "<title>題</title>" in html


@pytest.mark.slow
def test_national_report_renders(tmp_path, capfd):
    html_path = reports.render("national", "ja", reports_dir=tmp_path, log=lambda *_: None)
    assert "without encryption" not in capfd.readouterr().err  # IPC kernel, no TCP
    html = html_path.read_text(encoding="utf-8")
    assert html_path == tmp_path / "national" / "report.html"
    assert (tmp_path / "national" / "report.ipynb").is_file()
    assert (tmp_path / "assets" / "ipaexg.ttf").is_file()
    assert 'class="jp-InputArea' not in html and "report.header()" not in html  # no code
    assert 'alt="人口規模区分別 住民一人当たり情報システム経費' in html
    first_screen = html[html.index("<body"):][:20000]
    assert "市区町村の情報システム経費と自治体クラウド" in first_screen
    assert "データの出所" in first_screen and "［公表値］" in first_screen and "［導出値］" in first_screen
    assert len(re.findall(r"<img[^>]+src=\"data:image/png;base64,", html)) == 4  # 3 published + the fitted curves
    assert "Traceback" not in html and "Warning" not in html
    nb = nbformat.read(tmp_path / "national" / "report.ipynb", as_version=4)
    assert nb.metadata.papermill.parameters == {"scope": "national", "lang": "ja"}
    assert not list(tmp_path.glob(".national-*"))  # staging cleaned up

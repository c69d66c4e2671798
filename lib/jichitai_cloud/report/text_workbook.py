"""The Excel export's words (:mod:`jichitai_cloud.report.workbook`): sheet names, headings, notes.

Data, not code, as (ja, en) pairs, like :mod:`jichitai_cloud.report.text` (kept beside it because that
module is at the size limit). ``{name}`` marks a value the caller fills in. No kind of figure is typed
here: the kinds come from the registry (:func:`jichitai_cloud.registry.schema.kinds_of`), their labels
(``{simulated}``, ``{real}``) from the vocabulary.
"""

from __future__ import annotations

WORKBOOK: dict[str, tuple[str, str]] = {
    # sheet names (a table's sheet is named after the table)
    "contents_sheet": ("目次", "contents"),
    "sources_sheet": ("出典とライセンス", "sources and licences"),
    # the contents sheet
    "title": ("jichitai-cloud：処理済みの表（data/processed）", "jichitai-cloud: the processed tables (data/processed)"),
    "build": ("ビルド", "build"),
    "build_value": ("{build}（data/processed/builds/{build}、sha256で検証済み）",
                    "{build} (data/processed/builds/{build}, verified against its sha256)"),
    "version": ("パッケージのバージョン", "package version"),
    "version_build": ("（ビルドはバージョン {version} が作成）", " (the build was made by version {version})"),
    "survey": ("市区町村別の調査データ", "per-municipality survey"),
    "survey_simulated": ("{simulated}（公表集計値に合わせて較正した模擬データ。実データの調査ファイルは使っていない）",
                         "{simulated} (calibrated to the published aggregates; no real survey file was used)"),
    "survey_reported": ("{real}：{file}（sha256 {sha256}）", "{real}: {file} (sha256 {sha256})"),
    "survey_sheet": ("、シート {sheet}", ", sheet {sheet}"),
    "licence": ("ライセンス", "licence"),
    "licence_value": ("コードは {code}（LICENSE）。データはそれぞれの出典の利用条件に従う（シート「{sheet}」）。",
                      "The code: {code} (LICENSE). The data keep their sources' licences (sheet '{sheet}')."),
    "left_out": ("シートにしない表", "tables not on a sheet"),
    "left_out_geometry": ("{tables}：地図の境界（ジオメトリ）のため。data/processed/ の GeoParquet ファイルにある。",
                          "{tables}: map boundaries (geometry); they are in data/processed/ as GeoParquet files."),
    "left_out_absent": ("{tables}：このビルドにない（シミュレーションの表は jichitai-cloud simulate が書く）。",
                        "{tables}: not in this build (jichitai-cloud simulate writes the simulation tables)."),
    "table": ("表", "table"),
    "sheet": ("シート", "sheet"),
    "rows": ("行数", "rows"),
    "kinds": ("値の区分", "kinds of figures"),
    "description": ("説明", "description"),
    "note": ("注意", "note"),
    "simulated_note": ("{simulated}：方法の検証にのみ用いる模擬データで、どの市区町村の事実も示さない。",
                       "{simulated}: made-up data that checks methods only; it describes no municipality."),
    # a table's sheet, above its headers
    "sheet_title": ("{table}：{description}", "{table}: {description}"),
    "sheet_kinds": ("値の区分：{kinds}。ビルド {build}。見出しの下の行は列名（コードブックの列名と同じ）。",
                    "Kinds of figures: {kinds}. Build {build}. The row under the headers names the columns (the "
                    "codebook's column)."),
    "no_kinds": ("なし（区分・設定の列のみ）", "none (keys and settings only)"),
    # the sources sheet
    "sources_title": ("出典とライセンス（data/raw/SOURCES.yml）", "Sources and licences (data/raw/SOURCES.yml)"),
    "file": ("ファイル", "file"),
    "publisher": ("公表者", "publisher"),
    "source_title": ("名称", "title"),
    "page": ("公式ページ", "official page"),
    "source_licence": ("利用条件", "licence"),
    "attribution": ("出典の表記", "attribution"),
    "sha256": ("sha256", "sha256"),
    "transcribed_title": ("{source} から転記した表（{table}）", "a table typed from {source} ({table})"),
    "code_title": ("jichitai-cloud {version}（このリポジトリのコード）", "jichitai-cloud {version} (this repository's code)"),
    "code_publisher": ("jichitai-cloud の貢献者", "the jichitai-cloud contributors"),
}

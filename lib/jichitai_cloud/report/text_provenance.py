"""Report text (data, read through :mod:`text`): the footer of every report (what made it, from which
data, and how to cite it) and the index's count of a batch. A (Japanese, English) pair per key, with
``str.format`` fields; the values that fill them are escaped by the code that fills them (:mod:`pages`).

Kept beside report/text.py (which imports these tables at its end) because text.py is at the size limit.
"""

FOOTER = {
    "heading": ("このレポートについて", "About this report"),
    "made": ("{package} {version}（コミット {commit}）で {rendered} に作成。データのビルド {build}。",
             "Made with {package} {version} (commit {commit}) on {rendered}, from data build {build}."),
    "survey_simulated": ("市区町村別の経費：シミュレーション（公表された集計値に合わせて較正した模擬データ。生成モデル第{version}版、"
                         "乱数シード {seed}）。",
                         "Per-municipality costs: simulated (calibrated to the published aggregates; generator "
                         "version {version}, seed {seed})."),
    "survey_reported": ("市区町村別の経費：実データ（ファイル {file}{sheet}、{hash} {sha}）。",
                        "Per-municipality costs: reported (file {file}{sheet}, {hash} {sha})."),
    "sheet": ("、シート {sheet}", ", sheet {sheet}"),
    "cite": ("引用：{authors}「{title}」バージョン {version}、コミット {commit}（{citation}）。",
             "Cite as: {authors}, “{title}”, version {version}, commit {commit} ({citation})."),
    "source": ("出典：{author}「{document}」（平成30年度）、{url}",
               "Source: {author} (Ministry of Internal Affairs and Communications, MIC), “{document}” (FY2018), {url}"),
    "manifest": ("すべての入力の {hash} は、このレポートと同じフォルダの {manifest} に記録した。",
                 "The {hash} of every input is recorded in {manifest}, beside this report."),
}

RUNS = {
    "counts": ("今回の実行：作成{rendered}件、前回から入力が変わらず作成しなかったもの{skipped}件、失敗{failed}件。記録：{record}。",
               "This run: {rendered} rendered, {skipped} unchanged since their last run (not rendered again), "
                   "{failed} failed; its record: {record}."),
}

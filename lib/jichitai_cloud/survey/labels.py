"""Stage 3, survey: what every number built on the survey must say — simulated, or reported and from which file.

The sentences are data (``TEXT``: a (Japanese, English) pair per key, with ``str.format`` fields); the
functions below only choose and fill them. The inputs are the ``survey_input`` table (or its row, or a
build manifest's ``survey`` entry). Text that came from a user (the file's name, how it was configured, the
sheet) is escaped for the medium it is shown in: :func:`escape.markdown` for reports and notebooks,
:func:`escape.plot_text` for charts; ``markup="text"`` leaves it to the caller (the index page escapes it
with :func:`escape.html`).
"""

from __future__ import annotations

import json

from jichitai_cloud.io import escape
from jichitai_cloud.registry import vocab

TEXT = {
    "short_reported_binary": ("［実データ、導入状況はグループ一覧から導出］", "[reported; joint status from the group list]"),
    "simulated": (
        "{b}市区町村別の経費：シミュレーション。{b} 実データは公表されていないため、公表された集計値を再現するよう"
        "較正した模擬データを用いる。模擬データによる数値は生成モデルの仮定を表すもので、市区町村についての所見ではない。",
        "{b}Per-municipality costs: SIMULATED.{b} No real per-municipality file is configured, so the survey is "
        "a simulation calibrated to reproduce the published aggregates. Numbers computed from it describe the "
        "generator's assumptions, not municipalities."),
    "reported": ("{b}市区町村別の経費：実データ{b}（ファイル {file}{where}、sha256 {sha}…、{by} で指定）。",
                 "{b}Per-municipality costs: REPORTED{b} (file {file}{where}, sha256 {sha}…, configured by {by})."),
    "where_sheet": ("、シート {sheet}", ", sheet {sheet}"),
    "binary": (
        "{b}ただしクラウド導入状況はファイルになく、自治体クラウドか否かをグループ一覧（平成29年度より前に開始した"
        "グループ）から導出した。単独クラウドと未導入は区別できないため、分析は自治体クラウドとそれ以外の比較に限る。{b}",
        " {b}The file has no cloud status: joint or not is derived from the group list (groups started before "
        "FY2017); single and no cloud cannot be told apart, so the analysis compares joint cloud with all "
        "others.{b}"),
    "caption_simulated": (
        "{tag}総務省「自治体クラウドの導入促進の取組」の公表集計値に合わせて較正した模擬データ。"
        "人口：住民基本台帳（平成29年1月1日）、自治体クラウドの別：同資料のグループ一覧（平成30年4月）。",
        "{tag} Data simulated to match the aggregates published by MIC; population: the Basic Resident "
        "Register (2017-01-01); joint cloud: the document's group list (2018-04)."),
    "caption_reported": ("{tag}{file}（sha256 {sha}…）。人口：ファイルの値（住民基本台帳 平成29年1月1日）。",
                         "{tag} {file} (sha256 {sha}…); population as in the file (Basic Resident Register, "
                         "2017-01-01)."),
    "caution_short": ("⚠ シミュレーション：生成モデルの仮定を表し、市区町村についての所見ではない。",
                      "⚠ Simulated survey: these numbers describe the generator's assumptions, not municipalities."),
    "caution": (
        "**注意：市区町村別の経費はシミュレーション。** 以下の推定値は生成モデルの仮定（自治体クラウド {effect:+.0%} "
        "など）を再現するだけで、市区町村についての所見ではないため、信頼区間とp値は示さない。推定方法の偏りと"
        "信頼区間の被覆率は `notebooks/05_simulation.ipynb`（`jichitai-cloud simulate`）で調べる。",
        "**Caution: the per-municipality costs are SIMULATED.** The estimates below recover the generator's "
        "assumptions (such as joint cloud {effect:+.0%}); they describe the simulation, not municipalities, so "
        "no interval or p-value is shown. The estimators' bias and coverage are checked in "
        "`notebooks/05_simulation.ipynb` (`jichitai-cloud simulate`)."),
}


def _t(key: str, lang: str, **fields) -> str:
    return vocab.pick(TEXT[key], lang).format(**fields)


def _first_row(info):
    """The survey_input table's row (``info`` may be the table, its row, or a dict such as a manifest's)."""
    return info.iloc[0] if hasattr(info, "columns") else info


def _binary(row) -> bool:
    """A real file without a status column: joint or not, derived from the group list."""
    return str(row["status_source"]).endswith("joint or not")


def survey_label(info, lang: str = "ja", short: bool = False, markup: str = "markdown") -> str:
    """What every survey-based number must say: simulated or reported (and from which file).

    ``short`` for figure titles. ``markup``: "markdown" (the file name and how it was configured escaped
    by :func:`escape.markdown`, as every report and notebook shows it) or "text" (plain, as given: the
    caller escapes it for its own medium).
    """
    if markup not in ("markdown", "text"):
        raise ValueError(f"markup must be 'markdown' or 'text'; got {markup!r}")
    row = _first_row(info)
    simulated = row["input"] == "simulated"
    if short:
        if simulated or not _binary(row):  # the kind's own tag
            return vocab.kind_tag("simulated" if simulated else "reported", lang)
        return _t("short_reported_binary", lang)
    b = "**" if markup == "markdown" else ""
    if simulated:
        return _t("simulated", lang, b=b)
    user = escape.markdown if markup == "markdown" else str  # text from the user
    sheet = str(row.get("sheet", "") or "")
    where = _t("where_sheet", lang, sheet=user(sheet)) if sheet else ""
    text = _t("reported", lang, b=b, file=user(row["file"]), where=where, sha=user(str(row["sha256"])[:12]),
              by=user(row["configured_by"]))
    return text + (_t("binary", lang, b=b) if _binary(row) else "")


def survey_caption(info, lang: str = "ja") -> str:
    """A figure caption for survey-based charts: what the points are and where they come from (drawn by
    matplotlib: the file name goes through :func:`escape.plot_text`)."""
    row = _first_row(info)
    if row["input"] == "simulated":
        return _t("caption_simulated", lang, tag=vocab.kind_tag("simulated", lang))
    return _t("caption_reported", lang, tag=survey_label(info, lang, short=True),
              file=escape.plot_text(row["file"]), sha=escape.plot_text(str(row["sha256"])[:12]))


def survey_caution(info, lang: str = "en", short: bool = False) -> str:
    """The honesty line above every table or chart built on the survey (``short`` after the first)."""
    row = _first_row(info)
    if row["input"] == "simulated" and short:
        return _t("caution_short", lang)
    if short or row["input"] != "simulated":
        return survey_label(info, lang)
    return _t("caution", lang, effect=json.loads(row["generator_params"])["joint_effect"])

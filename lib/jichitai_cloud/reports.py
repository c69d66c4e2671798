"""Stage 6, reports: what a report shows.

``notebooks/report.ipynb`` is the single template for every report. It sets parameters and
calls a :class:`Report`, whose section methods display headings, tables and charts (a
section that does not belong to the report's scope shows nothing); all the logic lives
here. Scopes: ``national``, ``prefecture`` (with ``prefecture``) and ``group`` (with
``group_id``). :func:`validate_parameters` checks untrusted parameters, e.g. from a
scheduler, before any kernel starts; rendering is in :mod:`jichitai_cloud.render`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
from IPython.display import HTML, Markdown, display
from pandas.io.formats.style import Styler

from . import checks, municipalities, paths, plots, published, store, survey

KERNEL_NAME = "jichitai-cloud"
TEMPLATE = paths.NOTEBOOKS_DIR / "report.ipynb"
SCOPES = ("national", "prefecture", "group")
LANGS = ("ja", "en")
SURVEY_INPUTS = ("simulated", "reported")
PARAMETERS = ("scope", "lang", "prefecture", "group_id", "population_basis", "model", "survey_input",
              "fail_for_test")


from .errors import JichitaiError  # noqa: E402


class ParameterError(JichitaiError, ValueError):
    """A report parameter is not one of the valid values (raised before any kernel starts)."""


def _model_names() -> tuple[str, ...]:
    from .models import STANDARD_SPECS

    return tuple(STANDARD_SPECS)


def validate_parameters(scope: object = "national", lang: object = "ja", prefecture: object = "",
                        group_id: object = 0, population_basis: object = "2017-01-01", model: object = "main",
                        survey_input: object = None, fail_for_test: object = False) -> dict:
    """Check report parameters (untrusted when they come from a scheduler); return them clean.

    Every message lists the valid values. ``group_id`` must be a group of the built
    data; ``survey_input`` (default: whatever the build used) must match the build, since
    a report shows data/processed as built.
    """
    def one_of(name, value, valid):
        if not isinstance(value, str) or value not in valid:
            import difflib

            close = difflib.get_close_matches(str(value), list(valid), n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ParameterError(f"{name} must be one of {', '.join(valid)}; got {value!r}{hint}")
        return value

    one_of("scope", scope, SCOPES)
    one_of("lang", lang, LANGS)
    one_of("population_basis", population_basis, tuple(municipalities.POPULATION_BASES))
    one_of("model", model, _model_names())
    if not isinstance(fail_for_test, bool):
        raise ParameterError(f"fail_for_test must be True or False; got {fail_for_test!r}")
    built = store.read_table("survey_input")["input"].iloc[0]
    if survey_input is None:
        survey_input = built
    one_of("survey_input", survey_input, SURVEY_INPUTS)
    if survey_input != built:
        raise ParameterError(f"survey_input={survey_input!r} but data/processed was built with the {built} survey; "
                             f"run `jichitai-cloud build` with the survey you want (--survey FILE for a real file)")
    if scope == "prefecture":
        one_of("prefecture", prefecture, municipalities.PREFECTURES)
    elif prefecture not in ("", None):
        raise ParameterError(f"prefecture is only for scope='prefecture'; got {prefecture!r} with scope={scope!r}")
    if scope == "group":
        valid_ids = [int(g) for g in store.read_table("cloud_groups")["group_id"]]
        if isinstance(group_id, bool) or not isinstance(group_id, int) or group_id not in valid_ids:
            raise ParameterError(f"group_id must be one of {min(valid_ids)}..{max(valid_ids)} (the "
                                 f"{len(valid_ids)} groups of the 2018-04 list); got {group_id!r}")
    elif group_id not in (0, None):
        raise ParameterError(f"group_id is only for scope='group'; got {group_id!r} with scope={scope!r}")
    return {"scope": scope, "lang": lang, "prefecture": prefecture or "", "group_id": int(group_id or 0),
            "population_basis": population_basis, "model": model, "survey_input": survey_input,
            "fail_for_test": fail_for_test}


def title(params: dict) -> str:
    """The report's title for its scope and language."""
    t = _T[params["lang"]]
    if params["scope"] == "prefecture":
        return t["title_prefecture"].format(prefecture=params["prefecture"])
    if params["scope"] == "group":
        g = store.read_table("cloud_groups").set_index("group_id").loc[params["group_id"]]
        name = g["name"] if isinstance(g["name"], str) else t["unnamed"]
        return t["title_group"].format(group_id=params["group_id"], name=name)
    return t["title"]


# --- tables for reading -------------------------------------------------------------------

# column -> (Japanese header, English header, format string or function)
COLUMNS: dict[str, tuple[str, str, object]] = {
    "population_class_ja": ("人口規模区分", "population class", "{}"),
    "population_class_en": ("人口規模区分", "population class", "{}"),
    "it_cost_total_oku_yen": ("総経費（億円）", "total cost (100M yen)", "{:,.0f}"),
    "it_cost_per_resident_mean_yen": ("住民一人当たり経費 団体平均（円）", "cost per resident, mean (yen)", "{:,.0f}"),
    "it_cost_per_municipality_oku_yen": ("一団体当たり経費（億円）", "cost per municipality (100M yen)", "{:,.1f}"),
    "municipalities": ("団体数", "municipalities", "{:,.0f}"),
    "population_thousand_persons": ("総人口（千人）", "population (thousands)", "{:,.0f}"),
    "it_cost_per_resident_aggregate_yen": ("区分総経費÷区分人口（円）［導出値］",
                                           "class total ÷ population (yen) [derived]", "{:,.0f}"),
    "share_of_municipalities_pct": ("団体数の割合（%）［導出値］", "share of municipalities (%) [derived]", "{:.1f}"),
    "share_of_it_cost_pct": ("総経費の割合（%）［導出値］", "share of cost (%) [derived]", "{:.1f}"),
    "joint": ("自治体クラウド", "joint cloud", "{:,.0f}"),
    "single": ("単独クラウド", "single cloud", "{:,.0f}"),
    "none": ("クラウド未導入", "no cloud", "{:,.0f}"),
    "total": ("計", "total", "{:,.0f}"),
    "item_label": ("項目", "item", "{}"),
    "value_as_written": ("公表値（資料の表記）", "published (as written)", "{}"),
    "as_of": ("時点", "as of", "{}"),
    "kind_label": ("区分", "kind", "{}"),
    "cloud_municipalities": ("クラウド導入団体数", "cloud municipalities", "{:,.0f}"),
    "joint_cloud_municipalities": ("うち自治体クラウド", "of which joint cloud", "{:,.0f}"),
    "single_cloud_municipalities": ("うち単独クラウド", "of which single cloud", "{}"),
    "joint_cloud_groups": ("自治体クラウドのグループ数", "joint-cloud groups", "{:,.0f}"),
    "description": ("照合内容", "check", "{}"),
    "description_ja": ("照合内容", "check", "{}"),
    "explanation": ("理由", "explanation", "{}"),
    "explanation_ja": ("理由", "explanation", "{}"),
    "topic": ("照合の対象", "topic", "{}"),
    "class_id": ("区分", "class", "{}"),
    "term": ("項", "term", "{}"),
    "estimate": ("推定値", "estimate", "{:.4f}"),
    "std_error": ("標準誤差", "std. error", "{:.4f}"),
    "ci_low": ("95%信頼区間 下限", "95% CI low", "{:.4f}"),
    "ci_high": ("95%信頼区間 上限", "95% CI high", "{:.4f}"),
    "p_value": ("p値", "p", lambda v: "—" if pd.isna(v) else ("<0.001" if v < 0.001 else f"{v:.3f}")),
    "n": ("n", "n", "{:,.0f}"),
    "covariance": ("共分散", "covariance", "{}"),
    "specification": ("モデル", "specification", "{}"),
    "model": ("モデル", "model", "{}"),
    "parameters": ("パラメータ数", "parameters", "{:,.0f}"),
    "r_squared": ("R²", "R²", "{:.3f}"),
    "adj_r_squared": ("調整済みR²", "adj. R²", "{:.3f}"),
    "aic": ("AIC", "AIC", "{:,.1f}"),
    "bic": ("BIC", "BIC", "{:,.1f}"),
    "joint_estimate": ("自治体クラウドの係数", "joint-cloud estimate", "{:.4f}"),
    "joint_std_error": ("同 標準誤差", "its std. error", "{:.4f}"),
    "cloud_status": ("クラウド導入状況", "cloud status", "{}"),
    "population_persons": ("人口", "population", lambda v: "すべて / all" if pd.isna(v) else f"{v:,.0f}"),
    "effect_pct": ("差（%）", "difference (%)", "{:+.1f}"),
    "ci_low_pct": ("95%信頼区間 下限（%）", "95% CI low (%)", "{:+.1f}"),
    "ci_high_pct": ("95%信頼区間 上限（%）", "95% CI high (%)", "{:+.1f}"),
    "area": ("地域", "area", "{}"),
    "none_municipalities": ("未導入団体数", "no-cloud municipalities", "{:,.0f}"),
    "none_cost_oku_yen": ("未導入団体の経費（億円）", "their cost (億円)", "{:,.1f}"),
    "saving_oku_yen": ("削減額（億円／年）", "saving (億円 a year)", "{:,.1f}"),
    "ci_low_oku_yen": ("95%信頼区間 下限（億円）", "95% CI low (億円)", "{:,.1f}"),
    "ci_high_oku_yen": ("95%信頼区間 上限（億円）", "95% CI high (億円)", "{:,.1f}"),
    "method": ("区間の計算", "interval", "{}"),
    "prefecture": ("都道府県", "prefecture", "{}"),
    "name": ("団体名", "name", "{}"),
    "population_2017_01_01_persons": ("人口（平成29年1月1日）", "population 2017-01-01", "{:,.0f}"),
    "cost_per_resident_yen": ("住民一人当たり経費（円）", "cost per resident (円)", "{:,.0f}"),
    "residual": ("残差（対数）", "residual (log)", "{:+.3f}"),
    "cooks_distance": ("Cookの距離", "Cook's distance", "{:.4f}"),
    "value": ("値", "value", "{}"),
    "source": ("出所", "source", "{}"),
    "code": ("団体コード", "code", "{}"),
    "kind": ("区分", "kind", "{}"),
    "population_basis_persons": ("人口", "population", "{:,.0f}"),
    "joint_cloud_group": ("自治体クラウドグループ", "joint-cloud group", "{}"),
    "joint_cloud_start_fy": ("開始年度", "start FY", lambda v: "" if pd.isna(v) else f"{int(v)}"),
    "survey_status": ("調査上の導入状況（出所）", "survey status (source)", "{}"),
    "group_id": ("番号", "id", "{}"),
    "prefectures": ("都道府県", "prefectures", "{}"),
    "start_year_as_written": ("導入年度（資料）", "start (as written)", "{}"),
    "start_fy": ("導入年度", "start FY", "{}"),
    "stated_members": ("団体数（資料）", "members (stated)", "{:,.0f}"),
    "matched_members": ("照合した団体数", "members matched", "{:,.0f}"),
    "stated_population_2018_01_01_persons": ("グループ総人口（資料）", "population (stated)", "{:,.0f}"),
    "members_population_2018_01_01_persons": ("構成団体の人口の和", "members' population", "{:,.0f}"),
    "name_as_written": ("資料の表記", "as written", "{}"),
    "population_2018_01_01_persons": ("人口（平成30年1月1日）", "population 2018-01-01", "{:,.0f}"),
    "comparables": ("比較対象の団体数", "comparables", "{:,.0f}"),
    "comparables_median_yen": ("比較対象の中央値（円）", "comparables' median (円)", "{:,.0f}"),
    "ratio_to_comparables": ("比", "ratio", "{:.2f}"),
    "what_as_written": ("記載（資料の表記）", "as written", "{}"),
    "reduction_pct": ("削減率（%）", "reduction (%)", "{:g}"),
    "fiscal_year": ("年度", "fiscal year", "{}"),
    "planned_joins_in_year": ("加入予定（年度内）", "planned joins in the year", "{:,.0f}"),
    "joint_cloud_projected": ("自治体クラウド（見込み）", "joint cloud (projected)", "{:,.0f}"),
    "cloud_projected_low": ("クラウド導入（見込み下限）", "cloud (projected, low)", "{:,.0f}"),
    "cloud_projected_high": ("クラウド導入（見込み上限）", "cloud (projected, high)", "{:,.0f}"),
    "joint_cloud_target": ("自治体クラウドの目標（約）", "joint-cloud target (approx.)", lambda v: "" if pd.isna(v) else f"{v:,.0f}"),
    "cloud_target": ("クラウド導入の目標（約）", "cloud target (approx.)", lambda v: "" if pd.isna(v) else f"{v:,.0f}"),
    "joint_cloud_in_list": ("一覧の自治体クラウド団体数", "joint cloud (group list)", "{:,.0f}"),
    "joint_cloud_published": ("調査の自治体クラウド団体数［公表値］", "joint cloud (survey, published)", "{:,.0f}"),
    "checks": ("件数", "checks", "{:,.0f}"),
    "ok": ("一致", "ok", "{:,.0f}"),
    "mismatch": ("不一致", "mismatch", "{:,.0f}"),
    "unexplained": ("うち理由未記載", "of which unexplained", "{:,.0f}"),
    "stated": ("資料の値", "stated", checks.fmt),
    "computed": ("計算値", "computed", checks.fmt),
    "difference": ("差（計算値−資料の値）", "difference (computed − stated)", checks.fmt),
    "status": ("結果", "result", "{}"),
}


# Cell values the library writes in English, for Japanese tables.
_CELLS_JA = {
    "HC3 (heteroskedasticity-robust)": "HC3（不均一分散に頑健）",
    "clustered by prefecture": "都道府県でクラスター化",
    "clustered by 自治体クラウド group (non-members alone)": "自治体クラウドのグループでクラスター化（非参加団体は単独）",
    "Huber H1 (robust sandwich)": "Huber H1（頑健なサンドイッチ推定）",
    "nonrobust (WLS, weights = municipalities; 6 published rows)": "通常の標準誤差（WLS、重み＝団体数、公表された6行）",
    "delta method": "デルタ法",
    "joint": "自治体クラウド", "single": "単独クラウド", "none": "クラウド未導入",
}


class Table(Styler):
    """A Styler whose text form names its shape (pandas' default shows a memory address,
    which changes on every run and would churn committed notebooks)."""

    def __repr__(self) -> str:
        rows, cols = self.data.shape
        return f"<table: {rows} rows × {cols} columns>"


def styled(df: pd.DataFrame, lang: str = "ja", caption: str | None = None, key: str | None = None,
           right: list[str] | None = None) -> Styler:
    """A frame for reading: headers in the report language, thousands separators, no index.

    Columns not in ``COLUMNS`` keep their name and default format. ``key`` fixes the
    HTML ids (by default derived from the columns and caption) so that re-running a
    notebook gives identical output. Text columns are left-aligned, numbers and the
    columns named in ``right`` right-aligned.
    """
    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    if lang == "ja":
        df = df.assign(**{c: df[c].map(lambda v: _CELLS_JA.get(v, v)) for c in ("covariance", "method", "cloud_status")
                          if c in df.columns})
    headers = {c: (COLUMNS[c][0] if lang == "ja" else COLUMNS[c][1]) for c in df.columns if c in COLUMNS}
    formats = {headers.get(c, c): COLUMNS[c][2] for c in df.columns if c in COLUMNS}
    shown = df.rename(columns=headers)
    uid = key or hashlib.sha1("|".join(map(str, shown.columns)).encode() + (caption or "").encode()).hexdigest()[:10]
    st = Table(shown, uuid=uid, cell_ids=False, na_rep="—").format(formats, na_rep="—").hide(axis="index")
    # Per-cell alignment (a table-wide td rule would outrank it): text left, numbers right.
    force_right = {headers.get(c, c) for c in (right or [])}
    text_cols = [c for c in shown.columns
                 if not pd.api.types.is_numeric_dtype(shown[c]) and c not in force_right]
    num_cols = [c for c in shown.columns if c not in text_cols]
    if text_cols:
        st = st.set_properties(subset=text_cols, **{"text-align": "left"})
    if num_cols:
        st = st.set_properties(subset=num_cols, **{"text-align": "right"})
    if caption:
        st = st.set_caption(caption)
    return st.set_table_styles([
        {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold;"},
        {"selector": "th", "props": "text-align: center;"},
    ], overwrite=False)


def show(st: Styler) -> None:
    """Display a styled table as HTML (its text form would carry a memory address)."""
    display(HTML(st.to_html()))


def show_labelled(obj, caution: str) -> None:
    """A table (Styler) or chart with the survey caution directly above it (simulated or reported)."""
    display(Markdown(caution))
    if isinstance(obj, Styler):
        show(obj)
    else:
        show_figure(obj)


def show_figure(fig) -> None:
    """Display a chart with its title as alternative text (used by the HTML rendering)."""
    alt = " ".join(t for t in [fig._suptitle.get_text() if fig._suptitle else ""]
                   + [ax.get_title() for ax in fig.axes] if t)
    display(fig, metadata={"image/png": {"alt": alt}})


# --- the report -----------------------------------------------------------------------------

_T = {
    "ja": {
        "title": "市区町村の情報システム経費と自治体クラウド：全国レポート",
        "provenance": (
            "**データの出所**　{citation}。同資料の「クラウド導入市区町村数の推移」と"
            "「クラウド導入市区町村に関する新たな目標の設定」を含む。"
            "利用条件：政府標準利用規約（第2.0版）、CC BY 4.0 互換。\n\n"
            "**値の区分**\n\n"
            "- ［公表値］総務省が公表した数値。PDF から抽出したテキストから転記し、資料中の合計と照合した。\n"
            "- ［導出値］公表値から本リポジトリが計算した値（例：区分総経費÷区分人口）。\n"
            "- ［実データ］住民基本台帳人口などの公的統計（市区町村別）。\n"
            "- 公表値・実データ相互の照合 {n_checks} 件中 {n_ok} 件一致{mismatch_note}。"
        ),
        "mismatch_note": "。不一致 {n_bad} 件は全国レポートの第7節に理由とともに示す",
        "title_prefecture": "自治体クラウドと情報システム経費：{prefecture}",
        "title_group": "自治体クラウドグループ {group_id}：{name}",
        "unnamed": "（名称なし）",
        "uses_national": "第1～4節の経費は公表された集計値で、市区町村別の経費は回帰分析（第6節）と照合（第7節）に用いる。",
        "uses_prefecture": "市区町村別の経費を用いる表と図（住民一人当たり経費、削減額）には［シミュレーション］等の別を付す。"
                           "団体数・人口は実データ、自治体クラウドのグループは公表値（グループ一覧）、参加割合は導出値。",
        "uses_group": "構成団体と人口は実データ。住民一人当たり経費の比較（第3節）は市区町村別の経費を用いる。",
        "reported": "実データ", "published": "公表値", "derived": "導出値", "simulated": "シミュレーション", "real": "実データ",
        "start_fmt": "{written}（{fy}年度）", "fe_hidden": "（都道府県の固定効果{n}項は省略）",
        "groups_h": "## {n}. 自治体クラウドグループ［公表値］",
        "groups_note": "総務省調べ（平成30年4月現在、稼働済団体のみ）。グループ総人口は平成30年1月1日の住民基本台帳人口。"
                       "構成団体の人口は本リポジトリが団体コードに照合して計算した［実データ］。",
        "groups_caption": "自治体クラウドグループ一覧",
        "no_groups": "この都道府県の市区町村を含むグループはない。",
        "pref_overview_h": "## 1. 概要",
        "pref_overview_caption": "概要",
        "ov_municipalities": "市区町村数", "ov_population": "人口（{basis}）",
        "ov_joint": "自治体クラウドに参加する市区町村（平成30年4月）",
        "ov_rank": "参加割合の順位（47都道府県中）", "rank_fmt": "{rank}位", "rank_tied": "（{n}都道府県が同率）",
        "ov_cost": "住民一人当たり経費の団体平均（円）",
        "pref_mun_h": "## 2. 市区町村",
        "pref_mun_note": "人口は住民基本台帳（{basis}）。グループと開始年度はグループ一覧（平成30年4月）。"
                         "調査上の導入状況（平成29年度）と経費は市区町村別の調査データによる（括弧内はその値の出所）。"
                         "単独クラウドと未導入の別がシミュレーションでしか割り当てられていない団体は「—」とした。",
        "pref_mun_caption": "市区町村別の状況",
        "pref_position_h": "## 4. 全国の中での位置",
        "pref_saving_h": "## 5. 未導入団体が自治体クラウドの効果を得た場合の削減額",
        "pref_saving_note": "モデル：{model}。未導入団体の経費×（1−exp(自治体クラウドの係数)）の和。95%信頼区間はデルタ法。",
        "pref_saving_caption": "年間削減額（億円）",
        "by_construction": "**この削減額はシミュレーションの仮定を映すだけである。** 模擬データは自治体クラウドの効果を同じ人口で"
                           "{effect}と仮定して生成しており、推定はその仮定を取り戻し、削減額はそれを未導入団体の模擬経費に"
                           "当てはめた値になる。市区町村についての所見ではない。",
        "case_note": "**資料の導入事例：** このグループは資料の導入事例（{case}）に取り上げられている［公表値］。",
        "case_caption": "導入事例に記載の削減効果［公表値］",
        "group_overview_h": "## 1. 概要",
        "group_overview_caption": "グループの概要",
        "g_name": "名称", "g_prefectures": "都道府県", "g_start": "導入年度", "g_members": "団体数（資料）",
        "g_matched": "団体コードに照合できた構成団体", "g_stated_pop": "グループ総人口（資料、平成30年1月1日）",
        "g_members_pop": "構成団体の人口の和（住民基本台帳、平成30年1月1日）",
        "g_mismatch": "資料のグループ総人口と構成団体の人口が一致しない。", "g_unexplained": "理由は未確認。",
        "group_members_h": "## 2. 構成団体",
        "group_members_caption": "構成団体（資料の表記と照合先）",
        "group_compare_h": "## 3. 同規模の非参加団体との比較",
        "group_compare_note": "各構成団体の住民一人当たり経費を、人口が2倍以内（半分から2倍）で自治体クラウドに参加していない"
                              "団体の中央値と比べた。比が1未満なら同規模の非参加団体より低い。",
        "group_compare_caption": "構成団体と同規模の非参加団体",
        "totals_h": "## 1. 調査結果の全国値［公表値］",
        "totals_caption": "表1　調査結果の全国値［公表値］",
        "totals_note": "平成29年度当初予算。基幹系システム（住民情報・税務・国保・年金・福祉）及び内部管理系システム"
                       "（人事給与・財務会計・文書管理）の整備経費及び運用経費。調査対象：全市区町村。",
        "class_h": "## 2. 人口規模区分別の経費",
        "class_caption": "表2　人口規模区分別の情報システム経費［公表値］",
        "class_derived_caption": "表3　人口規模区分別の割合と区分全体の一人当たり経費［導出値］",
        "class_note": "「住民一人当たり経費 団体平均」は区分内の市区町村の一人当たり経費の単純平均［公表値］。"
                      "区分総経費÷区分人口［導出値］は区分全体の一人当たり経費で、小規模団体の高い値が平均を"
                      "押し上げる分だけ団体平均より低くなる（２万人未満で特に大きい）。",
        "status_h": "## 3. クラウド導入状況別の団体数［公表値］",
        "status_caption": "表4　人口規模区分別・クラウド導入状況別の団体数［公表値］",
        "status_note": "自治体クラウド：基幹系システム等のクラウド化を実施し、かつ複数団体で共同利用しているもの。"
                       "単独クラウド：クラウド化しているが共同利用は行っていないもの（資料の定義）。",
        "adoption_h": "## 4. クラウド導入市区町村数の推移と目標［公表値］",
        "adoption_caption": "表5　クラウド導入市区町村数（各年4月1日等）と目標［公表値、* は導出値］",
        "adoption_note": "単独クラウドの団体数は、資料に記載のない時点ではクラウド導入団体数−自治体クラウド団体数として"
                         "計算した［導出値］（表中 * 印）。目標は「約」付きの概数。",
        "tracker_note": "**見込み［導出値］**：平成30年4月1日の状態（クラウド導入1,067団体、うち自治体クラウド407団体）に、"
                        "同資料の加入予定（平成30～35年度、目標年度が36年度以降・未定の団体を除く）を目標年度ごとに加えた。"
                        "加入予定の団体が現在単独クラウドか未導入かは分からないため、クラウド導入団体数は幅で示す"
                        "（下限：全団体が単独クラウドから移行、上限：全団体が未導入から導入）。",
        "tracker_caption": "表5b　クラウド導入の見込み（各年度末）と2023年度末の目標",
        "rec_h": "## 7. 公表値・実データの照合",
        "rec_note": "資料が示す合計・比率と各行の和、調査の団体数・人口と住民基本台帳、グループ一覧と構成団体を照合した。"
                    "不一致は修正せずに報告する。全件は data/processed/reconciliation にある。",
        "rec_caption": "表6　照合の対象別の件数",
        "rec_bad_caption": "表7　不一致とその理由",
        "actual": "実績", "target": "目標", "ok": "一致", "mismatch": "不一致",
        "reg_h": "## 6. 回帰分析：人口をそろえた導入状況別の比較",
        "reg_note": "住民一人当たり経費（対数）を人口（対数）とその2乗、クラウド導入状況（基準：未導入）に回帰した（主モデル）。"
                    "標準誤差は HC3。区分別モデルは公表された6区分の値のみを用い、人口との関係だけを表す。",
        "reg_coef_caption": "表8　{model}の係数",
        "reg_class_caption": "表9　区分別モデル（公表値のみ）の係数",
        "reg_effect_caption": "表10　同じ人口での未導入との差（%）",
        "reg_saving_caption": "表11　未導入団体がすべて自治体クラウドの効果を得た場合の年間削減額（全国）",
        "reg_compare_caption": "表12　モデルの比較",
        "terms": {"Intercept": "切片", "joint cloud": "自治体クラウド", "single cloud": "単独クラウド",
                  "log_pop_c": "log人口（中心化）", "log_pop_c²": "log人口（中心化）の2乗"},
        "models": {"main": "主モデル", "interaction": "交互作用", "prefecture_fe": "都道府県固定効果",
                   "kind": "団体区分", "fiscal": "財政指標", "huber": "Huber回帰",
                   "main_cluster_prefecture": "主モデル（都道府県クラスター）",
                   "main_cluster_group": "主モデル（グループクラスター）", "class_level": "区分別モデル（公表値）"},
    },
    "en": {
        "title": "Municipal IT-system costs and joint cloud (自治体クラウド): national report",
        "provenance": (
            "**Data source**: {citation}; also its slides on cloud adoption counts and targets. "
            "Licence: 政府標準利用規約 (2.0), compatible with CC BY 4.0.\n\n"
            "**Kinds of figures**\n\n"
            "- [published] figures published by MIC, typed from the PDF-extracted text and checked "
            "against the totals the document states.\n"
            "- [derived] figures this repository computes from published ones (e.g. class total ÷ class "
            "population).\n"
            "- [real] official per-municipality statistics such as the 住民基本台帳 population.\n"
            "- {n_ok} of {n_checks} checks of published and real figures against each other agree"
            "{mismatch_note}."
        ),
        "mismatch_note": "; section 7 of the national report explains each of the {n_bad} mismatches",
        "title_prefecture": "Joint cloud and IT-system costs: {prefecture}",
        "title_group": "Joint-cloud group {group_id}: {name}",
        "unnamed": "(no name)",
        "uses_national": "Costs in sections 1-4 are published aggregates; per-municipality costs are used in the "
                         "regression (section 6) and the reconciliation (section 7).",
        "uses_prefecture": "Tables and charts that use per-municipality costs (cost per resident, saving) carry their "
                           "label; counts and populations are real data, the joint-cloud groups published (the group "
                           "list), the shares derived.",
        "uses_group": "Members and populations are real data; the cost comparison (section 3) uses per-municipality costs.",
        "reported": "reported", "published": "published", "derived": "derived", "simulated": "simulated", "real": "real",
        "start_fmt": "{written} (FY{fy})", "fe_hidden": " ({n} prefecture effects not shown)",
        "groups_h": "## {n}. Joint-cloud groups [published]",
        "groups_note": "MIC survey (2018-04, operating members only); group population as of 2018-01-01. Members' "
                       "population is computed here from the 住民基本台帳 after matching codes [real].",
        "groups_caption": "Joint-cloud groups",
        "no_groups": "No group has members in this prefecture.",
        "pref_overview_h": "## 1. Overview",
        "pref_overview_caption": "Overview",
        "ov_municipalities": "municipalities", "ov_population": "population ({basis})",
        "ov_joint": "municipalities in a joint cloud (2018-04)",
        "ov_rank": "rank by that share (of 47)", "rank_fmt": "{rank}", "rank_tied": " ({n} prefectures tied)",
        "ov_cost": "mean cost per resident (yen)",
        "pref_mun_h": "## 2. Municipalities",
        "pref_mun_note": "Population: 住民基本台帳 ({basis}). Group and start year: the group list (2018-04). The survey's "
                         "status (FY2017) and cost come from the per-municipality survey data (where each value comes "
                         "from in brackets); where the single/none split exists only in the simulation, it shows —.",
        "pref_mun_caption": "Municipalities",
        "pref_position_h": "## 4. Among prefectures",
        "pref_saving_h": "## 5. Saving if the no-cloud municipalities had the joint-cloud effect",
        "pref_saving_note": "Model: {model}. Sum over no-cloud municipalities of cost × (1 − exp(joint coefficient)); "
                            "95% interval by the delta method.",
        "pref_saving_caption": "Annual saving (億円)",
        "by_construction": "**This saving only mirrors the simulation's assumption.** The simulated data are generated "
                           "with a joint-cloud effect of {effect} at equal population; the estimate recovers it and the "
                           "saving applies it to the no-cloud municipalities' simulated costs. It is not a finding about "
                           "municipalities.",
        "case_note": "**A case study of the document:** this group is case {case} of the document's case studies "
                     "[published].",
        "case_caption": "Savings stated in the case study [published]",
        "group_overview_h": "## 1. Overview",
        "group_overview_caption": "The group",
        "g_name": "name", "g_prefectures": "prefectures", "g_start": "start year", "g_members": "members (stated)",
        "g_matched": "members matched to a code", "g_stated_pop": "group population (stated, 2018-01-01)",
        "g_members_pop": "members' population (住民基本台帳, 2018-01-01)",
        "g_mismatch": "The stated group population differs from the members'.", "g_unexplained": "Cause not known.",
        "group_members_h": "## 2. Members",
        "group_members_caption": "Members (as written, and matched)",
        "group_compare_h": "## 3. Against non-members of similar size",
        "group_compare_note": "Each member's cost per resident against the median of municipalities in no joint cloud "
                              "whose population lies within a factor of two. A ratio below 1 is lower than similar "
                              "non-members.",
        "group_compare_caption": "Members and similar non-members",
        "totals_h": "## 1. National figures of the survey [published]",
        "totals_caption": "Table 1. National figures of the survey [published]",
        "totals_note": "FY2017 initial budgets; core (resident records, tax, health insurance, pension, welfare) "
                       "and internal (HR/payroll, accounting, documents) systems, build and operation costs; "
                       "all municipalities.",
        "class_h": "## 2. Cost by population class",
        "class_caption": "Table 2. IT-system cost by population class [published]",
        "class_derived_caption": "Table 3. Shares and class-wide cost per resident [derived]",
        "class_note": "The published per-resident figure is the simple mean over the class's municipalities; "
                      "class total ÷ class population [derived] is lower because small municipalities' high "
                      "values weigh equally in the mean (most of all under 20k).",
        "status_h": "## 3. Municipalities by cloud status [published]",
        "status_caption": "Table 4. Municipalities by population class and cloud status [published]",
        "status_note": "Joint cloud: core systems in the cloud and shared by several municipalities. Single cloud: "
                       "in the cloud but not shared (the document's definitions).",
        "adoption_h": "## 4. Cloud adoption over time and targets [published]",
        "adoption_caption": "Table 5. Municipalities using cloud systems and the targets [published; * derived]",
        "adoption_note": "Single-cloud counts not stated in the document are cloud − joint [derived] (marked *). "
                         "Targets are approximate (約).",
        "tracker_note": "**Projection [derived]**: the state on 2018-04-01 (1,067 cloud municipalities, 407 joint) plus "
                        "the document's planned joins (FY2018-FY2023; later and undetermined ones left out) by target "
                        "year. Whether a joiner now uses a single cloud or none is not known, so the cloud total is a "
                        "range (low: every joiner was single cloud; high: none was).",
        "tracker_caption": "Table 5b. Projection (end of each fiscal year) and the FY2023 targets",
        "rec_h": "## 7. Reconciliation of published and real figures",
        "rec_note": "Stated totals and shares against their rows, the survey's counts and populations against "
                    "the 住民基本台帳, and the group list against its members. Mismatches are reported, not fixed; "
                    "every check is in data/processed/reconciliation.",
        "rec_caption": "Table 6. Checks by topic",
        "rec_bad_caption": "Table 7. Mismatches and their explanation",
        "actual": "actual", "target": "target", "ok": "ok", "mismatch": "mismatch",
        "reg_h": "## 6. Regression: cloud status at equal population",
        "reg_note": "Log cost per resident on log population, its square and cloud status (base: no cloud), the main "
                    "model; HC3 standard errors. The class-level model uses the six published class rows only and "
                    "describes the population curve alone.",
        "reg_coef_caption": "Table 8. Coefficients: {model}",
        "reg_class_caption": "Table 9. Class-level model (published only)",
        "reg_effect_caption": "Table 10. Difference from no cloud at equal population (%)",
        "reg_saving_caption": "Table 11. Annual saving if every no-cloud municipality had the joint-cloud effect (national)",
        "reg_compare_caption": "Table 12. Model comparison",
        "terms": {},
        "models": {"main": "main model"},
    },
}

_TOPICS_JA = {
    "published survey tables": "調査の公表表", "published adoption counts": "クラウド導入団体数の公表値",
    "municipality frame": "市区町村（住民基本台帳）", "joint-cloud group list": "自治体クラウドグループ一覧",
    "survey (simulated)": "市区町村別の経費（シミュレーション）", "survey (reported)": "市区町村別の経費（実データ）",
}

_TOTAL_ITEMS = {
    "municipalities": ("調査対象団体数", "municipalities surveyed"),
    "it_cost_total": ("情報システム経費の合計", "total IT-system cost"),
    "it_cost_per_resident": ("住民一人当たり経費", "cost per resident"),
    "population_2017_01_01": ("住民基本台帳人口（平成29年1月1日）", "population (2017-01-01)"),
}


@dataclass
class Report:
    """One report's content, loaded from data/processed.

    ``Report(scope="prefecture", prefecture="長野県")``; see :func:`validate_parameters`.
    Section methods display their own headings, notes, tables and charts; a section
    outside the report's scope shows nothing.
    """

    scope: str = "national"
    lang: str = "ja"
    prefecture: str = ""
    group_id: int = 0
    population_basis: str = "2017-01-01"
    model: str = "main"
    survey_input: str | None = None
    fail_for_test: bool = False

    def __post_init__(self) -> None:
        self.params = validate_parameters(self.scope, self.lang, self.prefecture, self.group_id,
                                          self.population_basis, self.model, self.survey_input, self.fail_for_test)
        self.t = _T[self.lang]
        self.tables = {name: store.read_table(name) for name in (
            "published_survey_totals", "published_cost_by_class", "published_status_counts",
            "published_adoption", "reconciliation", "survey_input", "municipalities", "cloud_groups",
            "cloud_group_members", "survey")}
        self.info = self.tables["survey_input"]
        self.label = survey.label(self.info, self.lang, short=True)
        self.caption = survey.caption(self.info, self.lang)
        self.caution = _short_caution(self.info, self.lang)
        self._sep = "" if self.lang == "ja" else " "
        plots.set_style()

    # --- every scope -----------------------------------------------------------------------------------

    def header(self) -> None:
        """Title and, on the first screen, where every figure comes from and what is simulated."""
        rec = self.tables["reconciliation"]
        n_ok = int((rec["status"] == checks.OK).sum())
        citation = published.CITATION_JA if self.lang == "ja" else published.CITATION_EN
        note = self.t["mismatch_note"].format(n_bad=len(rec) - n_ok) if n_ok < len(rec) else ""
        body = self.t["provenance"].format(citation=citation, n_checks=len(rec), n_ok=n_ok, mismatch_note=note)
        body += "\n\n" + survey.label(self.info, self.lang) + " " + self.t[f"uses_{self.scope}"]
        display(Markdown(f"# {title(self.params)}\n\n{body}"))

    def overview(self) -> None:
        """The scope's key figures."""
        if self.fail_for_test:
            raise RuntimeError("fail_for_test=True: this report fails here on purpose (a test of failure handling)")
        {"national": self._national_overview, "prefecture": self._prefecture_overview,
         "group": self._group_overview}[self.scope]()

    def groups(self) -> None:
        """The joint-cloud groups: all of them (national) or those with members in the prefecture."""
        if self.scope == "group":
            return
        g = self.tables["cloud_groups"]
        if self.scope == "prefecture":
            in_pref = set(self.tables["cloud_group_members"].query("prefecture == @self.prefecture")["group_id"])
            g = g[g["group_id"].isin(in_pref)]
        display(Markdown(self.t["groups_h"].format(n=5 if self.scope == "national" else 3) + "\n\n"
                         + self.t["groups_note"]))
        if g.empty:
            display(Markdown(self.t["no_groups"]))
            return
        table = g.assign(name=g["name"].fillna(self.t["unnamed"]))[
            ["group_id", "name", "prefectures", "start_year_as_written", "start_fy", "stated_members",
             "matched_members", "stated_population_2018_01_01_persons", "members_population_2018_01_01_persons"]]
        show(styled(table, self.lang, self.t["groups_caption"], key=f"groups_{self.scope}"))

    # --- national --------------------------------------------------------------------------------------

    def _national_overview(self) -> None:
        tot = self.tables["published_survey_totals"].set_index("item").loc[list(_TOTAL_ITEMS)]
        df = pd.DataFrame({
            "item_label": [_TOTAL_ITEMS[i][0 if self.lang == "ja" else 1] for i in tot.index],
            "value_as_written": list(tot["value_as_written"]),
        })
        display(Markdown(self.t["totals_h"] + "\n\n" + self.t["totals_note"]))
        show(styled(df, self.lang, self.t["totals_caption"], key="survey_totals"))

    def cost_by_class(self) -> None:
        if self.scope != "national":
            return
        cost = self.tables["published_cost_by_class"]
        label = "population_class_ja" if self.lang == "ja" else "population_class_en"
        shown = cost[[label, "it_cost_total_oku_yen", "it_cost_per_resident_mean_yen",
                      "it_cost_per_municipality_oku_yen", "municipalities", "population_thousand_persons"]]
        derived = published.derived_by_class(cost)[[label, "share_of_municipalities_pct", "share_of_it_cost_pct",
                                                    "it_cost_per_resident_aggregate_yen"]]
        display(Markdown(self.t["class_h"]))
        show(styled(shown, self.lang, self.t["class_caption"], key="cost_by_class"))
        show(styled(derived, self.lang, self.t["class_derived_caption"], key="cost_by_class_derived"))
        display(Markdown(self.t["class_note"]))
        show_figure(plots.per_resident_by_class(cost, self.lang))

    def status_counts(self) -> None:
        if self.scope != "national":
            return
        st = self.tables["published_status_counts"]
        label = "population_class_ja" if self.lang == "ja" else "population_class_en"
        wide = st.pivot(index="class_id", columns="cloud_status", values="municipalities")
        wide = wide[[s[0] for s in published.STATUSES]]
        wide["total"] = wide.sum(axis=1)
        cls = {c.class_id: getattr(c, "label_ja" if self.lang == "ja" else "label_en")
               for c in published.POPULATION_CLASSES}
        wide.insert(0, label, [cls[i] for i in wide.index])
        display(Markdown(self.t["status_h"] + "\n\n" + self.t["status_note"]))
        show(styled(wide.reset_index(drop=True), self.lang, self.t["status_caption"], key="status_counts"))
        show_figure(plots.status_counts_by_class(st, self.lang))

    def adoption(self) -> None:
        if self.scope != "national":
            return
        wide = published.adoption_wide(self.tables["published_adoption"])
        df = pd.DataFrame({
            "as_of": wide["as_of_date"].dt.strftime("%Y-%m-%d"),
            "kind_label": [self.t[k] for k in wide["kind"]],
            "cloud_municipalities": wide["cloud_municipalities"],
            "joint_cloud_municipalities": wide["joint_cloud_municipalities"],
            "single_cloud_municipalities": [
                "—" if pd.isna(v) else f"{int(v):,}" + (" *" if p == "derived" else "")
                for v, p in zip(wide["single_cloud_municipalities"], wide["single_cloud_municipalities_provenance"])
            ],
            "joint_cloud_groups": wide["joint_cloud_groups"],
        })
        display(Markdown(self.t["adoption_h"] + "\n\n" + self.t["adoption_note"]))
        show(styled(df, self.lang, self.t["adoption_caption"], key="adoption",
                    right=["single_cloud_municipalities"]))
        tracker = store.read_table("adoption_tracker")
        display(Markdown(self.t["tracker_note"]))
        show(styled(tracker.assign(fiscal_year=tracker["fiscal_year"].astype(str))[
            ["fiscal_year", "planned_joins_in_year", "joint_cloud_projected", "cloud_projected_low",
             "cloud_projected_high", "joint_cloud_target", "cloud_target"]], self.lang, self.t["tracker_caption"],
            key="tracker"))
        show_figure(plots.adoption(wide, self.lang, tracker))

    def reconciliation(self) -> None:
        if self.scope != "national":
            return
        rec = self.tables["reconciliation"]
        ja = self.lang == "ja"
        summary = checks.summary(rec)
        if ja:
            summary["topic"] = summary["topic"].map(_TOPICS_JA).fillna(summary["topic"])
        display(Markdown(self.t["rec_h"] + "\n\n" + self.t["rec_note"] + " "
                         + survey.reconciliation_note(self.tables["survey_input"], self.lang)))
        show(styled(summary, self.lang, self.t["rec_caption"], key="reconciliation_summary"))
        bad = checks.mismatch_table(rec, self.lang)
        if len(bad):
            show(styled(bad, self.lang, self.t["rec_bad_caption"], key="reconciliation_mismatches"))

    def regression(self) -> None:
        """National: the stored standard models; prefecture: the counterfactual saving for it."""
        if self.scope == "national":
            self._national_regression()
        elif self.scope == "prefecture":
            self._prefecture_saving()

    def _national_regression(self) -> None:
        """Section 6: the stored standard models (fitted once by the build, not refitted here)."""
        from . import models

        t, lang = self.t, self.lang
        info = self.tables["survey_input"]
        label = survey.label(info, lang, short=True)
        caution = models.describe_input(info, lang, short=True)
        coefs = store.read_table("model_coefficients")
        display(Markdown(t["reg_h"] + "\n\n" + models.describe_input(info, lang) + "\n\n" + t["reg_note"]))
        cols = ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n", "covariance"]
        model_name = t["models"].get(self.model, self.model)
        for name, key, cap in ((self.model, "reg_main", t["reg_coef_caption"].format(model=model_name) + label),
                               ("class_level", "reg_class", t["reg_class_caption"])):
            table, hidden = models.visible_terms(coefs[coefs["model"] == name])
            table = table[cols].copy()
            table["term"] = table["term"].map(lambda x: t["terms"].get(x, x))
            if hidden:
                cap += t["fe_hidden"].format(n=hidden)
            (show_labelled(styled(table, lang, cap, key=key), caution) if name != "class_level"
             else show(styled(table, lang, cap, key=key)))
        effects = store.read_table("model_status_effects")
        effects = effects[(effects["model"] == self.model)
                          | ((effects["model"] == "interaction") & effects["population_persons"].isin([5_000, 100_000]))]
        effects = effects.assign(specification=effects["model"].map(lambda m: t["models"].get(m, m)))
        if lang == "ja":
            effects["cloud_status"] = effects["cloud_status"].map({c: ja for c, ja, _ in published.STATUSES})
        show_labelled(styled(effects[["specification", "cloud_status", "population_persons", "effect_pct",
                                      "ci_low_pct", "ci_high_pct"]], lang, t["reg_effect_caption"] + label,
                             key="reg_effects"), caution)
        saving = store.read_table("model_counterfactual")
        saving = saving[(saving["area"] == "全国") & saving["model"].isin([self.model, "interaction"])].assign(
            specification=lambda d: d["model"].map(lambda m: t["models"].get(m, m)))
        show_labelled(styled(saving[["specification", "none_municipalities", "none_cost_oku_yen", "saving_oku_yen",
                                     "ci_low_oku_yen", "ci_high_oku_yen", "method"]], lang,
                             t["reg_saving_caption"] + label, key="reg_saving"), caution)
        data = models.model_frame(store.read_table("survey"), store.read_table("municipalities"))
        curves = store.read_table("model_fitted_curves")
        show_labelled(plots.fitted_curves(data, curves[curves["model"] == "main"],
                                          curves[curves["model"] == "class_level"],
                                          self.tables["published_cost_by_class"], label,
                                          survey.caption(info, lang), lang), caution)
        comparison = store.read_table("model_comparison")
        comparison = comparison.assign(model=comparison["model"].map(lambda m: t["models"].get(m, m)))
        show_labelled(styled(comparison[["model", "n", "parameters", "r_squared", "aic", "joint_estimate",
                                         "joint_std_error", "covariance"]], lang, t["reg_compare_caption"] + label,
                             key="reg_compare"), caution)

    # --- prefecture ------------------------------------------------------------------------------------

    def _prefecture_frame(self) -> pd.DataFrame:
        f = self.tables["municipalities"]
        return f[f["prefecture"] == self.prefecture]

    def _prefecture_overview(self) -> None:
        f = self._prefecture_frame()
        shares = municipalities.joint_share_by_prefecture(self.tables["municipalities"])
        ranks = shares.set_index("prefecture")["joint_cloud_share_pct"].rank(ascending=False, method="min")
        position = int(ranks[self.prefecture])
        tied = int((ranks == position).sum())
        me = shares.set_index("prefecture").loc[self.prefecture]
        pop = municipalities.POPULATION_BASES[self.population_basis]
        stats = survey.by_prefecture(self.tables["survey"], self.tables["municipalities"]).set_index("prefecture")
        t = self.t
        rows = [
            (t["ov_municipalities"], f"{len(f):,}", t["real"]),
            (t["ov_population"].format(basis=self.population_basis), f"{int(f[pop].sum()):,}", t["real"]),
            (t["ov_joint"], f"{int(me['joint_cloud']):,}（{me['joint_cloud_share_pct']:.1f}%）", t["derived"]),
            (t["ov_rank"], t["rank_fmt"].format(rank=position) + (t["rank_tied"].format(n=tied) if tied > 1 else ""),
             t["derived"]),
            (t["ov_cost"], f"{stats.loc[self.prefecture, 'cost_per_resident_mean_yen']:,.0f}", self.label),
        ]
        df = pd.DataFrame(rows, columns=["item_label", "value", "source"])
        display(Markdown(t["pref_overview_h"]))
        show(styled(df, self.lang, t["pref_overview_caption"], key="pref_overview", right=["value"]))

    def municipalities(self) -> None:
        """Prefecture: each municipality with population, kind, group and survey status."""
        if self.scope != "prefecture":
            return
        f = self._prefecture_frame()
        pop = municipalities.POPULATION_BASES[self.population_basis]
        groups = self.tables["cloud_groups"].set_index("group_id")
        sv = self.tables["survey"].set_index("code")
        group_label = [
            "" if pd.isna(g) else f"{int(g)}. " + (groups.loc[int(g), "name"] if isinstance(groups.loc[int(g), "name"], str)
                                                  else self.t["unnamed"]) for g in f["joint_cloud_group_id"]]
        status_names = {c: (ja if self.lang == "ja" else en) for c, ja, en in published.STATUSES}
        table = pd.DataFrame({
            "code": f["code"], "name": f["name"], "kind": f["kind"], "population_basis_persons": f[pop],
            "joint_cloud_group": group_label, "joint_cloud_start_fy": f["joint_cloud_start_fy"],
            # A simulated single/none split is not shown beside real names: it would invite misquoting.
            "survey_status": ["—" if sv.loc[c, "cloud_status_provenance"] == "simulated" else
                              f"{status_names[sv.loc[c, 'cloud_status']]}（{self.t[sv.loc[c, 'cloud_status_provenance']]}）"
                              for c in f["code"]],
            "cost_per_resident_yen": [float(sv.loc[c, "it_cost_yen"]) / sv.loc[c, "population_2017_01_01_persons"]
                                      if pd.notna(sv.loc[c, "it_cost_yen"]) else float("nan") for c in f["code"]],
        })
        display(Markdown(self.t["pref_mun_h"] + "\n\n" + self.t["pref_mun_note"].format(basis=self.population_basis)))
        show_labelled(styled(table, self.lang, self.t["pref_mun_caption"] + self._sep + self.label, key="pref_municipalities",
                             right=["joint_cloud_start_fy"]), self.caution)

    def position(self) -> None:
        """Prefecture: where it sits among prefectures (joint-cloud share; cost per resident)."""
        if self.scope != "prefecture":
            return
        shares = municipalities.joint_share_by_prefecture(self.tables["municipalities"])
        stats = shares.merge(survey.by_prefecture(self.tables["survey"], self.tables["municipalities"]),
                             on="prefecture")
        display(Markdown(self.t["pref_position_h"]))
        show_figure(plots.prefecture_share(shares, self.prefecture, self.lang))
        show_labelled(plots.prefecture_cost(stats, self.prefecture, self.label, self.caption, self.lang), self.caution)

    def _prefecture_saving(self) -> None:
        saving = store.read_table("model_counterfactual")
        saving = saving[(saving["model"] == self.model) & saving["area"].isin(["全国", self.prefecture])]
        note = self.t["pref_saving_note"].format(model=self.t["models"].get(self.model, self.model))
        if self.info["input"].iloc[0] == "simulated":
            import json

            effect = json.loads(self.info["generator_params"].iloc[0])["joint_effect"]
            note += "\n\n" + self.t["by_construction"].format(effect=f"{effect:+.0%}")
        display(Markdown(self.t["pref_saving_h"] + "\n\n" + note))
        show_labelled(styled(saving[["area", "none_municipalities", "none_cost_oku_yen", "saving_oku_yen",
                                     "ci_low_oku_yen", "ci_high_oku_yen", "method", "covariance"]], self.lang,
                             self.t["pref_saving_caption"] + self._sep + self.label, key="pref_saving"), self.caution)

    # --- group -----------------------------------------------------------------------------------------

    def _group(self) -> pd.Series:
        return self.tables["cloud_groups"].set_index("group_id").loc[self.group_id]

    def _group_overview(self) -> None:
        g = self._group()
        t = self.t
        rec = self.tables["reconciliation"].set_index("check_id")
        check = rec.loc[f"groups.population.{self.group_id}"]
        explanation = check["explanation_ja" if self.lang == "ja" else "explanation"]
        rows = [
            (t["g_name"], g["name"] if isinstance(g["name"], str) else t["unnamed"], t["published"]),
            (t["g_prefectures"], g["prefectures"], t["published"]),
            (t["g_start"], t["start_fmt"].format(written=g["start_year_as_written"], fy=g["start_fy"]), t["published"]),
            (t["g_members"], f"{int(g['stated_members'])}", t["published"]),
            (t["g_matched"], f"{int(g['matched_members'])}", t["derived"]),
            (t["g_stated_pop"], f"{int(g['stated_population_2018_01_01_persons']):,}", t["published"]),
            (t["g_members_pop"], f"{int(g['members_population_2018_01_01_persons']):,}", t["real"]),
        ]
        df = pd.DataFrame(rows, columns=["item_label", "value", "source"])
        display(Markdown(t["group_overview_h"]))
        show(styled(df, self.lang, t["group_overview_caption"], key="group_overview", right=["value"]))
        if check["status"] != checks.OK:
            display(Markdown(f"**{t['g_mismatch']}** {explanation or t['g_unexplained']}"))
        cases = store.read_table("case_study_members")
        case = cases.loc[cases["group_id_2018_04"] == self.group_id, "case"].unique()
        if len(case):
            savings = store.read_table("case_study_savings")
            display(Markdown(t["case_note"].format(case=case[0])))
            show(styled(savings[savings["case"] == case[0]][["what_as_written", "reduction_pct"]], self.lang,
                        t["case_caption"], key="group_case"))

    def members(self) -> None:
        """Group: its members with their populations."""
        if self.scope != "group":
            return
        m = self.tables["cloud_group_members"]
        m = m[m["group_id"] == self.group_id].merge(
            self.tables["municipalities"][["code", "kind", "population_2017_01_01_persons",
                                           "population_2018_01_01_persons"]], on="code")
        table = m[["code", "prefecture", "name", "name_as_written", "kind", "population_2017_01_01_persons",
                   "population_2018_01_01_persons"]]
        display(Markdown(self.t["group_members_h"]))
        show(styled(table, self.lang, self.t["group_members_caption"], key="group_members"))

    def comparison(self) -> None:
        """Group: members' cost per resident against non-members of similar size (survey)."""
        if self.scope != "group":
            return
        codes = self.tables["cloud_group_members"].query("group_id == @self.group_id")["code"]
        table = survey.comparable_non_members(self.tables["survey"], self.tables["municipalities"], codes)
        display(Markdown(self.t["group_compare_h"] + "\n\n" + self.t["group_compare_note"]))
        show_labelled(styled(table[["name", "prefecture", "population_2017_01_01_persons", "cost_per_resident_yen",
                                    "comparables", "comparables_median_yen", "ratio_to_comparables"]], self.lang,
                             self.t["group_compare_caption"] + self._sep + self.label, key="group_compare"), self.caution)
        show_labelled(plots.members_vs_comparables(table, self.label, self.caption, self.lang), self.caution)


def _short_caution(info: pd.DataFrame, lang: str) -> str:
    from .models import describe_input

    return describe_input(info, lang, short=True)

"""Stage 6a, display: tables and charts for readers (headers in the report language, formats, provenance).

Column headers come from :mod:`jichitai_cloud.metadata` for registered tables (with the unit and
the kind of figure, e.g. ［導出値］) and from ``COLUMNS`` for the others.
"""

from __future__ import annotations

import hashlib

import pandas as pd
from IPython.display import HTML, Markdown, display
from pandas.io.formats.style import Styler

from . import checks, metadata, vocab

LANGS = vocab.LANGS


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
    "HC0 (heteroskedasticity-robust)": "HC0（不均一分散に頑健）",
    "clustered by prefecture, t(G − 1)": "都道府県でクラスター化、t(G−1)",
    "clustered by 自治体クラウド group (non-members alone), t(G − 1)": "自治体クラウドのグループでクラスター化（非参加団体は単独）、t(G−1)",
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
           right: list[str] | None = None, table: str | None = None, headers: dict | None = None,
           formats: dict | None = None) -> Styler:
    """A frame for reading: headers in the report language, thousands separators, no index.

    ``table``: a table registered in :mod:`metadata`; its columns get the registry's headers,
    each with its unit and kind of figure (［導出値］ …). Other columns take ``COLUMNS`` or keep
    their name and default format; ``headers`` and ``formats`` (column -> text / format)
    override both. ``key`` fixes
    the HTML ids (by default derived from the columns and caption) so that re-running a notebook
    gives identical output. Text columns are left-aligned, numbers and the columns named in
    ``right`` right-aligned.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    if lang == "ja":
        df = df.assign(**{c: df[c].map(lambda v: _CELLS_JA.get(v, v)) for c in ("covariance", "method", "cloud_status")
                          if c in df.columns})
    registered = metadata.fields(table) if table else {}
    names = {}
    formats_by_column = {}
    for c in df.columns:
        if c in registered:
            names[c] = metadata.header(c, lang, table)
            formats_by_column[c] = registered[c].fmt
        elif c in COLUMNS:
            names[c] = COLUMNS[c][0] if lang == "ja" else COLUMNS[c][1]
            formats_by_column[c] = COLUMNS[c][2]
    names.update(headers or {})
    formats_by_column.update(formats or {})
    headers = names
    formats = {headers.get(c, c): f for c, f in formats_by_column.items()}
    shown = df.rename(columns=headers)
    if not shown.columns.is_unique:
        dup = sorted({c for c in shown.columns if list(shown.columns).count(c) > 1})
        raise ValueError(f"two columns would show the same header {dup}; drop one or pass headers=")
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



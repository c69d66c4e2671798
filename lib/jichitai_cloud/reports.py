"""Stage 6, reports: what a report shows, and rendering the report notebook to HTML.

``notebooks/report.ipynb`` is the single template. It sets parameters and calls a
:class:`Report`, whose section methods display headings, tables and charts; all the
logic lives here. :func:`render` validates the parameters *before* any kernel starts,
executes the template with papermill on the ``jichitai-cloud`` kernel, renders HTML
with the code hidden, and moves both files into place only when complete.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display
from pandas.io.formats.style import Styler

from . import checks, paths, plots, published, store, survey

KERNEL_NAME = "jichitai-cloud"
TEMPLATE = paths.NOTEBOOKS_DIR / "report.ipynb"
SCOPES = ("national",)
LANGS = ("ja", "en")


class ParameterError(ValueError):
    """A report parameter is not one of the valid values (raised before any kernel starts)."""


class ReportError(RuntimeError):
    pass


def validate_parameters(scope: object = "national", lang: object = "ja") -> dict:
    """Check report parameters (untrusted when they come from a scheduler); return them clean."""
    if not isinstance(scope, str) or scope not in SCOPES:
        raise ParameterError(f"scope must be one of {', '.join(SCOPES)}; got {scope!r}")
    if not isinstance(lang, str) or lang not in LANGS:
        raise ParameterError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    return {"scope": scope, "lang": lang}


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
    headers = {c: (COLUMNS[c][0] if lang == "ja" else COLUMNS[c][1]) for c in df.columns if c in COLUMNS}
    formats = {headers.get(c, c): COLUMNS[c][2] for c in df.columns if c in COLUMNS}
    shown = df.rename(columns=headers)
    uid = key or hashlib.sha1("|".join(map(str, shown.columns)).encode() + (caption or "").encode()).hexdigest()[:10]
    st = Styler(shown, uuid=uid, cell_ids=False, na_rep="—").format(formats, na_rep="—").hide(axis="index")
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
            "- 公表値・実データ相互の照合 {n_checks} 件中 {n_ok} 件一致{mismatch_note}。\n"
            "- 第1～4節の経費は公表された集計値。\n\n{survey_label}このレポートでは照合（第5節）と回帰分析（第6節）に用いる。"
        ),
        "mismatch_note": "。不一致 {n_bad} 件はすべて末尾の表に理由とともに示す",
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
        "rec_h": "## 5. 公表値・実データの照合",
        "rec_note": "資料が示す合計・比率と各行の和、調査の団体数・人口と住民基本台帳、グループ一覧と構成団体を照合した。"
                    "不一致は修正せずに報告する。全件は data/processed/reconciliation にある。",
        "rec_caption": "表6　照合の対象別の件数",
        "rec_bad_caption": "表7　不一致とその理由",
        "actual": "実績", "target": "目標", "ok": "一致", "mismatch": "不一致",
        "reg_h": "## 6. 回帰分析：人口をそろえた導入状況別の比較",
        "reg_note": "住民一人当たり経費（対数）を人口（対数）とその2乗、クラウド導入状況（基準：未導入）に回帰した（主モデル）。"
                    "標準誤差は HC3。区分別モデルは公表された6区分の値のみを用い、人口との関係だけを表す。",
        "reg_coef_caption": "表8　主モデルの係数",
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
            "{mismatch_note}.\n"
            "- The costs in sections 1-4 are published aggregates.\n\n{survey_label} This report uses them in the "
            "reconciliation (section 5) and the regression (section 6)."
        ),
        "mismatch_note": "; the last table explains each of the {n_bad} mismatches",
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
        "rec_h": "## 5. Reconciliation of published and real figures",
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
        "reg_coef_caption": "Table 8. Main model coefficients",
        "reg_class_caption": "Table 9. Class-level model (published only)",
        "reg_effect_caption": "Table 10. Difference from no cloud at equal population (%)",
        "reg_saving_caption": "Table 11. Annual saving if every no-cloud municipality had the joint-cloud effect (national)",
        "reg_compare_caption": "Table 12. Model comparison",
        "terms": {},
        "models": {},
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
    """One report's content. ``Report(scope="national", lang="ja")`` loads the processed tables."""

    scope: str = "national"
    lang: str = "ja"

    def __post_init__(self) -> None:
        validate_parameters(self.scope, self.lang)
        self.t = _T[self.lang]
        self.tables = {name: store.read_table(name) for name in (
            "published_survey_totals", "published_cost_by_class", "published_status_counts",
            "published_adoption", "reconciliation", "survey_input")}
        plots.set_style()

    # Each section displays its own heading, notes, tables and charts.

    def header(self) -> None:
        rec = self.tables["reconciliation"]
        n_ok = int((rec["status"] == checks.OK).sum())
        citation = published.CITATION_JA if self.lang == "ja" else published.CITATION_EN
        note = self.t["mismatch_note"].format(n_bad=len(rec) - n_ok) if n_ok < len(rec) else ""
        body = self.t["provenance"].format(citation=citation, n_checks=len(rec), n_ok=n_ok, mismatch_note=note,
                                           survey_label=survey.label(self.tables["survey_input"], self.lang))
        display(Markdown(f"# {self.t['title']}\n\n{body}"))

    def survey_totals(self) -> None:
        tot = self.tables["published_survey_totals"].set_index("item").loc[list(_TOTAL_ITEMS)]
        df = pd.DataFrame({
            "item_label": [_TOTAL_ITEMS[i][0 if self.lang == "ja" else 1] for i in tot.index],
            "value_as_written": list(tot["value_as_written"]),
        })
        display(Markdown(self.t["totals_h"] + "\n\n" + self.t["totals_note"]))
        show(styled(df, self.lang, self.t["totals_caption"], key="survey_totals"))

    def cost_by_class(self) -> None:
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
        show_figure(plots.adoption(wide, self.lang))

    def regression(self) -> None:
        """Section 6: the stored standard models (fitted once by the build, not refitted here)."""
        from . import models

        t, lang = self.t, self.lang
        info = self.tables["survey_input"]
        label = survey.label(info, lang, short=True)
        caution = models.describe_input(info, lang, short=True)
        coefs = store.read_table("model_coefficients")
        display(Markdown(t["reg_h"] + "\n\n" + models.describe_input(info, lang) + "\n\n" + t["reg_note"]))
        cols = ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n", "covariance"]
        for name, key, cap in (("main", "reg_main", t["reg_coef_caption"] + label),
                               ("class_level", "reg_class", t["reg_class_caption"])):
            table = coefs[coefs["model"] == name][cols].copy()
            table["term"] = table["term"].map(lambda x: t["terms"].get(x, x))
            (show_labelled(styled(table, lang, cap, key=key), caution) if name == "main"
             else show(styled(table, lang, cap, key=key)))
        effects = store.read_table("model_status_effects")
        effects = effects[(effects["model"] == "main")
                          | ((effects["model"] == "interaction") & effects["population_persons"].isin([5_000, 100_000]))]
        effects = effects.assign(specification=effects["model"].map(lambda m: t["models"].get(m, m)))
        if lang == "ja":
            effects["cloud_status"] = effects["cloud_status"].map({c: ja for c, ja, _ in published.STATUSES})
        show_labelled(styled(effects[["specification", "cloud_status", "population_persons", "effect_pct",
                                      "ci_low_pct", "ci_high_pct"]], lang, t["reg_effect_caption"] + label,
                             key="reg_effects"), caution)
        saving = store.read_table("model_counterfactual")
        saving = saving[saving["area"] == "全国"].assign(
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

    def reconciliation(self) -> None:
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


# --- rendering ------------------------------------------------------------------------------

def kernel_manager_class():
    """Kernels for papermill/nbclient runs: on Unix sockets (IPC) where the OS has them.

    A local report kernel needs no TCP port: IPC leaves nothing for parallel runs to race
    for, nothing readable on the network, and no 'running over TCP without encryption'
    warning in scheduled logs. Socket files live in a private temporary folder.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    if os.name != "posix":
        return AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        @default("ip")
        def _ip_default(self):
            if self.transport == "ipc":
                return os.path.join(tempfile.mkdtemp(prefix="jichitai-kernel-"), "kernel")
            return super()._ip_default()

        def cleanup_ipc_files(self) -> None:
            super().cleanup_ipc_files()
            if self.transport == "ipc":
                shutil.rmtree(os.path.dirname(self.ip), ignore_errors=True)

    return IPCKernelManager


def check_kernel() -> None:
    """Fail early, with the fix, when the project's Jupyter kernel is not registered."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        raise ReportError(
            f"the Jupyter kernel {KERNEL_NAME!r} is not registered in this environment; run `make setup` "
            f"(or: python -m ipykernel install --sys-prefix --name {KERNEL_NAME})"
        ) from None


FONT_ASSET = "assets/ipaexg.ttf"  # under reports/; IPAexGothic from matplotlib-fontja


def install_font_asset(reports_dir: Path | None = None) -> Path:
    """Copy IPAexGothic (and its licence) to reports/assets/, the readers' fallback font.

    Browsers use a local Japanese font when they have one; on a machine without any
    (a bare Linux box), the report falls back to this file instead of showing boxes.
    """
    import matplotlib_fontja

    src = Path(matplotlib_fontja.get_font_ttf_path())
    target = (reports_dir or paths.REPORTS_DIR) / FONT_ASSET
    target.parent.mkdir(parents=True, exist_ok=True)
    for f in (src, src.with_name("IPA_Font_License_Agreement_v1.0.txt")):
        dest = target.parent / f.name
        if not dest.exists() or dest.stat().st_size != f.stat().st_size:
            tmp = dest.with_name(f".{dest.name}.part")
            shutil.copyfile(f, tmp)
            os.replace(tmp, dest)
    return target


_REMOTE_SCRIPTS = re.compile(r'<script src="https://cdnjs\.cloudflare\.com/[^"]+">\s*</script>\n?')


def to_html(nb, title: str, lang: str = "ja", font_url: str | None = None) -> str:
    """The executed notebook as a standalone HTML page with every code input hidden.

    The page loads nothing from the network (nbconvert's CDN scripts for require.js
    and MathJax are removed: reports have neither widgets nor formulas), declares its
    language, and prefers local Japanese fonts with ``font_url`` as the fallback.
    """
    import logging

    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    nb.metadata["title"] = title
    alts = [o.get("metadata", {}).get("image/png", {}).get("alt") or title
            for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    quiet = logging.getLogger("jichitai_cloud.nbconvert")
    quiet.setLevel(logging.ERROR)  # its only warning is the missing alt text, supplied below
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, log=quiet)
    body, _ = exporter.from_notebook_node(nb)
    soup = BeautifulSoup(body, features="html.parser")
    images = soup.select(".jp-RenderedImage img")
    if len(images) != len(alts):
        raise ReportError(f"found {len(images)} images in the HTML but {len(alts)} PNG outputs")
    for img, alt in zip(images, alts):
        img["alt"] = alt
    body = str(soup)
    body = _REMOTE_SCRIPTS.sub("", body)
    body = body.replace('<html lang="en">', f'<html lang="{lang}">', 1)
    fonts = '"Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", Meiryo, "Noto Sans CJK JP", ' \
            '"Noto Sans JP", "IPAexGothic", "IPAexGothic-report", sans-serif'
    face = (f'@font-face {{ font-family: "IPAexGothic-report"; src: url("{font_url}") format("truetype"); }}\n'
            if font_url else "")
    style = (f"<style>\n{face}:root {{ --jp-content-font-family: {fonts}; "
             f"--jp-ui-font-family: {fonts}; }}\n"
             f".jp-Notebook *:not(pre):not(code) {{ font-family: {fonts}; }}\n"
             f".jp-Notebook {{ max-width: 1100px; }}\n</style>\n")
    if "</head>" not in body:
        raise ReportError("nbconvert's HTML has no </head>; cannot add the font declarations")
    return body.replace("</head>", style + "</head>", 1)


def output_dir(scope: str, reports_dir: Path | None = None) -> Path:
    return (reports_dir or paths.REPORTS_DIR) / scope


def output_stem(lang: str) -> str:
    """'report' for Japanese (the default), 'report.en' for English: both can sit side by side."""
    return "report" if lang == "ja" else f"report.{lang}"


def render(scope: str = "national", lang: str = "ja", reports_dir: Path | None = None, log=print) -> Path:
    """Execute the report template for one scope and write report.ipynb + report.html.

    Output goes to ``<reports_dir>/<scope>/report.html`` (``report.en.html`` in English;
    default ``reports/``). Returns the HTML path. Parameters are validated before any
    kernel starts.
    """
    import nbformat
    import papermill

    params = validate_parameters(scope, lang)
    check_kernel()
    reports_dir = reports_dir or paths.REPORTS_DIR
    target = output_dir(scope, reports_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    stem = output_stem(lang)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{scope}-"))
    try:
        nb_path = staging / "report.ipynb"
        try:
            papermill.execute_notebook(
                str(TEMPLATE), str(nb_path), parameters=params, kernel_name=KERNEL_NAME,
                cwd=str(paths.PROJECT_ROOT), progress_bar=False, log_output=False,
                request_save_on_cell_execute=False, kernel_manager_class=kernel_manager_class(),
            )
        except papermill.PapermillExecutionError as exc:
            target.mkdir(parents=True, exist_ok=True)
            os.replace(nb_path, target / f"{stem}.ipynb")
            stale = target / f"{stem}.html"
            if stale.exists():
                stale.unlink()
            raise ReportError(
                f"report {scope} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}; the executed "
                f"notebook is kept at {target / (stem + '.ipynb')}"
            ) from exc
        nb = nbformat.read(nb_path, as_version=4)
        font = install_font_asset(reports_dir)
        html = to_html(nb, _T[lang]["title"], lang, Path(os.path.relpath(font, target)).as_posix())
        (staging / "report.html").write_text(html, encoding="utf-8")
        target.mkdir(parents=True, exist_ok=True)
        os.replace(nb_path, target / f"{stem}.ipynb")
        os.replace(staging / "report.html", target / f"{stem}.html")
        log(f"rendered {target / (stem + '.html')}")
        return target / f"{stem}.html"
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def execute_in_place(path: Path, timeout: int = 600) -> None:
    """Re-execute a committed notebook top to bottom and save its outputs (for nbval).

    Uses the notebook's own kernel (``jichitai-cloud``) in the notebook's folder, as
    nbval does, and records no timing metadata so that re-runs give small diffs.
    """
    import nbformat
    from nbclient import NotebookClient

    check_kernel()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL_NAME, record_timing=False,
                            kernel_manager_class=kernel_manager_class(),
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nb.metadata.pop("widgets", None)
    tmp = path.with_name(f".{path.name}.tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, path)

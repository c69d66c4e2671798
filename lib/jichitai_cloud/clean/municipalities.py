"""Stage 2b, cleaning: the municipality frame, 1,741 rows keyed by the 全国地方公共団体コード.

Inputs (data/raw/, see SOURCES.yml): 住民基本台帳 population as of 2017-01-01 (the
survey's basis) and 2018-01-01 (the group list's basis), both 総計 (Japanese and
foreign residents); SSDSE-A 2020 (FY2017 settled accounts, 2015 census population and
population aged 65 and over, habitable area as of 2018); 主要財政指標一覧 FY2016 and FY2017
(財政力指数, 経常収支比率). All real, none simulated.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from jichitai_cloud.clean import checks, published
from jichitai_cloud.errors import CleaningError, ParameterError
from jichitai_cloud.io import sources
from jichitai_cloud.registry import resources, schema, vocab
# The code's check-digit rule is declared with the field (registry.field); maps/ and survey/ read it from here too.
from jichitai_cloud.registry.field import check_digit, valid_code  # noqa: F401

JUKI_2017 = "juki_population/juki_2017-01-01.csv"
JUKI_2018 = "juki_population/juki_2018-01-01.csv"
SSDSE_2020 = "ssdse_a/SSDSE-A-2020.csv"
FISCAL_FY2016 = "fiscal_indices/fiscal_indices_fy2016.xlsx"
FISCAL_FY2017 = "fiscal_indices/fiscal_indices_fy2017.xlsx"

PREFECTURES = vocab.PREFECTURES  # the 47, in code order (declared once, in vocab)
KINDS = vocab.MUNICIPALITY_KINDS
NORTHERN_TERRITORIES = ("016951", "017001")  # the six 北方領土 villages: codes in the file, no residents

# Characters the sources write differently in the same official name; used only to
# build matching keys, never to change a name. Keep this table small and explicit:
# every entry is tested, and every match that needed one is recorded.
VARIANTS = {
    "\u2ea0": "民",  # ⺠ CJK radical, a PDF-extraction artefact, for 民
    "驒": "騨",  # 飛驒市 (group list, the official form since 2004) / 飛騨市 (住民基本台帳 file)
    "ヶ": "ケ",  # 関ケ原町 / 関ヶ原町, 駒ヶ根市, 吉野ヶ里町: small ke written either way
    "惠": "恵",  # 須惠町 (住民基本台帳 file) / 須恵町 (group list)
}


# Codes that changed after 2017-01-01 in sources published later: later code -> code on
# the survey's basis. Applied only where a source is known to use the later code.
CODE_CHANGES = {
    "402311": ("403059", "福岡県那珂川町 became 那珂川市 on 2018-10-01 (new code)"),
}


def match_key(name: str) -> str:
    """A name reduced for matching: NFKC, the VARIANTS table, no spaces."""
    s = unicodedata.normalize("NFKC", name)
    for a, b in VARIANTS.items():
        s = s.replace(a, b)
    return re.sub(r"\s+", "", s)


def variants_used(name: str) -> list[str]:
    """Which VARIANTS entries a name needed (after NFKC), e.g. ['驒→騨']."""
    s = unicodedata.normalize("NFKC", name)
    return [f"{a}→{b}" for a, b in VARIANTS.items() if a in s]


# --- 住民基本台帳 ----------------------------------------------------------------------------

def read_juki(file: str) -> pd.DataFrame:
    """Every row of a 住民基本台帳 file: code, prefecture, name as written, total population.

    The file has four header lines and a 合計 row; numbers are quoted with separators.
    """
    path = sources.raw_path(file)
    raw = pd.read_csv(path, skiprows=4, header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if raw.shape[1] < 6:
        raise CleaningError(f"{path}: expected at least 6 columns, found {raw.shape[1]}")
    df = raw.iloc[:, [0, 1, 2, 5]].copy()
    df.columns = ["code", "prefecture", "name_raw", "population"]
    df["line"] = np.arange(len(df)) + 5  # 1-based line in the file
    total = df[df["prefecture"] == "合計"]
    df = df[df["prefecture"] != "合計"].copy()
    pops = []
    for line, text in zip(df["line"], df["population"]):
        digits = text.replace(",", "")
        if not re.fullmatch(r"[0-9]+", digits):
            raise CleaningError(f"{path}: line {line}, column 人 (population): {text!r} is not a count")
        pops.append(int(digits))
    df["population"] = pops
    bad = df[~df["code"].str.fullmatch(r"[0-9]{6}")]
    if len(bad):
        r = bad.iloc[0]
        raise CleaningError(f"{path}: line {r['line']}, column 団体コード: {r['code']!r} is not 6 digits")
    df.attrs["file"] = str(path)
    df.attrs["stated_total"] = int(total["population"].iloc[0].replace(",", "")) if len(total) else None
    return df.reset_index(drop=True)


def _is_subtotal(name: str) -> bool:
    return name.endswith("郡") or name == "島しょ"


def municipalities_from_juki(juki: pd.DataFrame) -> pd.DataFrame:
    """The municipalities among a 住民基本台帳 file's rows, with name and kind.

    Kept: rows that are not prefectures (code digits 3-5 = 000), not 郡 / 島しょ
    subtotals, not wards of designated cities (…市…区 outside Tokyo) and not the six
    北方領土 villages. Tokyo's 23 wards are 特別区; a city with wards is 政令指定都市.
    Town and village names lose their 郡 prefix ('岩船郡粟島浦村' -> '粟島浦村').
    """
    df = juki[juki["code"].str[2:5] != "000"]
    df = df[~df["name_raw"].map(_is_subtotal)]
    hoppo = df["code"].between(*NORTHERN_TERRITORIES)
    df = df[~hoppo]
    ward = df["name_raw"].str.fullmatch(r".+市.+区") & (df["prefecture"] != "東京都")
    designated = set(zip(df.loc[ward, "prefecture"], df.loc[ward, "name_raw"].str.extract(r"^(.+?市)", expand=False)))
    df = df[~ward].copy()
    guns = {(p, n) for p, n in zip(juki["prefecture"], juki["name_raw"]) if _is_subtotal(n)}
    names = []
    for pref, raw in zip(df["prefecture"], df["name_raw"]):
        gun = next((g for p, g in guns if p == pref and raw.startswith(g) and len(raw) > len(g)), None)
        if gun is None:
            # 北海道 has no 郡 subtotal rows; its towns still carry the 郡 ('石狩郡当別町'). A name
            # such as 上郡町 is safe: the rest after '…郡' must be two or more characters.
            m = re.fullmatch(r"(\S+?郡)(\S+[町村])", raw)
            gun = m.group(1) if m else None
        names.append(raw[len(gun):] if gun else raw)
    df["name"] = names
    kinds = []
    for code, pref, name in zip(df["code"], df["prefecture"], df["name"]):
        if pref == "東京都" and code.startswith("131") and name.endswith("区"):
            kinds.append("特別区")
        elif (pref, name) in designated:
            kinds.append("政令指定都市")
        elif name[-1] in "市町村":
            kinds.append(name[-1])
        else:
            raise CleaningError(f"{juki.attrs.get('file')}: code {code} {pref}{name}: cannot tell its kind "
                                f"(expected a name ending in 市, 町, 村 or a Tokyo 区)")
    df["kind"] = kinds
    bad = df[~df["code"].map(valid_code)]
    if len(bad):
        r = bad.iloc[0]
        raise CleaningError(f"{juki.attrs.get('file')}: line {r['line']}, column 団体コード: {r['code']} "
                            f"({r['prefecture']}{r['name']}) fails the check digit")
    return df[["code", "prefecture", "name", "kind", "population"]].reset_index(drop=True)


# --- covariates --------------------------------------------------------------------------------

def read_ssdse(file: str = SSDSE_2020) -> pd.DataFrame:
    """SSDSE-A: code5, 2015 census population and population aged 65+ (persons), habitable
    area (可住地面積, ha, as of 2018) and FY2017 歳出決算総額 (千円).

    Checks line 2 (the reference year of each column) so that a different edition
    cannot be read as FY2017 by mistake.
    """
    path = sources.raw_path(file)
    raw = pd.read_csv(path, encoding="cp932", header=None, dtype=str, keep_default_na=False)
    items, years = list(raw.iloc[0]), list(raw.iloc[1])
    want = {"code": None, "A1101": "2015", "A1303": "2015", "B1103": "2018", "D3203": "2017"}
    for item, year in want.items():
        if item not in items:
            raise CleaningError(f"{path}: line 1: no column {item}")
        if year and years[items.index(item)] != year:
            raise CleaningError(f"{path}: line 2, column {item}: year {years[items.index(item)]}, expected {year}")
    body = raw.iloc[3:]
    # SSDSE-A 2020 lists municipalities by their codes of 2020 (e.g. 那珂川市).
    later = {new[:5]: old[:5] for new, (old, _) in CODE_CHANGES.items()}
    out = pd.DataFrame({
        "code5": body[items.index("code")].str.removeprefix("R").replace(later),
        "population_census_2015_persons": body[items.index("A1101")],
        "population_65_plus_census_2015_persons": body[items.index("A1303")],
        "habitable_area_2018_ha": body[items.index("B1103")],
        "expenditure_total_fy2017_thousand_yen": body[items.index("D3203")],
    })
    for col in out.columns[1:]:
        bad = ~out[col].str.fullmatch(r"[0-9]+")
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise CleaningError(f"{path}: line {i + 4}, column {col}: {out[col].iloc[i]!r} is not a whole number")
        out[col] = out[col].astype("int64")
    return out.reset_index(drop=True)


def read_fiscal_indices(file: str = FISCAL_FY2017, fiscal_year: int = 2017) -> pd.DataFrame:
    """主要財政指標一覧: code, 財政力指数 and 経常収支比率 (%) of one fiscal year's settled accounts."""
    path = sources.raw_path(file)
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:  # a read-only workbook holds its file open until closed
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()
    header = [str(h).strip() if h is not None else "" for h in rows[1]]
    if header[:5] != ["団体コード", "都道府県名", "団体名", "財政力指数", "経常収支比率"]:
        raise CleaningError(f"{path}: row 2: unexpected header {header[:5]}")
    codes, strength, balance = [], [], []
    for i, r in enumerate(rows[2:], start=3):
        if r[0] is None or not re.fullmatch(r"[0-9]{6}", str(r[0])):
            continue  # the 全国市町村平均 footer
        for j, name in ((3, "財政力指数"), (4, "経常収支比率")):
            if isinstance(r[j], bool) or not isinstance(r[j], (int, float)):
                raise CleaningError(f"{path}: row {i}, column {name}: {r[j]!r} is not a number")
        codes.append(str(r[0]))
        strength.append(float(r[3]))
        balance.append(float(r[4]))
    return pd.DataFrame({"code": codes, f"fiscal_strength_index_fy{fiscal_year}": strength,
                         f"current_balance_ratio_fy{fiscal_year}_pct": balance})


# --- the frame -----------------------------------------------------------------------------------

def base_frame() -> pd.DataFrame:
    """Municipalities with populations and covariates (no cloud columns yet).

    Joins are by code; a code present in one source and missing in another stops
    the build, naming the code.
    """
    j17 = municipalities_from_juki(read_juki(JUKI_2017))
    j18 = municipalities_from_juki(read_juki(JUKI_2018))
    df = j17.rename(columns={"population": "population_2017_01_01_persons"})
    for other, label in ((j18, JUKI_2018),):
        diff = set(df["code"]) ^ set(other["code"])
        if diff:
            raise CleaningError(f"{label}: municipality codes differ from {JUKI_2017}: {sorted(diff)[:10]}")
    df = df.merge(j18[["code", "population"]].rename(columns={"population": "population_2018_01_01_persons"}),
                  on="code", how="left", validate="one_to_one")
    classes = {c.class_id: c.label_ja for c in vocab.POPULATION_CLASSES}
    df["population_class_id"] = df["population_2017_01_01_persons"].map(published.population_class_id).astype("int64")
    df["population_class_ja"] = df["population_class_id"].map(classes)
    ssdse = read_ssdse()
    df["code5"] = df["code"].str[:5]
    missing = sorted(set(df["code5"]) ^ set(ssdse["code5"]))
    if missing:
        raise CleaningError(f"{SSDSE_2020}: codes not matching the 1,741 municipalities: {missing[:10]}")
    df = df.merge(ssdse, on="code5", how="left", validate="one_to_one")
    for file, year in ((FISCAL_FY2016, 2016), (FISCAL_FY2017, 2017)):
        fiscal = read_fiscal_indices(file, year)
        missing = sorted(set(df["code"]) ^ set(fiscal["code"]))
        if missing:
            raise CleaningError(f"{file}: codes not matching the 1,741 municipalities: {missing[:10]}")
        df = df.merge(fiscal, on="code", how="left", validate="one_to_one")
    df["joint_cloud_group_id"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df["joint_cloud_start_fy"] = pd.array([pd.NA] * len(df), dtype="Int64")
    return df[list(resources.RESOURCES["municipalities"].fields)].sort_values("code").reset_index(drop=True)


def validated(frame: pd.DataFrame) -> pd.DataFrame:
    """The municipality frame checked against its declaration in the registry (codes with their check digit,
    prefectures, kinds, populations, fiscal indices in range, one row per prefecture and name): a raw file
    whose values break a check is refused in one line naming the column and the value."""
    return schema.validate(frame, "municipalities", CleaningError, "the municipality frame: {problem}")


LIST_DATE = pd.Timestamp(vocab.LIST_DATE)  # the group list's date (平成30年4月現在; 稼働済 members only)
POPULATION_BASES = vocab.POPULATION_BASES


def validate_as_of(as_of: object) -> pd.Timestamp:
    """An as-of date for joint-cloud status: ISO date within the list's range (FY2006..the list's date)."""
    try:
        d = pd.Timestamp(str(as_of))
    except ValueError:
        raise ParameterError(f"as_of must be an ISO date such as {vocab.STATUS_DATE}; got {as_of!r}") from None
    if not (pd.Timestamp("2006-04-01") <= d <= LIST_DATE):
        raise ParameterError(f"as_of must lie between 2006-04-01 (the list's first start year) and {vocab.LIST_DATE} "
                             f"(the list's date); got {d.date()}")
    return d


def validate_population_basis(basis: object) -> str:
    if basis not in POPULATION_BASES:
        raise ParameterError(f"population_basis must be one of {', '.join(POPULATION_BASES)}; got {basis!r}")
    return str(basis)


def joint_counts_by_class(frame: pd.DataFrame, as_of=vocab.STATUS_DATE, population_basis: str = "2017-01-01",
                          published_joint: pd.Series | None = None) -> pd.DataFrame:
    """Municipalities per survey population class, and how many were in a joint cloud on `as_of`.

    Classes use the population on ``population_basis``. ``published_joint`` (class_id ->
    count) adds the survey's published joint counts for comparison; they refer to the
    survey's basis (2017-01-01 population, status at FY2017), so they are comparable
    only for those parameters.
    """
    d = validate_as_of(as_of)
    col = POPULATION_BASES[validate_population_basis(population_basis)]
    cls = frame[col].map(published.population_class_id)
    joint = joint_cloud_as_of(frame, d)
    out = pd.DataFrame({"class_id": cls, "joint": joint}).groupby("class_id").agg(
        municipalities=("joint", "size"), joint_cloud_in_list=("joint", "sum"))
    out = out.reindex(vocab.CLASS_IDS, fill_value=0).reset_index()
    labels = {c.class_id: c.label_ja for c in vocab.POPULATION_CLASSES}
    out.insert(1, "population_class_ja", out["class_id"].map(labels))
    if published_joint is not None:
        out["joint_cloud_published"] = out["class_id"].map(published_joint).astype("Int64")
    return out.astype({"municipalities": "int64", "joint_cloud_in_list": "int64"})


def fiscal_year(date) -> int:
    """The Japanese fiscal year (April-March) a date falls in: 2017-04-01 -> 2017, 2018-03-31 -> 2017."""
    d = pd.Timestamp(date)
    return d.year if d.month >= 4 else d.year - 1


def joint_cloud_as_of(municipalities: pd.DataFrame, date, include_start_year: bool = False) -> pd.Series:
    """Whether each municipality was in a joint cloud on `date` (bool Series).

    The group list (2018-04) lists the members operating on its date and gives each
    group's start fiscal year only. On or after the list's date every member counts.
    Before it, a member counts when its group started in an earlier fiscal year than
    `date`'s (``include_start_year=True`` also counts groups starting in `date`'s own
    fiscal year). Members that joined an existing group after it started cannot be told
    apart, so counts for dates before 2018-04 overstate the membership at that date.
    """
    d = pd.Timestamp(date)
    fy = fiscal_year(d)
    start = municipalities["joint_cloud_start_fy"]
    if d >= LIST_DATE:
        live = start.notna()
    else:
        live = start <= fy if include_start_year else start < fy
    return live.fillna(False).astype(bool)


def reconcile(frame: pd.DataFrame, cost_by_class: pd.DataFrame, survey_totals: pd.DataFrame) -> list[checks.Check]:
    """The municipality frame against the survey's stated counts and the files' own 合計 rows."""
    topic = "municipality frame"
    totals = survey_totals.set_index("item")["value"]
    out = [
        checks.exact("mun.count", topic, ("municipalities in the frame = survey's 1,741",
                                          "市区町村の数＝調査対象1,741団体"),
                     totals["municipalities"], len(frame), "municipalities", "published: 調査結果（概要）",
                     f"municipalities ({JUKI_2017})"),
        checks.exact("mun.population_2017", topic,
                     ("population 2017-01-01 = survey's 127,907,086", "人口（平成29年1月1日）＝調査の1億2,790万7,086人"),
                     totals["population_2017_01_01"], int(frame["population_2017_01_01_persons"].sum()), "persons",
                     "published: 調査結果（総括）", f"municipalities ({JUKI_2017})"),
    ]
    for file, col, year in ((JUKI_2017, "population_2017_01_01_persons", "2017"),
                            (JUKI_2018, "population_2018_01_01_persons", "2018")):
        stated = read_juki(file).attrs["stated_total"]
        out.append(checks.exact(f"mun.juki_total_{year}", topic,
                                (f"{year}-01-01: the file's total row = sum of the 1,741 municipalities",
                                 f"{year}年1月1日：ファイルの合計行＝1,741市区町村の和"),
                                stated, int(frame[col].sum()), "persons", f"{file} (合計 row)", "municipalities"))
    by_class = frame.groupby("population_class_id").agg(n=("code", "size"),
                                                          pop=("population_2017_01_01_persons", "sum"))
    for r in cost_by_class.itertuples():
        out.append(checks.exact(f"mun.class_count.{r.class_id}", topic,
                                (f"{vocab.class_label(r.class_id, 'en')}: municipalities in the class",
                                 f"{r.population_class_ja}：団体数"),
                                r.municipalities, int(by_class.loc[r.class_id, "n"]), "municipalities",
                                "published_cost_by_class", "municipalities"))
        out.append(checks.rounded(f"mun.class_population.{r.class_id}", topic,
                                  (f"{vocab.class_label(r.class_id, 'en')}: population (thousands)",
                                   f"{r.population_class_ja}：総人口（千人）"),
                                  r.population_thousand_persons, by_class.loc[r.class_id, "pop"] / 1000,
                                  "thousand_persons", 0, "published_cost_by_class", "municipalities"))
    return out


def overview(frame: pd.DataFrame) -> pd.DataFrame:
    """Municipalities by kind (rows) and survey population class (columns), with totals."""
    labels = {c.class_id: c.label_ja for c in vocab.POPULATION_CLASSES}
    out = pd.crosstab(frame["kind"], frame["population_class_id"].map(labels), margins=True, margins_name="計")
    out = out.reindex(index=[*KINDS, "計"], columns=[*labels.values(), "計"], fill_value=0)
    return out.rename_axis(index="kind", columns=None).reset_index()


def joint_share_by_prefecture(frame: pd.DataFrame, as_of=LIST_DATE) -> pd.DataFrame:
    """Per prefecture: municipalities, members of a joint-cloud group on `as_of`, and their share (%).

    Real membership (the 2018-04 group list; before its date the start-year rule applies).
    """
    joint = joint_cloud_as_of(frame, as_of)
    g = frame.assign(joint=joint).groupby("prefecture", sort=False).agg(
        municipalities=("code", "size"), joint_cloud=("joint", "sum"))
    g = g.reindex([p for p in PREFECTURES if p in g.index])
    g["joint_cloud_share_pct"] = 100.0 * g["joint_cloud"] / g["municipalities"]
    return g.reset_index().astype({"municipalities": "int64", "joint_cloud": "int64"})

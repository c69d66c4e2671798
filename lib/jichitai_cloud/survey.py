"""Stage 3, survey: per-municipality IT cost. The contract, a loader for a real file, and the
calibrated simulated survey that is used when no real file is configured.

The survey 「市区町村における情報システム経費の調査結果」 (FY2017 当初予算, 基幹系 + 内部管理系,
整備 + 運用) was published only as aggregates. A researcher who holds the per-municipality
file drops it in (see :func:`configured_input`); everyone else gets the simulated survey. The
code path after loading is the same, and every row says where its cost and status come from:
``reported`` (a real file), ``published`` (fixed by a published figure) or ``simulated``.

The simulated survey's model. Status: a municipality is ``joint`` if the real group list
(2018-04) has it in a group that started before FY2017 (published); the three least-populous
municipalities are ``single`` (published: the survey says so); the other ``single`` are drawn
at random, per population class, among the remaining municipalities so that each class has the
published number of single-cloud municipalities (simulated); the rest are ``none``. Cost: within
population class c, cost per resident is r_i = a(c, s) * (P_i / geomean P_c)^theta_c * exp(sigma
* e_i - sigma^2 / 2) with e_i standard normal, P_i the real population on 2017-01-01 and s the
status. The status effects are assumptions, not estimates: the cell means stand in the ratio
none 1 : joint (1 + joint_effect) : single (1 + single_effect[c]). The scale a and the tilt
theta_c are then solved per class so that the class's simple mean of r (円) and its total
sum(r_i P_i) (億円) equal the published figures; in class 1 the three published outliers are
fixed and the other single-cloud municipalities' mean is pinned at the published 11,266円.

Because the status effects are inputs, any analysis of the simulated survey recovers them (up to
noise): simulated results describe the generator, never municipalities. The generator checks that
its draw satisfies every ordering the document states and fails otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pandera.pandas as pa
from scipy.optimize import brentq

from . import checks, municipalities, paths, published, sources

STATUSES = ("joint", "single", "none")
PROVENANCE = ("reported", "published", "simulated")
SURVEY_ENV = "JICHITAI_CLOUD_SURVEY"
COST_UNIT_ENV = "JICHITAI_CLOUD_SURVEY_COST_UNIT"
DROP_IN_DIR = paths.RAW_DIR / "survey"
STATUS_DATE = "2017-04-01"  # the survey's status basis: its joint total equals the H29.4 adoption count


class SurveyFileError(ValueError):
    """A real survey file that does not meet the contract (file, row and column named)."""


# --- the contract ---------------------------------------------------------------------------------

SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check(lambda s: s.map(municipalities.valid_code), error="valid 6-digit code"),
                          unique=True),
        "population_2017_01_01_persons": pa.Column("int64", pa.Check.gt(0)),
        "it_cost_yen": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "cloud_status": pa.Column(str, pa.Check.isin(STATUSES)),
        "it_cost_provenance": pa.Column(str, pa.Check.isin(PROVENANCE)),
        "cloud_status_provenance": pa.Column(str, pa.Check.isin(PROVENANCE)),
    },
    strict=True, ordered=True,
    checks=pa.Check(lambda d: d["it_cost_yen"].notna() | (d["it_cost_provenance"] == "reported"),
                    error="a cost may be missing only where a real file reports it missing"),
)


def validate(survey: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The contract, plus: exactly the municipalities of the frame."""
    out = SCHEMA.validate(survey)
    missing = sorted(set(frame["code"]) - set(out["code"]))
    extra = sorted(set(out["code"]) - set(frame["code"]))
    if missing or extra:
        raise SurveyFileError(f"survey: {len(missing)} municipalities missing (e.g. {missing[:5]}), "
                              f"{len(extra)} unknown codes (e.g. {extra[:5]})")
    return out


# --- status ---------------------------------------------------------------------------------------

def assign_status(frame: pd.DataFrame, status_counts: pd.DataFrame, outliers: pd.DataFrame,
                  rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Cloud status and its provenance for each municipality (frame order), as the module describes."""
    joint = municipalities.joint_cloud_as_of(frame, STATUS_DATE).to_numpy()
    status = np.where(joint, "joint", "none").astype(object)
    prov = np.where(joint, "published", "simulated").astype(object)
    three = _least_populous(frame, outliers)
    if joint[three].any():
        raise AssertionError("a least-populous municipality is in a joint-cloud group; the survey says single")
    status[three], prov[three] = "single", "published"
    cls = frame["population_class_id"].to_numpy()
    target = status_counts[status_counts["cloud_status"] == "single"].set_index("class_id")["municipalities"]
    for c in sorted(target.index):
        have = int(((cls == c) & (status == "single")).sum())
        pool = np.flatnonzero((cls == c) & (status == "none"))
        need = int(target[c]) - have
        if need < 0 or need > len(pool):
            raise ValueError(f"class {c}: cannot place {target[c]} single-cloud municipalities among {len(pool)}")
        pick = rng.choice(pool, size=need, replace=False)
        status[pick] = "single"
    return status.astype(str), prov.astype(str)


def _least_populous(frame: pd.DataFrame, outliers: pd.DataFrame) -> np.ndarray:
    """Positions of the municipalities the published outlier values belong to (least populous first).

    The document gives the three values 'それぞれ' without naming the municipalities; we
    read them in order of population, least populous first.
    """
    n = int(outliers["item"].str.startswith("least_populous_per_resident_").sum())
    order = np.argsort(frame["population_2017_01_01_persons"].to_numpy(), kind="stable")
    return order[:n]


# --- the simulated survey --------------------------------------------------------------------------

@dataclass(frozen=True)
class GeneratorParams:
    """The simulated survey's assumptions (see the module docstring)."""

    seed: int = 20180330  # the survey's publication date
    sigma: float = 0.30  # sd of log cost per resident around the cell's curve
    joint_effect: float = -0.20  # joint vs none: cell mean cost per resident, same class
    single_effect: dict = field(default_factory=lambda: {1: 0.10, 2: -0.05, 3: -0.05, 4: -0.05, 5: 0.10, 6: 0.10})
    version: str = "1"

    def describe(self) -> str:
        """Two short paragraphs: the model, and these parameter values."""
        above = [c for c, v in sorted(self.single_effect.items()) if v > 0]
        by_value: dict[float, list[int]] = {}
        for c, v in sorted(self.single_effect.items()):
            by_value.setdefault(v, []).append(c)
        single = "; ".join(f"{v:+.0%} in class{'es' if len(cs) > 1 else ''} {', '.join(map(str, cs))}"
                           for v, cs in sorted(by_value.items(), reverse=True))
        return (
            "**Model.** Status: joint where the real group list (2018-04) has the municipality in a group that "
            "started before FY2017; single for the three least-populous municipalities (as the survey states) and, "
            "drawn at random per population class, for as many others as the survey's published single-cloud "
            "counts; none otherwise. Cost per resident within a class is a cell scale × a population tilt × "
            "lognormal noise, with the tilt and scale solved per class so that the class's mean cost per resident "
            "(円) and total cost (億円) equal the published figures; the published outliers and the 11,266円 mean "
            "are fixed in the under-20k class.\n\n"
            f"**Parameters (assumptions, not estimates).** Seed {self.seed}; noise σ = {self.sigma} (log scale); "
            f"joint-cloud municipalities' mean cost per resident {self.joint_effect:+.0%} against no-cloud ones in "
            f"the same class; single cloud against no cloud {single} (the document states single above none in "
            f"classes {', '.join(map(str, above))} only). Any analysis of the simulated survey recovers these inputs; it "
            "says nothing about municipalities."
        )


def simulate(frame: pd.DataFrame, pub: dict, params: GeneratorParams = GeneratorParams()) -> pd.DataFrame:
    """The simulated survey (contract columns), calibrated to the published tables.

    ``pub``: the published tables (``published.tables()``). Deterministic for a given
    seed. Raises ValueError when the draw violates an ordering the document states.
    """
    frame = frame.sort_values("code").reset_index(drop=True)
    cost_by_class = pub["published_cost_by_class"].set_index("class_id")
    outliers = pub["published_survey_outliers"]
    rng = np.random.default_rng(params.seed)
    status, status_prov = assign_status(frame, pub["published_status_counts"], outliers, rng)
    eps = rng.standard_normal(len(frame))
    pop = frame["population_2017_01_01_persons"].to_numpy(dtype=float)
    cls = frame["population_class_id"].to_numpy()
    three = _least_populous(frame, outliers)
    fixed = dict(zip(three, outliers.sort_values("item")["value_yen"].iloc[:len(three)].astype(float)))
    pinned_mean = float(outliers.loc[outliers["item"] == "per_resident_mean_excluding_least_populous_3",
                                     "value_yen"].iloc[0])
    r = np.zeros(len(frame))
    cost_prov = np.full(len(frame), "simulated", dtype=object)
    for i in fixed:
        r[i] = fixed[i]
        cost_prov[i] = "published"
    for c in cost_by_class.index:
        idx = np.flatnonzero(cls == c)
        free = np.array([i for i in idx if i not in fixed])
        rel = {"none": 1.0, "joint": 1.0 + params.joint_effect, "single": 1.0 + params.single_effect[c]}
        mean_target = float(cost_by_class.loc[c, "it_cost_per_resident_mean_yen"])
        total_target = float(cost_by_class.loc[c, "it_cost_total_oku_yen"]) * 1e8
        fixed_here = [i for i in idx if i in fixed]
        fixed_sum = sum(fixed[i] for i in fixed_here)
        fixed_total = sum(fixed[i] * pop[i] for i in fixed_here)
        pinned = (status[free] == "single") if fixed_here else np.zeros(len(free), bool)
        log_p = np.log(pop[free]) - np.log(pop[idx]).mean()

        def per_resident(theta: float) -> np.ndarray:
            h = np.exp(theta * log_p + params.sigma * eps[free] - params.sigma ** 2 / 2)
            base = np.empty(len(free))
            for s, v in rel.items():
                m = status[free] == s
                if m.any():
                    base[m] = h[m] * v / h[m].mean()  # cell means in the ratio of `rel`
            if pinned.any():
                pinned_part = h[pinned] * pinned_mean / h[pinned].mean()
                lam = (len(idx) * mean_target - fixed_sum - pinned_part.sum()) / base[~pinned].sum()
                return np.where(pinned, h * pinned_mean / h[pinned].mean(), base * lam)
            return base * (len(idx) * mean_target - fixed_sum) / base.sum()

        theta = brentq(lambda t: (per_resident(t) * pop[free]).sum() + fixed_total - total_target, -5, 5,
                       xtol=1e-12)
        r[free] = per_resident(theta)
    cost = np.rint(r * pop).astype("int64")
    for i in fixed:  # exact published per-resident figures
        cost[i] = int(round(fixed[i] * pop[i]))
    out = pd.DataFrame({
        "code": frame["code"],
        "population_2017_01_01_persons": frame["population_2017_01_01_persons"].astype("int64"),
        "it_cost_yen": pd.array(cost, dtype="Int64"),
        "cloud_status": status,
        "it_cost_provenance": cost_prov.astype(str),
        "cloud_status_provenance": status_prov,
    })
    failed = [c for c in ordering_checks(out, frame) if not c.ok]
    if failed:
        raise ValueError("the simulated draw violates the document's orderings: "
                         + "; ".join(c.description for c in failed) + " (change GeneratorParams)")
    return validate(out, frame)


# --- a real file ------------------------------------------------------------------------------------

_HEADERS = {
    "code": ("団体コード", "地方公共団体コード", "全国地方公共団体コード", "市区町村コード", "code"),
    "population": ("人口", "住民基本台帳人口", "総人口", "population"),
    "cost": ("情報システム経費", "経費", "it_cost", "cost"),
    "status": ("クラウド導入状況", "導入状況", "クラウド", "状況", "cloud_status", "status"),
}
_UNITS = {"千円": 1000, "thousand_yen": 1000, "thousandyen": 1000, "円": 1, "yen": 1}
_PLACEHOLDERS = {"", "－", "―", "…", "*", "＊", "-", "‐", "—", "ー", "...", "x", "ｘ", "X"}
_STATUS_VALUES = {
    "自治体クラウド": "joint", "joint": "joint",
    "単独クラウド": "single", "single": "single",
    "未導入": "none", "クラウド未導入": "none", "none": "none",
}


def _norm_header(text: object) -> tuple[str, int | None]:
    """A header's field name and the cost unit it states: '情報システム経費（千円）' -> ('情報システム経費', 1000)."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    s = re.sub(r"\s+", "", s)
    unit = None
    m = re.fullmatch(r"(.*?)[\[(](.+?)[\])]", s)
    if m:
        s, u = m.group(1), m.group(2).replace(" ", "_")
        if u not in _UNITS:
            raise KeyError(u)
        unit = _UNITS[u]
    else:
        for u, factor in sorted(_UNITS.items(), key=lambda kv: -len(kv[0])):
            if s.endswith("_" + u) and s[: -len(u) - 1]:
                s, unit = s[: -len(u) - 1], factor
                break
    return s, unit


def _read_rows(path: Path) -> tuple[list[object], list[tuple[int, list[object]]]]:
    """Header and (row number in the file, cells) of a CSV (UTF-8, UTF-8 BOM, CP932) or XLSX file."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            rows = [(i, list(r)) for i, r in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1)]
        finally:
            wb.close()
    elif path.suffix.lower() in (".csv", ".txt"):
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "cp932"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise SurveyFileError(f"{path}: not UTF-8 or CP932 text")
        import csv
        import io
        rows = [(i, r) for i, r in enumerate(csv.reader(io.StringIO(text)), start=1)]
    else:
        raise SurveyFileError(f"{path}: expected a .csv or .xlsx file")
    rows = [(i, r) for i, r in rows if any(str(c).strip() for c in r if c is not None)]
    if not rows:
        raise SurveyFileError(f"{path}: the file is empty")
    return rows[0][1], rows[1:]


def _number(cell: object) -> float | None:
    """A cell as a number: full-width digits, separators, placeholders (None). Raises ValueError."""
    if cell is None:
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return None if pd.isna(cell) else float(cell)
    s = unicodedata.normalize("NFKC", str(cell)).strip()
    if s in {unicodedata.normalize("NFKC", p) for p in _PLACEHOLDERS}:
        return None
    s = re.sub(r"(?<=[0-9])[,、](?=[0-9]{3}(?![0-9]))", "", s).replace(" ", "")
    if not re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", s):
        raise ValueError(s)
    return float(s)


def _code_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return unicodedata.normalize("NFKC", str(cell if cell is not None else "")).strip()


def code_convention(cells: list[object], known: set[str]) -> str:
    """How a file writes its codes, decided for the whole column (a cell alone can be ambiguous:
    '12203' is 012203 without its leading zero, or 12203 without its check digit):
    'six' (6 digits, leading zeros possibly lost) or 'five' (5 digits, no check digit)."""
    texts = [_code_text(c) for c in cells]
    six = sum(t.isdigit() and len(t) <= 6 and t.zfill(6) in known for t in texts)
    five = sum(t.isdigit() and len(t) <= 5 and (t.zfill(5) + str(municipalities.check_digit(t.zfill(5)))) in known
               for t in texts)
    return "six" if six >= five else "five"


def _code(cell: object, known: set[str], convention: str = "six") -> str | None:
    """A municipality code under the file's convention; None when it names no known municipality."""
    s = _code_text(cell)
    if not re.fullmatch(r"[0-9]{4,6}", s):
        return None
    if convention == "six":
        code = s.zfill(6)
    elif len(s) <= 5:
        code = s.zfill(5) + str(municipalities.check_digit(s.zfill(5)))
    else:
        code = s
    return code if code in known and municipalities.valid_code(code) else None


def load_real(path: Path | str, frame: pd.DataFrame, cost_unit: str | None = None,
              pub: dict | None = None) -> pd.DataFrame:
    """A real per-municipality survey file, validated against the contract.

    Accepts CSV (UTF-8, UTF-8 with BOM, CP932) or XLSX; Japanese or English headers
    (団体コード / code, 人口 / population, 情報システム経費 / cost, クラウド導入状況 / status);
    the cost unit (千円 or 円) in the cost header or as ``cost_unit``; full-width digits,
    thousands separators and the placeholders －, ―, …, * for a missing value. Without a
    population column the 住民基本台帳 population of 2017-01-01 is used; without a status
    column the status is assigned as in the simulated survey. Raises SurveyFileError
    listing every problem with its row and column; nothing is written.
    """
    path = Path(path)
    header, rows = _read_rows(path)
    columns: dict[str, int] = {}
    units = {}
    problems = []
    for j, h in enumerate(header):
        try:
            name, unit = _norm_header(h)
        except KeyError as exc:
            problems.append(f"{path}: row 1, column {j + 1} ({h!r}): unknown unit {exc.args[0]!r} "
                            f"(expected 千円 or 円)")
            continue
        for field_name, aliases in _HEADERS.items():
            if name in {unicodedata.normalize("NFKC", a).lower() for a in aliases}:
                if field_name in columns:
                    problems.append(f"{path}: row 1: two columns for {field_name} "
                                    f"({header[columns[field_name]]!r} and {h!r})")
                columns[field_name] = j
                if unit is not None:
                    units[field_name] = unit
    for required in ("code", "cost"):
        if required not in columns:
            problems.append(f"{path}: row 1: no {required} column (expected one of "
                            f"{', '.join(_HEADERS[required])})")
    flag = None
    if cost_unit is not None:
        key = unicodedata.normalize("NFKC", cost_unit).strip().lower().replace(" ", "_")
        if key not in _UNITS:
            problems.append(f"cost unit {cost_unit!r}: expected 千円 or 円")
        else:
            flag = _UNITS[key]
    factor = units.get("cost", flag)
    if "cost" in units and flag is not None and units["cost"] != flag:
        problems.append(f"{path}: row 1: the cost header states {units['cost']}-yen units but the flag says {cost_unit}")
    if factor is None and "cost" in columns:
        problems.append(f"{path}: row 1, column {header[columns['cost']]!r}: the cost unit is not stated; write "
                        f"it in the header (情報システム経費（千円）) or pass --cost-unit 千円|円")
    if problems:
        raise SurveyFileError("\n".join(problems))

    known = set(frame["code"])
    j = columns["code"]
    convention = code_convention([cells[j] if j < len(cells) else None for _, cells in rows], known)
    juki_pop = dict(zip(frame["code"], frame["population_2017_01_01_persons"]))
    seen: dict[str, int] = {}
    records = []
    for rownum, cells in rows:
        def cell(field_name):
            j = columns.get(field_name)
            return cells[j] if j is not None and j < len(cells) else None

        def where(field_name):
            return f"{path}: row {rownum}, column {header[columns[field_name]]!r}"

        code = _code(cell("code"), known, convention)
        if code is None:
            expected = "6 digits with check digit" if convention == "six" else "5 digits without check digit"
            problems.append(f"{where('code')}: {cell('code')!r} is not the code of one of the 1,741 municipalities "
                            f"(this file writes codes as {expected})")
            continue
        if code in seen:
            problems.append(f"{where('code')}: duplicate code {code} (first on row {seen[code]})")
            continue
        seen[code] = rownum
        rec = {"code": code}
        try:
            cost = _number(cell("cost"))
        except ValueError as exc:
            problems.append(f"{where('cost')}: {exc.args[0]!r} is not a number")
            cost = None
        if cost is not None and cost < 0:
            problems.append(f"{where('cost')}: negative cost {cost:g}")
        rec["it_cost_yen"] = None if cost is None else int(round(cost * factor))
        if "population" in columns:
            try:
                p = _number(cell("population"))
            except ValueError as exc:
                problems.append(f"{where('population')}: {exc.args[0]!r} is not a number")
                p = None
            if p is None:
                problems.append(f"{where('population')}: missing population")
            elif p <= 0 or not float(p).is_integer():
                problems.append(f"{where('population')}: population must be a positive whole number, got {p:g}")
            rec["population"] = int(p) if p else None
        else:
            rec["population"] = int(juki_pop[code])
        if "status" in columns:
            raw = unicodedata.normalize("NFKC", str(cell("status") or "")).strip()
            status = _STATUS_VALUES.get(raw, _STATUS_VALUES.get(raw.lower()))
            if status is None:
                problems.append(f"{where('status')}: unknown status {raw!r} (expected 自治体クラウド, "
                                f"単独クラウド or 未導入; joint, single or none)")
            rec["cloud_status"] = status
        records.append(rec)
        if len(problems) >= 50:
            problems.append("… (stopped after 50 problems)")
            break
    missing = sorted(known - set(seen))
    if missing and len(problems) < 50:
        names = frame.set_index("code").loc[missing[:5], ["prefecture", "name"]]
        problems.append(f"{path}: {len(missing)} municipalities missing, e.g. "
                        + ", ".join(f"{c} {p}{n}" for c, (p, n) in zip(names.index, names.to_numpy())))
    if problems:
        raise SurveyFileError("\n".join(problems))
    df = pd.DataFrame(records).set_index("code").loc[sorted(seen)].reset_index()
    if "status" in columns:
        status, status_prov = df["cloud_status"].to_numpy(), np.full(len(df), "reported")
    else:
        pub = pub or published.tables()
        ordered = frame.set_index("code").loc[df["code"]].reset_index()
        status, status_prov = assign_status(ordered, pub["published_status_counts"],
                                            pub["published_survey_outliers"],
                                            np.random.default_rng(GeneratorParams().seed))
    out = pd.DataFrame({
        "code": df["code"].astype(str),
        "population_2017_01_01_persons": df["population"].astype("int64"),
        "it_cost_yen": pd.array(df["it_cost_yen"], dtype="Int64"),
        "cloud_status": np.asarray(status, dtype=str),
        "it_cost_provenance": "reported",
        "cloud_status_provenance": np.asarray(status_prov, dtype=str),
    })
    return validate(out, frame)


# --- which input ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SurveyInput:
    """Where the survey comes from: a real file (and how it was configured) or the generator."""

    path: Path | None
    cost_unit: str | None
    configured_by: str  # 'default (simulated)', '--survey', $JICHITAI_CLOUD_SURVEY, or 'data/raw/survey/'

    @property
    def kind(self) -> str:
        return "simulated" if self.path is None else "reported"


def configured_input(path: str | Path | None = None, cost_unit: str | None = None) -> SurveyInput:
    """The survey input: an explicit path, else $JICHITAI_CLOUD_SURVEY, else the one file in
    data/raw/survey/ (git-ignored), else the simulated survey."""
    unit = cost_unit or os.environ.get(COST_UNIT_ENV) or None
    if path:
        return SurveyInput(Path(path).resolve(), unit, "--survey")
    if os.environ.get(SURVEY_ENV):
        return SurveyInput(Path(os.environ[SURVEY_ENV]).expanduser().resolve(), unit, f"${SURVEY_ENV}")
    if DROP_IN_DIR.is_dir():
        files = sorted(p for p in DROP_IN_DIR.iterdir() if p.suffix.lower() in (".csv", ".xlsx", ".xlsm"))
        if len(files) > 1:
            raise SurveyFileError(f"{DROP_IN_DIR}: {len(files)} survey files ({', '.join(p.name for p in files)}); "
                                  f"keep exactly one")
        if files:
            return SurveyInput(files[0], unit, "data/raw/survey/")
    return SurveyInput(None, None, "default (simulated)")


def build(frame: pd.DataFrame, pub: dict, source: SurveyInput,
          params: GeneratorParams = GeneratorParams()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The survey table and its one-row ``survey_input`` description."""
    if source.path is None:
        table = simulate(frame, pub, params)
        info = {"input": "simulated", "file": "", "sha256": "", "cost_unit": "yen",
                "configured_by": source.configured_by, "generator_version": params.version,
                "generator_params": json.dumps(asdict(params), ensure_ascii=False, sort_keys=True)}
    else:
        if not source.path.is_file():
            raise SurveyFileError(f"{source.path}: no such survey file (configured by {source.configured_by})")
        table = load_real(source.path, frame, source.cost_unit, pub)
        info = {"input": "reported", "file": source.path.name,
                "sha256": hashlib.sha256(source.path.read_bytes()).hexdigest(),
                "cost_unit": source.cost_unit or "stated in the header", "configured_by": source.configured_by,
                "generator_version": "", "generator_params": ""}
    info["rows"] = len(table)
    info["costs_missing"] = int(table["it_cost_yen"].isna().sum())
    return table, pd.DataFrame([info])


INPUT_SCHEMA = pa.DataFrameSchema({
    "input": pa.Column(str, pa.Check.isin(["simulated", "reported"])),
    "file": pa.Column(str), "sha256": pa.Column(str), "cost_unit": pa.Column(str),
    "configured_by": pa.Column(str), "generator_version": pa.Column(str), "generator_params": pa.Column(str),
    "rows": pa.Column("int64"), "costs_missing": pa.Column("int64"),
}, strict=True, ordered=True)


# --- the published tables, recomputed from the microdata ---------------------------------------------

def with_classes(survey: pd.DataFrame) -> pd.DataFrame:
    """Survey rows with class, cost per resident (円) and cost (億円); rows without a cost dropped."""
    df = survey[survey["it_cost_yen"].notna()].copy()
    df["population_class_id"] = df["population_2017_01_01_persons"].map(published.population_class_id)
    df["it_cost_per_resident_yen"] = df["it_cost_yen"].astype(float) / df["population_2017_01_01_persons"]
    df["it_cost_oku_yen"] = df["it_cost_yen"].astype(float) / 1e8
    return df


def by_class(survey: pd.DataFrame) -> pd.DataFrame:
    """The published class table, computed from the survey (same columns, unrounded)."""
    df = with_classes(survey)
    g = df.groupby("population_class_id")
    return pd.DataFrame({
        "it_cost_total_oku_yen": g["it_cost_oku_yen"].sum(),
        "it_cost_per_resident_mean_yen": g["it_cost_per_resident_yen"].mean(),
        "it_cost_per_municipality_oku_yen": g["it_cost_oku_yen"].mean(),
        "municipalities": survey.assign(population_class_id=survey["population_2017_01_01_persons"].map(
            published.population_class_id)).groupby("population_class_id").size(),
        "population_thousand_persons": g["population_2017_01_01_persons"].sum() / 1000,
    }).rename_axis("class_id").reset_index()


def by_class_status(survey: pd.DataFrame) -> pd.DataFrame:
    """Per class and status: municipalities, mean cost per resident (円), mean cost per municipality (億円)."""
    df = with_classes(survey)
    counts = survey.assign(population_class_id=survey["population_2017_01_01_persons"].map(
        published.population_class_id)).groupby(["population_class_id", "cloud_status"]).size()
    out = df.groupby(["population_class_id", "cloud_status"]).agg(
        it_cost_per_resident_mean_yen=("it_cost_per_resident_yen", "mean"),
        it_cost_per_municipality_oku_yen=("it_cost_oku_yen", "mean"))
    out["municipalities"] = counts
    return out.reset_index().rename(columns={"population_class_id": "class_id"})


def ordering_checks(survey: pd.DataFrame, frame: pd.DataFrame | None = None, topic: str = "survey") -> list:
    """The orderings the document states, as checks (stated 1 = true)."""
    cs = by_class_status(survey).set_index(["class_id", "cloud_status"])
    out = []
    src = "published: 調査結果（クラウド導入団体と未導入団体の状況①②）"
    for c in sorted({k[0] for k in cs.index}):
        cell = cs.loc[c]
        for col, what, what_ja in (("it_cost_per_resident_mean_yen", "cost per resident", "住民一人当たり経費"),
                                   ("it_cost_per_municipality_oku_yen", "cost per municipality", "一団体当たり経費")):
            lowest = int(cell[col].idxmin() == "joint") if len(cell) == 3 else 0
            out.append(checks.exact(f"survey.order.{c}.joint_lowest_{'resident' if 'resident' in col else 'municipality'}",
                                    topic, (f"class {c}: joint cloud has the lowest mean {what} (1 = true)",
                                            f"区分{c}：自治体クラウドの{what_ja}の平均が最も低い（1＝真）"),
                                    1, lowest, "boolean", src, "survey"))
        above = c in (1, 5, 6)
        higher = int(cell.loc["single", "it_cost_per_resident_mean_yen"] > cell.loc["none", "it_cost_per_resident_mean_yen"])
        out.append(checks.exact(
            f"survey.order.{c}.single_vs_none", topic,
            (f"class {c}: single cloud {'above' if above else 'not above'} no cloud in mean cost per resident"
             f"{'' if above else ' (implied: the document names classes 1, 5, 6 only)'} (1 = true)",
             f"区分{c}：単独クラウドの住民一人当たり経費の平均が未導入より{'高い' if above else '高くない'}"
             f"{'' if above else '（資料は区分1・5・6のみ高いとする）'}（1＝真）"),
            1, int(higher == above), "boolean", src, "survey"))
    return out


def reconcile(survey: pd.DataFrame, pub: dict, kind: str) -> list[checks.Check]:
    """Does the survey reproduce the published tables? One check per published figure."""
    topic = f"survey ({kind})"
    cost = pub["published_cost_by_class"].set_index("class_id")
    got = by_class(survey).set_index("class_id")
    src = "published_cost_by_class"
    out = []
    for c in cost.index:
        label = cost.loc[c, "population_class_ja"]
        out.append(checks.exact(f"survey.class_count.{c}", topic, (f"{label}: municipalities", f"{label}：団体数"),
                                cost.loc[c, "municipalities"], int(got.loc[c, "municipalities"]), "municipalities",
                                src, "survey"))
        out.append(checks.rounded(f"survey.class_total.{c}", topic, (f"{label}: total cost (億円)", f"{label}：総経費（億円）"),
                                  cost.loc[c, "it_cost_total_oku_yen"], got.loc[c, "it_cost_total_oku_yen"], "oku_yen",
                                  0, src, "survey"))
        out.append(checks.rounded(f"survey.class_mean.{c}", topic,
                                  (f"{label}: mean cost per resident (円)", f"{label}：住民一人当たり経費の平均（円）"),
                                  cost.loc[c, "it_cost_per_resident_mean_yen"], got.loc[c, "it_cost_per_resident_mean_yen"],
                                  "yen", 0, src, "survey"))
        out.append(checks.rounded(f"survey.class_per_municipality.{c}", topic,
                                  (f"{label}: cost per municipality (億円)", f"{label}：一団体当たり経費（億円）"),
                                  cost.loc[c, "it_cost_per_municipality_oku_yen"],
                                  got.loc[c, "it_cost_per_municipality_oku_yen"], "oku_yen", 1, src, "survey"))
    totals = pub["published_survey_totals"].set_index("item")["value"]
    total = survey["it_cost_yen"].sum() / 1e8
    out.append(checks.rounded("survey.national_total", topic, ("national total cost (億円)", "全国の経費合計（億円）"),
                              totals["it_cost_total"], total, "oku_yen", 0, "published_survey_totals", "survey"))
    out.append(checks.rounded("survey.national_per_resident", topic,
                              ("national cost per resident (円)", "全国の住民一人当たり経費（円）"),
                              totals["it_cost_per_resident"],
                              survey["it_cost_yen"].sum() / survey["population_2017_01_01_persons"].sum(),
                              "yen", 0, "published_survey_totals", "survey"))
    st = pub["published_status_counts"].set_index(["class_id", "cloud_status"])["municipalities"]
    cls = survey["population_2017_01_01_persons"].map(published.population_class_id)
    have = survey.groupby([cls, survey["cloud_status"]]).size()
    for (c, s), n in st.items():
        out.append(checks.exact(f"survey.status_count.{c}.{s}", topic,
                                (f"class {c}: {s}-cloud municipalities", f"区分{c}：{_STATUS_JA[s]}の団体数"),
                                n, int(have.get((c, s), 0)), "municipalities", "published_status_counts", "survey"))
    outliers = pub["published_survey_outliers"]
    order = survey.sort_values(["population_2017_01_01_persons", "code"]).reset_index(drop=True)
    for k, r in enumerate(outliers[outliers["item"].str.startswith("least_populous")].itertuples()):
        row = order.iloc[k]
        out.append(checks.exact(f"survey.least_populous.{k + 1}.single", topic,
                                (f"least-populous municipality no. {k + 1} is single cloud (1 = true)",
                                 f"人口数下位{k + 1}位の団体が単独クラウド（1＝真）"),
                                1, int(row["cloud_status"] == "single"), "boolean", "published_survey_outliers", "survey"))
        per = float(row["it_cost_yen"]) / row["population_2017_01_01_persons"] if pd.notna(row["it_cost_yen"]) else np.nan
        out.append(checks.rounded(f"survey.least_populous.{k + 1}.per_resident", topic,
                                  (f"least-populous municipality no. {k + 1}: cost per resident (円)",
                                   f"人口数下位{k + 1}位の団体の住民一人当たり経費（円）"),
                                  r.value_yen, per, "yen", 0, "published_survey_outliers", "survey"))
    n_out = int(outliers["item"].str.startswith("least_populous").sum())
    wc = with_classes(survey)
    rest = wc[(wc["population_class_id"] == 1) & (wc["cloud_status"] == "single")
              & ~wc["code"].isin(order["code"].iloc[:n_out])]
    stated = outliers.loc[outliers["item"] == "per_resident_mean_excluding_least_populous_3", "value_yen"].iloc[0]
    out.append(checks.rounded("survey.single_under_20k_mean_excluding_3", topic,
                              ("２万人未満 single cloud: mean cost per resident without the three (円)",
                               "２万人未満の単独クラウド：下位3団体を除く住民一人当たり経費の平均（円）"),
                              stated, rest["it_cost_per_resident_yen"].mean(), "yen", 0,
                              "published_survey_outliers", "survey"))
    return out + ordering_checks(survey, topic=topic)


_STATUS_JA = {"joint": "自治体クラウド", "single": "単独クラウド", "none": "クラウド未導入"}


def explanations(survey: pd.DataFrame) -> dict:
    """Sentences for the status-count mismatches that follow from taking joint status from the list.

    Only where the status did come from the list (not from a real file's status column).
    """
    if (survey["cloud_status_provenance"] == "reported").any():
        return {}
    out = {}
    sentence = (
        "Joint status comes from the real group list, which overstates joint membership at 2017-04 (see "
        "groups.joint_as_of_2017_04); single-cloud counts are matched exactly, so no-cloud counts fall short by "
        "the same number.",
        "自治体クラウドの別は実在のグループ一覧によるため平成29年4月時点の団体数を過大に数え（groups.joint_as_of_2017_04 "
        "参照）、単独クラウドの団体数は公表値どおりとしたため、その分だけ未導入の団体数が少なくなる。")
    for c in range(1, 7):
        for s in ("joint", "none"):
            out[f"survey.status_count.{c}.{s}"] = sentence
    return out


# --- saying which input ------------------------------------------------------------------------------

def label(info: pd.DataFrame | pd.Series, lang: str = "ja", short: bool = False) -> str:
    """What every survey-based number must say: simulated or reported (and from which file).

    ``info``: the ``survey_input`` table (or its row). ``short`` for figure titles.
    """
    row = info.iloc[0] if isinstance(info, pd.DataFrame) else info
    simulated = row["input"] == "simulated"
    if short:
        if lang == "ja":
            return "［シミュレーション］" if simulated else "［実データ］"
        return "[simulated]" if simulated else "[reported]"
    if lang == "ja":
        if simulated:
            return ("**市区町村別の経費：シミュレーション。** 実データは公表されていないため、公表された集計値を再現するよう"
                    "較正した模擬データを用いる。模擬データによる数値は生成モデルの仮定を表すもので、市区町村についての"
                    "所見ではない。")
        return (f"**市区町村別の経費：実データ**（ファイル {row['file']}、sha256 {row['sha256'][:12]}…、"
                f"{row['configured_by']} で指定）。")
    if simulated:
        return ("**Per-municipality costs: SIMULATED.** No real per-municipality file is configured, so the survey is "
                "a simulation calibrated to reproduce the published aggregates. Numbers computed from it describe the "
                "generator's assumptions, not municipalities.")
    return (f"**Per-municipality costs: REPORTED** (file {row['file']}, sha256 {row['sha256'][:12]}…, configured by "
            f"{row['configured_by']}).")


def describe_input(info: pd.DataFrame) -> str:
    """The input's label and, for the simulated survey, the generator's model and parameters."""
    row = info.iloc[0]
    text = label(info, "en")
    if row["input"] == "simulated":
        params = json.loads(row["generator_params"])
        params["single_effect"] = {int(k): v for k, v in params["single_effect"].items()}
        text += "\n\n" + GeneratorParams(**params).describe()
    return text


def comparison_by_class(survey: pd.DataFrame, pub: dict) -> pd.DataFrame:
    """The published class figures beside the same figures computed from the survey."""
    got = by_class(survey).set_index("class_id")
    cost = pub["published_cost_by_class"].set_index("class_id")
    return pd.DataFrame({
        "population_class_ja": cost["population_class_ja"],
        "published_total_oku_yen": cost["it_cost_total_oku_yen"],
        "survey_total_oku_yen": got["it_cost_total_oku_yen"].round(2),
        "published_mean_yen": cost["it_cost_per_resident_mean_yen"],
        "survey_mean_yen": got["it_cost_per_resident_mean_yen"].round(2),
    }).reset_index()


def caption(info: pd.DataFrame, lang: str = "ja") -> str:
    """A figure caption for survey-based charts: what the points are and where they come from."""
    row = info.iloc[0]
    if row["input"] == "simulated":
        if lang == "ja":
            return ("［シミュレーション］総務省「自治体クラウドの導入促進の取組」の公表集計値に合わせて較正した模擬データ。"
                    "人口：住民基本台帳（平成29年1月1日）、自治体クラウドの別：同資料のグループ一覧（平成30年4月）。")
        return ("[simulated] Data simulated to match the aggregates published by MIC; population: 住民基本台帳 "
                "(2017-01-01); joint cloud: the document's group list (2018-04).")
    if lang == "ja":
        return f"［実データ］{row['file']}（sha256 {row['sha256'][:12]}…）。人口：住民基本台帳（平成29年1月1日）。"
    return f"[reported] {row['file']} (sha256 {row['sha256'][:12]}…); population: 住民基本台帳 (2017-01-01)."

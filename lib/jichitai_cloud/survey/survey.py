"""Stage 3, survey: per-municipality IT cost. The contract, a loader for a real file, and the
calibrated simulated survey that is used when no real file is configured.

The survey 「市区町村における情報システム経費の調査結果」 (FY2017 当初予算, 基幹系 + 内部管理系,
整備 + 運用) was published only as aggregates. A researcher who holds the per-municipality
file drops it in (see :func:`configured_input`); everyone else gets the simulated survey. The
code path after loading is the same, and every row says where its cost and status come from:
``reported`` (a real file), ``published`` (fixed by a published figure) or ``simulated``.

The simulated survey's model. Status: a municipality is ``joint`` if the real group list
(2018-04) has it in a group that started before FY2017 (derived from the published list); the
three least-populous municipalities are ``single`` (published: the survey says so); the other
``single`` are drawn at random, per population class, among the remaining municipalities so that
each class has the published number of single-cloud municipalities (simulated); the rest are
``none``. Cost per resident: r_i = exp(f(log P_i)) * m(status_i) * exp(sigma * e_i - sigma^2 / 2),
with P_i the real population on 2017-01-01, e_i standard normal, m = 1 for none, 1 + joint_effect
for joint and 1 + single_effect[c] for single in class c: status effects are ratios at equal
population and are assumptions, not estimates. f is one smooth curve in log population (a natural
cubic spline with knots at the class boundaries and two inside each class, continued linearly
beyond the outer knots), chosen as the least curved curve (integral of f''^2) for which every
class's simple mean of r (円) and total sum(r_i P_i) (億円) equal the published figures. In the
under-20k class the three published outlier values are fixed (to the three least-populous
municipalities in order of population, an assumption) and the single-cloud multiplier is solved
so that the other single-cloud municipalities' mean is the published 11,266円.

Because the status effects are inputs, any analysis of the simulated survey recovers them (up to
noise): simulated results describe the generator, never municipalities. The published figures are
reproduced by construction, so the reconciliation's survey checks verify the calibration, not
data. The survey is drawn conditional on the orderings the document states: a draw that contradicts
one is discarded and the next draw of the seed's stream is used (the draw used is recorded). The extracted text also carries four chart labels (9,820; 3,217; 3,266; 3,561) whose
bars cannot be identified; they are not used.
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
import pandas as pd

from jichitai_cloud.analysis import checks
from jichitai_cloud.clean import municipalities, published
from jichitai_cloud import paths
from jichitai_cloud.io import sources
from jichitai_cloud.registry import vocab
from jichitai_cloud.registry.metadata import LazySchema
from jichitai_cloud.errors import SurveyFileError, OrderingError

STATUSES = ("joint", "single", "none")
NOT_JOINT = "not_joint"  # single or none, unknown which: a real file without a status column
# reported: from a real file; published: a published figure; derived: computed from published
# sources by a stated rule or assumption; simulated: drawn by the generator.
PROVENANCE = ("reported", "published", "derived", "simulated")
SURVEY_ENV = "JICHITAI_CLOUD_SURVEY"
COST_UNIT_ENV = "JICHITAI_CLOUD_SURVEY_COST_UNIT"
DROP_IN_DIR = paths.RAW_DIR / "survey"
STATUS_DATE = "2017-04-01"  # the survey's status basis: its joint total equals the H29.4 adoption count


# --- the contract ---------------------------------------------------------------------------------

SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check(lambda s: s.map(municipalities.valid_code), error="valid 6-digit code"),
                          unique=True),
        "population_2017_01_01_persons": pa.Column("int64", pa.Check.gt(0)),
        "it_cost_yen": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "cloud_status": pa.Column(str, pa.Check.isin(STATUSES + (NOT_JOINT,))),
        "it_cost_provenance": pa.Column(str, pa.Check.isin(PROVENANCE)),
        "cloud_status_provenance": pa.Column(str, pa.Check.isin(PROVENANCE)),
    },
    strict=True, ordered=True,
    checks=pa.Check(lambda d: d["it_cost_yen"].notna() | (d["it_cost_provenance"] == "reported"),
                    error="a cost may be missing only where a real file reports it missing"),
))


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
    # Joint is derived from the published list by the start-year rule (which overstates 2017-04).
    prov = np.where(joint, "derived", "simulated").astype(object)
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
    """The simulated survey's assumptions (see the module docstring). All are inputs, not estimates."""

    seed: int = 20180330  # the survey's publication date
    sigma: float = 0.30  # sd of a municipality's log cost per resident around the curve, at the mean log population
    sigma_slope: float = -0.10  # change of that sd per unit of log population: smaller municipalities vary more
    tau_prefecture: float = 0.10  # sd of a prefecture effect on log cost, shared by its municipalities
    tau_group: float = 0.10  # sd of a joint-cloud group effect on log cost, shared by the group's members
    joint_effect: float = -0.20  # joint vs none at equal population, on the mean cost per resident
    # single vs none at equal population, by class; class 1 is solved from the published 11,266円 instead.
    single_effect: dict = field(default_factory=lambda: {2: -0.05, 3: -0.05, 4: -0.05, 5: 0.10, 6: 0.10})
    # Calibrate the under-20k joint-cloud mean to the chart label the evidence assigns to that cell
    # (9,820円, inferred: see evidence_label_assignments) when the assignment is unique; the joint effect
    # then applies to classes 2-6, and class 1's joint multiplier is solved.
    pin_inferred_label: bool = True
    version: str = "4"

    def describe(self) -> str:
        """Two short paragraphs: the model, and these parameter values."""
        by_value: dict[float, list[int]] = {}
        for c, v in sorted(self.single_effect.items()):
            by_value.setdefault(v, []).append(c)
        single = "; ".join(f"{v:+.0%} in class{'es' if len(cs) > 1 else ''} {', '.join(map(str, cs))}"
                           for v, cs in sorted(by_value.items(), reverse=True))
        return (
            "**Model.** Status: joint where the real group list (2018-04) has the municipality in a group that "
            "started before FY2017; single for the three least-populous municipalities (as the survey states) and, "
            "drawn at random per population class, for as many others as the survey's published single-cloud "
            "counts; none otherwise. Cost per resident = a smooth curve in log population × a status multiplier × "
            "a prefecture effect × a group effect (joint members) × municipal noise, all lognormal with mean 1; the "
            "curve is the least curved one for which each class's mean cost per resident (円) and total cost (億円) "
            "equal the published figures. In the under-20k class the three published outliers are fixed and the "
            "single-cloud multiplier is solved to give the published 11,266円 mean.\n\n"
            f"**Parameters (assumptions, not estimates).** Seed {self.seed}; municipal noise σ = {self.sigma} (log "
            f"scale) at the mean log population, multiplied by exp({self.sigma_slope:+.2f}) per unit of log "
            f"population; "
            f"prefecture effects sd {self.tau_prefecture}; group effects sd {self.tau_group}; joint cloud "
            f"{self.joint_effect:+.0%} against no cloud at equal population"
            f"{' in classes 2-6 (under 20k: solved so that the joint-cloud mean equals the chart label the evidence infers for that cell, 9,820円, when that assignment is unique)' if self.pin_inferred_label else ''}; "
            f"single cloud {single} (class 1 solved from the published mean). The published figures are met by "
            "construction. Any analysis of the simulated survey recovers these inputs; it says nothing about "
            "municipalities."
        )

    def sigmas(self, x: np.ndarray) -> np.ndarray:
        """Each municipality's noise sd from its log population (heteroskedasticity)."""
        return self.sigma * np.exp(self.sigma_slope * (x - x.mean()))

    def log_noise(self, frame: pd.DataFrame, joint: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """log of the mean-one noise multiplier of each municipality (frame order): a prefecture effect, a
        group effect for joint members, and heteroskedastic municipal noise, each lognormal with mean 1."""
        x = np.log(frame["population_2017_01_01_persons"].to_numpy(float))
        pref = pd.factorize(frame["prefecture"])[0]
        group = frame["joint_cloud_group_id"].astype("Int64").fillna(0).to_numpy(int)
        u = rng.normal(0.0, self.tau_prefecture, pref.max() + 1)[pref]
        v = rng.normal(0.0, self.tau_group, group.max() + 1)[group] * joint
        sig = self.sigmas(x)
        return (u + v + sig * rng.standard_normal(len(frame))
                - (self.tau_prefecture ** 2 + self.tau_group ** 2 * joint + sig ** 2) / 2)


def _spline_basis(knots: np.ndarray, x: np.ndarray, derivative: int = 0) -> np.ndarray:
    """Basis of the natural cubic spline through ``knots`` (one column per knot value), continued
    linearly beyond the outer knots (as a natural spline's zero curvature there implies)."""
    from scipy.interpolate import CubicSpline

    cols = []
    for j in range(len(knots)):
        cs = CubicSpline(knots, np.eye(len(knots))[j], bc_type="natural")
        y = np.asarray(cs(x, derivative), dtype=float)
        if derivative == 0:
            lo, hi = x < knots[0], x > knots[-1]
            y[lo] = cs(knots[0]) + cs(knots[0], 1) * (x[lo] - knots[0])
            y[hi] = cs(knots[-1]) + cs(knots[-1], 1) * (x[hi] - knots[-1])
        cols.append(y)
    return np.column_stack(cols)


MAX_DRAWS = 100


def simulate(frame: pd.DataFrame, pub: dict, params: GeneratorParams = GeneratorParams()) -> pd.DataFrame:
    """The simulated survey (contract columns), calibrated to the published tables.

    ``pub``: the published tables (``published.tables()``). The survey is drawn
    conditional on the orderings the document states: draw k uses the random stream
    ``[seed, k]``, k = 0, 1, ... until a draw satisfies them (``.attrs["draw"]`` records
    k). Deterministic for a given seed. Raises ValueError when the calibration fails or
    no draw of the first MAX_DRAWS satisfies the orderings.
    """
    frame = frame.sort_values("code").reset_index(drop=True)
    setup = CurveSetup.of(frame, pub)
    failures = []
    for k in range(MAX_DRAWS):
        try:
            out = _simulate_draw(frame, pub, params, np.random.default_rng([params.seed, k]), setup)
        except OrderingError as exc:
            failures.append(str(exc))
            continue
        out.attrs["draw"] = k
        return out
    raise ValueError(f"no draw of {MAX_DRAWS} satisfies the document's orderings with these parameters (first "
                     f"failure: {failures[0]}); the status effects contradict the document (change GeneratorParams)")


def inferred_small_joint(tables: dict) -> float | None:
    """The under-20k joint-cloud mean (円) the evidence infers from the chart label (9,820), when the
    assignment is unique under the plausibility floor (reading without_3); None without evidence tables."""
    a = tables.get("evidence_label_assignments")
    if a is None:
        return None
    row = a[(a["reading"] == "without_3") & a["inferred"] & (a["class_id"] == 1) & (a["cloud_status"] == "joint")]
    return float(row["value_yen"].iloc[0]) if len(row) == 1 and a[(a["reading"] == "without_3")
                                                                   & a["inferred"]].shape[0] == 1 else None


@dataclass(frozen=True)
class CurveSetup:
    """What every calibration of the curve shares: the spline basis on the real populations, the
    curvature penalty, the published targets, the three fixed outliers (positions and 円)."""

    pop: np.ndarray
    cls: np.ndarray
    classes: tuple
    basis: np.ndarray
    curvature: np.ndarray
    step: float
    mean_target: np.ndarray  # log of the published class means (円)
    total_target: np.ndarray  # log of the published class totals (円)
    start: np.ndarray
    fixed: dict  # position -> 円 per resident (the published outliers)
    pinned_mean: float  # 円: the published under-20k single-cloud mean without the outliers
    pinned_joint: float | None = None  # 円: the under-20k joint-cloud mean, where the evidence infers it

    @classmethod
    def of(cls_, frame: pd.DataFrame, pub: dict) -> CurveSetup:
        cost_by_class = pub["published_cost_by_class"].set_index("class_id")
        outliers = pub["published_survey_outliers"]
        pop = frame["population_2017_01_01_persons"].to_numpy(dtype=float)
        x = np.log(pop)
        cls = frame["population_class_id"].to_numpy()
        three = _least_populous(frame, outliers)
        fixed = dict(zip(three, outliers.sort_values("item")["value_yen"].iloc[:len(three)].astype(float)))
        pinned = float(outliers.loc[outliers["item"] == "per_resident_mean_excluding_least_populous_3",
                                    "value_yen"].iloc[0])
        classes = tuple(cost_by_class.index)
        bounds = np.log([c.upper_persons for c in published.POPULATION_CLASSES if c.upper_persons])
        inner = [np.quantile(x[cls == c], q) for c in classes for q in (1 / 3, 2 / 3)]
        knots = np.sort(np.concatenate([bounds, inner]))
        grid = np.linspace(knots[0], knots[-1], 400)
        mean_target = np.log(cost_by_class["it_cost_per_resident_mean_yen"].to_numpy(float))
        mean_pop = np.log(cost_by_class["population_thousand_persons"] * 1000.0 / cost_by_class["municipalities"])
        return cls_(pop, cls, classes, _spline_basis(knots, x), _spline_basis(knots, grid, derivative=2),
                    float(grid[1] - grid[0]), mean_target,
                    np.log(cost_by_class["it_cost_total_oku_yen"].to_numpy(float) * 1e8),
                    np.concatenate([np.interp(knots, mean_pop, mean_target), [0.0]]), fixed, pinned,
                    inferred_small_joint(pub))

    def calibrate(self, mult: np.ndarray, noise: np.ndarray, solved: np.ndarray,
                  solved_share: np.ndarray | None = None,
                  solved_joint: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The least curved curve (and the solved under-20k single-cloud multiplier) for which every class's
        mean cost per resident and total equal the published figures, and the single-cloud mean without the
        outliers equals 11,266円. Returns (theta: the curve's coefficients, then the log single-cloud
        multiplier, then, with ``solved_joint``, the log joint-cloud multiplier; cost per resident).

        ``solved``: municipalities whose multiplier is solved; ``solved_share``: in expectation, the
        probability each of them is single (1 for a draw, where ``solved`` marks the single ones).
        ``solved_joint``: the under-20k joint-cloud municipalities, whose multiplier is solved so that
        their mean equals ``pinned_joint``.
        """
        from scipy.optimize import least_squares, minimize

        share = np.where(solved, 1.0, 0.0) if solved_share is None else solved_share
        pin_joint = solved_joint is not None and self.pinned_joint is not None and solved_joint.any()
        extra = 2 if pin_joint else 1  # solved multipliers after the curve's coefficients

        def per_resident(theta):
            m = mult.copy()
            m[solved] = share[solved] * np.exp(theta[-extra]) + (1 - share[solved]) * mult[solved]
            if pin_joint:
                m[solved_joint] = np.exp(theta[-1])
            r = np.exp(self.basis @ theta[:-extra]) * m * noise
            for i, v in self.fixed.items():
                r[i] = v
            return r

        def gaps(theta):
            r = per_resident(theta)
            out = []
            for k, c in enumerate(self.classes):
                idx = self.cls == c
                out += [np.log(r[idx].mean()) - self.mean_target[k],
                        np.log((r[idx] * self.pop[idx]).sum()) - self.total_target[k]]
            base = np.exp(self.basis[solved] @ theta[:-extra]) * noise[solved]
            single_mean = (share[solved] * base).sum() / share[solved].sum() * np.exp(theta[-extra])
            out.append(np.log(single_mean) - np.log(self.pinned_mean))
            if pin_joint:
                out.append(np.log(r[solved_joint].mean()) - np.log(self.pinned_joint))
            return np.array(out)

        start = self.start if not pin_joint else np.concatenate([self.start, [np.log(mult[solved_joint].mean())]])

        def solve(start):
            return minimize(lambda t: float(((self.curvature @ t[:-extra]) ** 2).sum() * self.step), start,
                            constraints=[{"type": "eq", "fun": gaps}], method="SLSQP",
                            options={"maxiter": 1000, "ftol": 1e-15})

        res = solve(start)
        if not res.success or np.abs(gaps(res.x)).max() > 1e-9:
            # SLSQP can stall on a rank-deficient step from the default start: start again from a point
            # that already meets the constraints (least squares on the gaps).
            res = solve(least_squares(gaps, start).x)
        if not res.success or np.abs(gaps(res.x)).max() > 1e-9:
            raise ValueError(f"the simulated survey's calibration failed: {res.message}")
        return res.x, per_resident(res.x)


def status_multipliers(status: np.ndarray, cls: np.ndarray, params: GeneratorParams) -> np.ndarray:
    """The status multiplier of each municipality: 1 for none, 1 + effect for joint and single."""
    mult = np.ones(len(status))
    mult[status == "joint"] = 1 + params.joint_effect
    for c, effect in params.single_effect.items():
        mult[(status == "single") & (cls == c)] = 1 + effect
    return mult


def _simulate_draw(frame: pd.DataFrame, pub: dict, params: GeneratorParams, rng: np.random.Generator,
                   setup: CurveSetup | None = None) -> pd.DataFrame:
    """One draw of the simulated survey; OrderingError if it contradicts the document's orderings."""
    setup = setup or CurveSetup.of(frame, pub)
    status, status_prov = assign_status(frame, pub["published_status_counts"], pub["published_survey_outliers"], rng)
    noise = np.exp(params.log_noise(frame, status == "joint", rng))
    is_fixed = np.zeros(len(frame), bool)
    is_fixed[list(setup.fixed)] = True
    solved = (setup.cls == 1) & (status == "single") & ~is_fixed
    solved_joint = (setup.cls == 1) & (status == "joint") if params.pin_inferred_label else None
    _, r = setup.calibrate(status_multipliers(status, setup.cls, params), noise, solved, solved_joint=solved_joint)
    pop = setup.pop
    cost = np.rint(r * pop).astype("int64")
    for i, v in setup.fixed.items():  # exact published per-resident figures
        cost[i] = int(round(v * pop[i]))
    cost_prov = np.full(len(frame), "simulated", dtype=object)
    cost_prov[list(setup.fixed)] = "derived"  # published values; which village has which is our reading of 'それぞれ'
    out = pd.DataFrame({
        "code": frame["code"],
        "population_2017_01_01_persons": frame["population_2017_01_01_persons"].astype("int64"),
        "it_cost_yen": pd.array(cost, dtype="Int64"),
        "cloud_status": status,
        "it_cost_provenance": cost_prov.astype(str),
        "cloud_status_provenance": status_prov,
    })
    failed = [c for c in ordering_checks(out, pub["published_survey_orderings"], excluded=len(setup.fixed))
              if not c.ok]
    if failed:
        raise OrderingError("; ".join(c.description for c in failed))
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
    "自治体クラウド": "joint", "自治体クラウド導入団体": "joint", "joint": "joint",
    "単独クラウド": "single", "単独クラウド導入団体": "single", "single": "single",
    "未導入": "none", "クラウド未導入": "none", "クラウド未導入団体": "none", "未導入団体": "none", "none": "none",
}
_BRACKETED = re.compile(r"^(.*?)\s*[(\[【［〔]\s*(?:単位\s*[:：]\s*)?(.+?)\s*[)\]】］〕]$")
HEADER_SEARCH_ROWS = 10
# Plausibility bounds for a real file (a unit or basis error, not a real difference, lies outside them).
MAX_MISSING_COST_SHARE = 0.5
PER_RESIDENT_RATIO = (0.2, 5.0)  # file's national cost per resident / the published 3,742円
POPULATION_TOLERANCE = 0.05  # a row's population within ±5% of the 住民基本台帳 of 2017-01-01
MAX_POPULATION_OFF_SHARE = 0.10  # ... for at least 90% of the rows
MAX_COST_YEN = 10 ** 13  # 10兆円: more than any municipality's whole budget
# Per row: cost per resident within [a tenth of the lowest published class mean (3,096円, 10～20万人),
# the largest published figure (583,313円, the least populous municipality)]. A unit slip of 1,000×
# in one row lands far outside; a real value outside needs --accept-outlier CODE.
FLOOR_SHARE_OF_LOWEST_CLASS_MEAN = 0.1
ACCEPT_OUTLIERS_ENV = "JICHITAI_CLOUD_SURVEY_ACCEPT_OUTLIERS"
# Reading is bounded: the real file has 1,741 rows (well under 1 MB); anything far larger is not it.
MAX_FILE_BYTES = 20 * 1024 * 1024  # refused before parsing
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # the workbook's XML, unpacked (a zip bomb stops here)
MAX_ROWS = 10_000  # non-empty rows
MAX_COLUMNS = 200  # cells read per row
MAX_RECORD_LINES = 10  # a CSV record (a quoted cell) spanning more lines has lost a closing quote


def per_resident_bounds(pub: dict) -> tuple[float, float]:
    """(floor, ceiling) of a plausible cost per resident (円), from the published figures (see above)."""
    outliers = pub["published_survey_outliers"]
    ceiling = float(outliers.loc[outliers["item"].str.startswith("least_populous"), "value_yen"].max())
    floor = float(pub["published_cost_by_class"]["it_cost_per_resident_mean_yen"].min()) * FLOOR_SHARE_OF_LOWEST_CLASS_MEAN
    return floor, ceiling


def _as_written(cell: object) -> str:
    """A cell's value as the file shows it (no reformatting: ▲1,234,567 stays ▲1,234,567)."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip() if cell is not None else ""


def _norm_header(text: object) -> tuple[str, str | None]:
    """A header's field name and unit text: '情報システム経費（単位：千円）' -> ('情報システム経費', '千円').

    Units are read only from the cost column (see load_real); other columns' bracketed
    notes ('人口（人）', '団体コード（6桁）') are simply dropped.
    """
    s = unicodedata.normalize("NFKC", str(text or "")).strip()
    m = _BRACKETED.match(s)
    unit = None
    if m:
        s, unit = m.group(1), m.group(2)
    s = re.sub(r"\s+", "", s).lower()
    if unit is None:
        for u in sorted(_UNITS, key=len, reverse=True):
            if s.endswith("_" + u) and s[: -len(u) - 1]:
                s, unit = s[: -len(u) - 1], u
                break
    return s, (unit.replace(" ", "_").lower() if unit else None)


def _field_of(name: str) -> str | None:
    for field_name, aliases in _HEADERS.items():
        if name in {unicodedata.normalize("NFKC", a).lower() for a in aliases}:
            return field_name
    return None


@dataclass
class _Sheet:
    """What was read from a survey file: its non-empty rows (number in the file, cells) and where from."""

    rows: list[tuple[int, list[object]]]
    where: str = ""  # for an XLSX file: which sheet was read, among which
    sheet: str = ""  # for an XLSX file: the name of the sheet read
    formulas: dict = field(default_factory=dict)  # (row, column index) -> a formula without a saved value


SHEET_ENV = "JICHITAI_CLOUD_SURVEY_SHEET"
_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv")


def _read_input(path: Path, shown: str) -> bytes:
    """The file's bytes: a regular file with a survey file's suffix, within MAX_FILE_BYTES (its stated size
    checked before reading, the bytes read counted while reading). One line for anything else."""
    from jichitai_cloud.io.userfiles import UserPathError, check_regular, read_regular

    folder_hint = "; give the survey file itself (.csv, .tsv, .txt or .xlsx)"
    too_large = (f"over {MAX_FILE_BYTES // 2 ** 20} MB; survey files over {MAX_FILE_BYTES // 2 ** 20} MB are refused "
                 f"(the survey has one row per municipality, 1,741 rows, well under 1 MB)")
    try:
        size = check_regular(path, "the survey file", folder_hint).st_size
        if path.suffix.lower() not in _SUFFIXES:
            hint = " (save it as .xlsx from Excel)" if path.suffix.lower() == ".xls" else ""
            raise SurveyFileError(f"{shown}: expected a .csv, .tsv, .txt or .xlsx file{hint}")
        if size > MAX_FILE_BYTES:
            raise SurveyFileError(f"{shown}: {size / 2 ** 20:,.1f} MB; survey files over {MAX_FILE_BYTES // 2 ** 20} "
                                  f"MB are refused unread (the survey has one row per municipality, 1,741 rows, well "
                                  f"under 1 MB)")
        return read_regular(path, MAX_FILE_BYTES, "the survey file", folder_hint, too_large)
    except UserPathError as exc:
        raise SurveyFileError(str(exc)) from None


def _too_many_rows(path: str) -> SurveyFileError:
    return SurveyFileError(f"{path}: more than {MAX_ROWS:,} non-empty rows; the survey has one row per municipality "
                           f"(1,741): is this the right file?")


def _is_text(head: bytes) -> bool:
    """Whether the first bytes of a file read as UTF-8 or CP932 text (a cut character at the end allowed)."""
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp932"):
        try:
            head[:-4].decode(encoding) if len(head) == 4096 else head.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _has_header(cells) -> bool:
    return {"code", "cost"} <= {_field_of(_norm_header(c)[0]) for c in cells}


def _looks_like_survey(ws) -> bool:
    """Whether a sheet has a header row naming a code and a cost column among its first non-empty rows."""
    seen = 0
    for r in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        if any(str(c).strip() for c in r if c is not None):
            if _has_header(r):
                return True
            seen += 1
            if seen >= HEADER_SEARCH_ROWS:
                return False
    return False


def _choose_sheet(path: str, wb, wanted: str | None) -> tuple[str, str]:
    """The sheet to read and how it was chosen (see README: which sheet of an XLSX file is read).

    ``wanted`` (--sheet or $JICHITAI_CLOUD_SURVEY_SHEET) chooses any sheet, hidden or not. Otherwise a
    hidden sheet is never read, and among the visible sheets the one whose first rows name a code and
    a cost column is: none or several such sheets are refused (the choice would be a guess)."""
    names = list(wb.sheetnames)
    state = {ws.title: ws.sheet_state for ws in wb.worksheets}
    listed = ", ".join(repr(n) + ("" if state.get(n) == "visible" else f" ({state.get(n, 'chart')})") for n in names)
    if wanted is not None:
        if wanted not in names:
            raise SurveyFileError(f"{path}: no sheet {wanted!r}; the sheets are {listed}")
        if wanted not in state:
            raise SurveyFileError(f"{path}: sheet {wanted!r} is a chart, not a worksheet; the sheets are {listed}")
        return wanted, f"sheet {wanted!r} (chosen with --sheet)"
    visible = [n for n in names if state.get(n) == "visible"]
    hidden = [n for n in names if n in state and state[n] != "visible"]
    skipped = f"; hidden sheets are not read: {', '.join(map(repr, hidden))}" if hidden else ""
    if len(visible) == 1 and len(names) == 1:
        return visible[0], f"sheet {visible[0]!r}"
    candidates = [n for n in visible if _looks_like_survey(wb[n])]
    if len(candidates) == 1:
        others = len(names) - 1
        return candidates[0], (f"sheet {candidates[0]!r}, the only visible sheet with a header row naming a code and "
                               f"a cost column ({others} other sheet{'s' if others > 1 else ''}{skipped})")
    choose = "; choose one with --sheet NAME (or $" + SHEET_ENV + ")"
    if not candidates:
        if not visible:
            raise SurveyFileError(f"{path}: every sheet is hidden ({listed}); a hidden sheet is read only when "
                                  f"chosen{choose}")
        raise SurveyFileError(
            f"{path}: no visible sheet has a header row naming a code column ({', '.join(_HEADERS['code'])}) and a "
            f"cost column ({', '.join(_HEADERS['cost'])}) within its first {HEADER_SEARCH_ROWS} non-empty rows; the "
            f"sheets are {listed}{choose}")
    raise SurveyFileError(f"{path}: {len(candidates)} visible sheets have a survey header row "
                          f"({', '.join(map(repr, candidates))}): which one is the survey is ambiguous{choose}")


def _sheet_rows(path: str, values, formulas) -> tuple[list, dict]:
    """The non-empty rows of a sheet (values as Excel last saved them), and the cells holding a formula
    whose value was never saved (a file written by a program, not saved by Excel): they read as empty."""
    rows, missing = [], {}
    for i, (r, cells) in enumerate(zip(values, formulas), start=1):
        blank = {j: c.value for j, c in enumerate(cells)
                 if getattr(c, "data_type", None) == "f" and (j >= len(r) or r[j] is None)}
        if blank or any(str(c).strip() for c in r if c is not None):
            rows.append((i, list(r)))
            missing.update({(i, j): str(v) for j, v in blank.items()})
            if len(rows) > MAX_ROWS:
                raise _too_many_rows(path)
    return rows, missing


def _read_xlsx(path: str, data: bytes, wanted: str | None = None) -> _Sheet:
    """The chosen sheet of an XLSX workbook (see :func:`_choose_sheet`), from its bytes. A damaged workbook
    (not a zip, a broken zip member, XML cut short) is one line."""
    import io
    import zipfile

    if not data.startswith(b"PK\x03\x04"):
        looks = " (it looks like text: a CSV file named .xlsx? rename it to .csv)" if _is_text(data[:4096]) else ""
        raise SurveyFileError(f"{path}: not an XLSX workbook{looks}")
    damaged = "; open it in Excel and save it again as .xlsx"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
        if unpacked > MAX_XLSX_UNCOMPRESSED_BYTES:
            raise SurveyFileError(f"{path}: the workbook unpacks to {unpacked / 2 ** 20:,.0f} MB; workbooks over "
                                  f"{MAX_XLSX_UNCOMPRESSED_BYTES // 2 ** 20} MB unpacked are refused unread")
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        wf = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except SurveyFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure to parse an untrusted workbook is the file's
        raise SurveyFileError(f"{path}: not a readable XLSX workbook ({type(exc).__name__}: "
                              f"{str(exc).splitlines()[0] if str(exc) else ''}){damaged}") from None
    name = "?"
    try:
        name, where = _choose_sheet(path, wb, wanted)
        rows, formulas = _sheet_rows(path, wb[name].iter_rows(max_col=MAX_COLUMNS, values_only=True),
                                     wf[name].iter_rows(max_col=MAX_COLUMNS))
    except SurveyFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a valid zip (XML cut short, a bad member)
        raise SurveyFileError(f"{path}: sheet {name!r} cannot be read ({type(exc).__name__}: "
                              f"{str(exc).splitlines()[0] if str(exc) else ''}){damaged}") from None
    finally:
        wb.close()
        wf.close()
    return _Sheet(rows, where, name, formulas)


def _read_text(path: str, data: bytes) -> _Sheet:
    import csv
    import io

    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SurveyFileError(f"{path}: not UTF-8 or CP932 text")
    del data
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    last_line = text.count("\n") + (not text.endswith("\n"))
    rows = []
    record = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise SurveyFileError(f"{path}: row {record + 1} (line {start}): a quoted cell runs on for more than "
                                      f"{csv.field_size_limit():,} characters; a closing quote (\") is missing") from None
            raise SurveyFileError(f"{path}: row {record + 1} (line {start}): {exc}") from None
        record += 1
        span = reader.line_num - start + 1
        if span > MAX_RECORD_LINES:
            to = "the end of the file" if reader.line_num >= last_line else f"line {reader.line_num}"
            raise SurveyFileError(f"{path}: row {record} (line {start}): a quoted cell runs over {span:,} lines to "
                                  f"{to}; a closing quote (\") is missing")
        if any(c.strip() for c in cells):
            rows.append((record, cells[:MAX_COLUMNS]))
            if len(rows) > MAX_ROWS:
                raise _too_many_rows(path)
    return _Sheet(rows)


def _read_rows(path: Path, shown: str, sheet: str | None = None) -> tuple[_Sheet, bytes]:
    """The non-empty rows (row number in the file, cells) of a CSV / TSV (UTF-8, UTF-8 BOM, CP932) or
    XLSX file (the sheet :func:`_choose_sheet` picks), read within the bounds above, and the file's bytes
    (those parsed: the build records their sha256)."""
    data = _read_input(path, shown)
    xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    if sheet is not None and not xlsx:
        raise SurveyFileError(f"{shown}: --sheet {sheet!r} (or ${SHEET_ENV}) is for an XLSX workbook; this is a text "
                              f"file")
    table = _read_xlsx(shown, data, sheet) if xlsx else _read_text(shown, data)
    if not table.rows:
        raise SurveyFileError(f"{shown}: the file is empty" + (f" ({table.where})" if table.where else ""))
    return table, data


def _find_header(path: str, sheet: _Sheet) -> int:
    """Index (in ``sheet.rows``) of the header row: the first of the first rows naming a code and a cost column."""
    for k, (_, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        if _has_header(cells):
            return k
    where = f" of {sheet.where}" if sheet.where else ""
    raise SurveyFileError(
        f"{path}: no header row naming a code column ({', '.join(_HEADERS['code'])}) and a cost column "
        f"({', '.join(_HEADERS['cost'])}) within the first {HEADER_SEARCH_ROWS} non-empty rows{where}")


MAX_PROBLEMS = 50  # problems listed at once; the rest are counted in one line


def _capped(problems: list[str]) -> str:
    """The problems, one per line, the first MAX_PROBLEMS of them and one line saying how many more."""
    more = len(problems) - MAX_PROBLEMS
    shown = problems[:MAX_PROBLEMS] + ([f"… and {more:,} more problem{'s' if more > 1 else ''} (fix these and run "
                                        f"again)"] if more > 0 else [])
    return "\n".join(shown)


def _number(cell: object) -> float | None:
    """A cell as a number: full-width digits, separators, ▲/△ for minus, placeholders (None).

    Raises ValueError for anything else."""
    if cell is None:
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return None if pd.isna(cell) else float(cell)
    s = unicodedata.normalize("NFKC", str(cell)).strip()
    if s in {unicodedata.normalize("NFKC", p) for p in _PLACEHOLDERS}:
        return None
    s = re.sub(r"^[▲△]\s*", "-", s)
    s = re.sub(r"(?<=[0-9])[,、](?=[0-9]{3}(?![0-9]))", "", s).replace(" ", "")
    if not re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", s):
        raise ValueError(s)
    return float(s)


def _code_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    s = unicodedata.normalize("NFKC", str(cell if cell is not None else "")).strip()
    s = re.sub(r"[-\s]", "", s)  # '01-100-2', '011 002'
    return re.sub(r"\.0+$", "", s)  # '11002.0' from a float export


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
              pub: dict | None = None, accept_outliers: tuple[str, ...] | list[str] = (),
              sheet: str | None = None) -> pd.DataFrame:
    """A real per-municipality survey file, validated against the contract.

    Accepts CSV or TSV (UTF-8, UTF-8 with BOM, CP932) or XLSX (the sheet ``sheet``, else the one
    visible sheet with a survey header: see :func:`_choose_sheet`), with the
    header row among the first rows (a title above it is fine); Japanese or English headers
    (団体コード / code, 人口 / population, 情報システム経費 / cost, クラウド導入状況 / status; other
    columns are ignored); the cost unit (千円 or 円) in the cost header (（千円）, 【千円】,
    （単位：千円）, cost_yen) or as ``cost_unit``; full-width digits, thousands separators,
    ▲ for minus, and －, ―, …, * for a missing cost. Without a population column the
    住民基本台帳 population of 2017-01-01 is used; without a status column the status is
    derived from the group list: joint for the members of groups started before FY2017,
    ``not_joint`` for the others (single or none, which is not known). Checks plausibility: per row, a
    positive cost whose cost per resident lies within :func:`per_resident_bounds` (unless
    its code is in ``accept_outliers``); per file, units, missing costs and populations
    against the 住民基本台帳. Only a regular file is read; files over MAX_FILE_BYTES are refused
    unread. Raises SurveyFileError listing the problems (the first MAX_PROBLEMS, and how many more)
    with their file, sheet, row and column, values as written; nothing is written. The one
    validation for check-survey and build alike. The result's ``attrs``: ``sha256`` of the bytes
    parsed, ``sheet`` read (XLSX), ``accepted_outliers``.
    """
    from jichitai_cloud.io import escape

    path = Path(path)
    shown = escape.terminal(path)  # the file's name in messages: no control character acts on the terminal
    pub = pub or published.tables()
    known = set(frame["code"])
    accepted = _accepted_codes(accept_outliers, known)
    sheet, data = _read_rows(path, shown, sheet)
    sha256 = hashlib.sha256(data).hexdigest()
    del data
    in_file = f"{shown} (sheet {sheet.sheet!r})" if sheet.sheet else shown  # where a row is
    rows = sheet.rows
    h = _find_header(shown, sheet)
    header_row, header = rows[h]
    rows = rows[h + 1:]
    columns: dict[str, int] = {}
    problems = []
    cost_unit_text = None
    for j, cell in enumerate(header):
        name, unit = _norm_header(cell)
        field_name = _field_of(name)
        if field_name is None:
            continue  # 都道府県名, 団体名, 備考 … are not part of the contract
        if field_name in columns:
            problems.append(f"{in_file}: row {header_row}: two columns for {field_name} "
                            f"({header[columns[field_name]]!r} and {cell!r})")
        columns[field_name] = j
        if field_name == "cost":
            cost_unit_text = unit
    factor = None
    if cost_unit_text is not None:
        if cost_unit_text not in _UNITS:
            problems.append(f"{in_file}: row {header_row}, column {header[columns['cost']]!r}: unknown unit "
                            f"{cost_unit_text!r} (expected 千円 or 円)")
        else:
            factor = _UNITS[cost_unit_text]
    if cost_unit is not None:
        key = unicodedata.normalize("NFKC", cost_unit).strip().lower().replace(" ", "_")
        if key not in _UNITS:
            problems.append(f"cost unit {cost_unit!r}: expected 千円 or 円")
        elif factor is not None and factor != _UNITS[key]:
            problems.append(f"{in_file}: row {header_row}: the cost header states {cost_unit_text} but the flag says "
                            f"{cost_unit}")
        else:
            factor = _UNITS[key]
    if factor is None and not problems:
        problems.append(f"{in_file}: row {header_row}, column {header[columns['cost']]!r}: the cost unit is not "
                        f"stated; write it in the header (情報システム経費（千円）) or pass --cost-unit 千円|円")
    if problems:
        raise SurveyFileError(_capped(problems))

    j = columns["code"]
    convention = code_convention([cells[j] if j < len(cells) else None for _, cells in rows], known)
    juki_pop = dict(zip(frame["code"], frame["population_2017_01_01_persons"]))
    names = dict(zip(frame["code"], frame["prefecture"] + frame["name"]))
    floor, ceiling = per_resident_bounds(pub)
    unit_text = cost_unit_text or cost_unit
    seen: dict[str, int] = {}
    outliers_kept: list[str] = []
    out_of_bounds = []  # reported after the file-level checks, which explain a whole column at once
    records = []
    for rownum, cells in rows:
        def cell(field_name):
            k = columns.get(field_name)
            return cells[k] if k is not None and k < len(cells) else None

        def where(field_name):
            return f"{in_file}: row {rownum}, column {header[columns[field_name]]!r}"

        def formula(field_name):  # a formula whose value was never saved: it reads as empty
            k = columns.get(field_name)
            text = sheet.formulas.get((rownum, k)) if k is not None else None
            if text is not None:
                problems.append(f"{where(field_name)}: formula without a saved value; open and save in Excel "
                                f"({text!r})")
            return text is not None

        if formula("code"):
            continue

        code = _code(cell("code"), known, convention)
        if code is None:
            expected = "6 digits with check digit" if convention == "six" else "5 digits without check digit"
            problems.append(f"{where('code')}: {_as_written(cell('code'))!r} is not the code of one of the 1,741 "
                            f"municipalities (this file writes codes as {expected})")
            continue
        if code in seen:
            problems.append(f"{where('code')}: duplicate code {code} (first on row {seen[code]})")
            continue
        seen[code] = rownum
        rec = {"code": code, "row": rownum}
        written = _as_written(cell("cost"))
        try:
            cost = None if formula("cost") else _number(cell("cost"))
        except ValueError:
            problems.append(f"{where('cost')}: {written!r} is not a number")
            cost = None
        if cost is not None and cost < 0:
            problems.append(f"{where('cost')}: negative cost {written!r}")
            cost = None
        if cost is not None and cost == 0:
            problems.append(f"{where('cost')}: cost {written!r} for {code} {names[code]}: zero is not a plausible "
                            f"IT cost; write － (or leave the cell empty) for a missing cost")
            cost = None
        if cost is not None and cost * factor > MAX_COST_YEN:
            problems.append(f"{where('cost')}: {written!r} is not a plausible cost (over 10兆円 read as "
                            f"{unit_text}); is the unit right?")
            cost = None
        rec["it_cost_yen"] = None if cost is None else int(round(cost * factor))
        if "population" in columns and formula("population"):
            rec["population"] = None
        elif "population" in columns:
            p_written = _as_written(cell("population"))
            try:
                p = _number(cell("population"))
            except ValueError:
                problems.append(f"{where('population')}: {p_written!r} is not a number")
                p = None
            else:
                if p is None:
                    problems.append(f"{where('population')}: missing population")
                elif p <= 0 or not float(p).is_integer() or p > 10 ** 8:
                    problems.append(f"{where('population')}: population must be a positive whole number, "
                                    f"got {p_written!r}")
                    p = None
            rec["population"] = int(p) if p else None
        else:
            rec["population"] = int(juki_pop[code])
        if cost is not None and rec["population"]:
            # the range of costs per resident the written value allows (it is rounded to its unit)
            low = (cost - 0.5) * factor / rec["population"]
            high = (cost + 0.5) * factor / rec["population"]
            per = cost * factor / rec["population"]
            side = ("above the largest published figure" if low > ceiling + 0.5 else
                    "below a tenth of the lowest published class mean" if high < floor else "")
            if side and code in accepted:
                outliers_kept.append(code)
            elif side:
                bound = f"{ceiling:,.0f}円" if low > ceiling + 0.5 else f"{floor:,.1f}円"
                out_of_bounds.append(f"{where('cost')}: {written!r} ({unit_text}) for {code} {names[code]} is "
                                f"{per:,.1f}円 per resident (population {rec['population']:,}), {side} ({bound}); "
                                f"is the unit right? If the value is verified, pass --accept-outlier {code}")
        if "status" in columns and formula("status"):
            rec["cloud_status"] = None
        elif "status" in columns:
            raw = unicodedata.normalize("NFKC", str(cell("status") if cell("status") is not None else "")).strip()
            status = _STATUS_VALUES.get(raw, _STATUS_VALUES.get(raw.lower()))
            if status is None:
                what = "missing status" if raw == "" else f"unknown status {_as_written(cell('status'))!r}"
                problems.append(f"{where('status')}: {what} (expected 自治体クラウド, 単独クラウド or 未導入; "
                                f"joint, single or none)")
            rec["cloud_status"] = status
        records.append(rec)
    missing = sorted(known - set(seen))
    if missing:
        frame_names = frame.set_index("code").loc[missing[:5], ["prefecture", "name"]]
        problems.append(f"{shown}: {len(missing)} municipalities missing, e.g. "
                        + ", ".join(f"{c} {p}{n}" for c, (p, n) in zip(frame_names.index, frame_names.to_numpy())))
    for code in sorted(set(accepted) - set(outliers_kept)):
        if code in seen:
            out_of_bounds.append(f"--accept-outlier {code} ({names[code]}, row {seen[code]}): its cost per resident is "
                            f"within the bounds ({floor:,.1f}円 to {ceiling:,.0f}円) or missing; nothing to accept")
    if problems:
        raise SurveyFileError(_capped(problems))
    df = pd.DataFrame(records).set_index("code").loc[sorted(seen)].reset_index()
    problems = _implausible(in_file, df, juki_pop, header[columns["cost"]], factor, pub)
    if problems:
        raise SurveyFileError(_capped(problems))
    if out_of_bounds:
        raise SurveyFileError(_capped(out_of_bounds))
    if "status" in columns:
        status, status_prov = df["cloud_status"].to_numpy(), np.full(len(df), "reported")
    else:
        # Status not reported: joint or not from the group list, never an invented single/none split.
        ordered = frame.set_index("code").loc[df["code"]].reset_index()
        joint = municipalities.joint_cloud_as_of(ordered, STATUS_DATE).to_numpy()
        status, status_prov = np.where(joint, "joint", NOT_JOINT), np.full(len(df), "derived")
    out = pd.DataFrame({
        "code": df["code"].astype(str),
        "population_2017_01_01_persons": df["population"].astype("int64"),
        "it_cost_yen": pd.array(df["it_cost_yen"], dtype="Int64"),
        "cloud_status": np.asarray(status, dtype=str),
        "it_cost_provenance": "reported",
        "cloud_status_provenance": np.asarray(status_prov, dtype=str),
    })
    out = validate(out, frame)
    out.attrs["accepted_outliers"] = sorted(outliers_kept)
    out.attrs["sha256"], out.attrs["sheet"], out.attrs["sheet_note"] = sha256, sheet.sheet, sheet.where
    return out


def _accepted_codes(codes, known: set[str]) -> set[str]:
    """--accept-outlier codes as 6-digit codes (5 digits without the check digit are completed)."""
    out = set()
    for raw in codes or ():
        code = normal_code(raw)
        if code not in known:
            raise SurveyFileError(f"--accept-outlier {raw}: not the code of one of the 1,741 municipalities "
                                  f"(6 digits with check digit, or 5 without)")
        out.add(code)
    return out


def normal_code(raw: object) -> str:
    """A code as given by a person: 6 digits as they are, 5 digits completed with the check digit."""
    text = _code_text(raw)
    return text + str(municipalities.check_digit(text)) if re.fullmatch(r"[0-9]{5}", text) else text


def accepted_outliers_from_env() -> tuple[str, ...]:
    """Codes in $JICHITAI_CLOUD_SURVEY_ACCEPT_OUTLIERS (comma- or space-separated), for scheduled builds."""
    return tuple(c for c in re.split(r"[,\s]+", os.environ.get(ACCEPT_OUTLIERS_ENV, "")) if c)


def _implausible(path: Path, df: pd.DataFrame, juki_pop: dict, cost_header: object, factor: int,
                 pub: dict) -> list[str]:
    """File-level checks that catch a wrong unit or basis (each row alone may look fine)."""
    problems = []
    costs = df["it_cost_yen"].astype("float")
    missing = float(costs.isna().mean())
    if missing > MAX_MISSING_COST_SHARE:
        problems.append(f"{path}: {costs.isna().sum()} of {len(df)} costs are missing; an XLSX saved without "
                        f"computed formula values reads as empty (open it in Excel and save it again)")
        return problems
    reporting = costs.notna()
    per_resident = costs[reporting].sum() / df.loc[reporting, "population"].sum()
    stated = float(pub["published_survey_totals"].set_index("item").loc["it_cost_per_resident", "value"])
    low, high = PER_RESIDENT_RATIO
    if not low <= per_resident / stated <= high:
        unit = "千円" if factor == 1000 else "円"
        problems.append(f"{path}: column {cost_header!r}: the file's costs give {per_resident:,.0f}円 per resident "
                        f"nationally, {per_resident / stated:,.3g} times the published {stated:,.0f}円; is the "
                        f"unit really {unit}?")
    ratio = df["population"] / df["code"].map(juki_pop)
    off = (ratio - 1).abs() > POPULATION_TOLERANCE
    if off.mean() > MAX_POPULATION_OFF_SHARE:
        example = df[off].iloc[0]
        problems.append(f"{path}: {int(off.sum())} of {len(df)} populations differ from the 住民基本台帳 of "
                        f"2017-01-01 by more than {POPULATION_TOLERANCE:.0%} (e.g. row {example['row']}: "
                        f"{example['population']:,} against {juki_pop[example['code']]:,}); the survey's basis is "
                        f"that date, in persons")
    return problems


# --- which input ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SurveyInput:
    """Where the survey comes from: a real file (and how it was configured) or the generator."""

    path: Path | None
    cost_unit: str | None
    configured_by: str  # 'default (simulated)', '--survey', $JICHITAI_CLOUD_SURVEY, or 'data/raw/survey/'
    accept_outliers: tuple[str, ...] = ()  # codes whose extreme cost per resident a researcher verified
    sheet: str | None = None  # the XLSX sheet to read (--sheet, $JICHITAI_CLOUD_SURVEY_SHEET); None: see _choose_sheet

    @property
    def kind(self) -> str:
        return "simulated" if self.path is None else "reported"


def configured_input(path: str | Path | None = None, cost_unit: str | None = None,
                     accept_outliers: tuple[str, ...] = (), sheet: str | None = None) -> SurveyInput:
    """The survey input: an explicit path, else $JICHITAI_CLOUD_SURVEY, else the one file in
    data/raw/survey/ (git-ignored), else the simulated survey. ``accept_outliers`` (default:
    $JICHITAI_CLOUD_SURVEY_ACCEPT_OUTLIERS) and ``sheet`` (default: $JICHITAI_CLOUD_SURVEY_SHEET) go
    with a real file. A symbolic link loop is refused in one line."""
    from jichitai_cloud.io.userfiles import UserPathError, resolve

    unit = cost_unit or os.environ.get(COST_UNIT_ENV) or None
    accept = tuple(accept_outliers or accepted_outliers_from_env())
    sheet = sheet if sheet is not None else (os.environ.get(SHEET_ENV) or None)
    try:
        if path:
            return SurveyInput(resolve(path, "--survey"), unit, "--survey", accept, sheet)
        if os.environ.get(SURVEY_ENV):
            return SurveyInput(resolve(os.environ[SURVEY_ENV], f"${SURVEY_ENV}"), unit, f"${SURVEY_ENV}", accept,
                               sheet)
    except UserPathError as exc:
        raise SurveyFileError(str(exc)) from None
    if DROP_IN_DIR.is_dir():
        files = sorted(p for p in DROP_IN_DIR.iterdir() if p.suffix.lower() in (".csv", ".xlsx", ".xlsm"))
        if len(files) > 1:
            raise SurveyFileError(f"{DROP_IN_DIR}: {len(files)} survey files ({', '.join(p.name for p in files)}); "
                                  f"keep exactly one")
        if files:
            return SurveyInput(files[0], unit, "data/raw/survey/", accept, sheet)
    if sheet is not None:
        raise SurveyFileError(f"--sheet {sheet!r} (or ${SHEET_ENV}): only with a real survey file (--survey FILE); "
                              f"no real file is configured, the build uses the simulated survey")
    return SurveyInput(None, None, "default (simulated)", accept)


def build(frame: pd.DataFrame, pub: dict, source: SurveyInput,
          params: GeneratorParams = GeneratorParams()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The survey table and its one-row ``survey_input`` description."""
    if source.path is None and source.accept_outliers:
        raise SurveyFileError(f"--accept-outlier {', '.join(source.accept_outliers)}: only with a real survey file "
                              f"(--survey FILE); no real file is configured, the build uses the simulated survey")
    if source.path is None:
        table = simulate(frame, pub, params)
        params_json = asdict(params) | {"draw": int(table.attrs["draw"])}
        info = {"input": "simulated", "file": "", "sheet": "", "sha256": "", "cost_unit": "yen",
                "configured_by": source.configured_by, "generator_version": params.version,
                "generator_params": json.dumps(params_json, ensure_ascii=False, sort_keys=True)}
    else:
        from jichitai_cloud.io.userfiles import UserPathError, check_regular

        try:  # only a regular file: a pipe, a device or a folder is named as such (and where it was configured)
            check_regular(source.path, "the survey file", "; give the survey file itself")
        except UserPathError as exc:
            raise SurveyFileError(f"{exc} (configured by {source.configured_by})") from None
        table = load_real(source.path, frame, source.cost_unit, pub, source.accept_outliers, source.sheet)
        info = {"input": "reported", "file": source.path.name, "sheet": table.attrs["sheet"],
                "sha256": table.attrs["sha256"],  # of the bytes parsed
                "cost_unit": source.cost_unit or "stated in the header", "configured_by": source.configured_by,
                "generator_version": "", "generator_params": ""}
    if (table["cloud_status_provenance"] == "reported").all():
        info["status_source"] = "reported"
    elif (table["cloud_status"] == NOT_JOINT).any():
        info["status_source"] = "group list (derived): joint or not"
    else:
        info["status_source"] = "group list (derived) + simulated"
    info["rows"] = len(table)
    info["costs_missing"] = int(table["it_cost_yen"].isna().sum())
    return table, pd.DataFrame([info])


INPUT_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema({
    "input": pa.Column(str, pa.Check.isin(["simulated", "reported"])),
    "file": pa.Column(str), "sheet": pa.Column(str), "sha256": pa.Column(str), "cost_unit": pa.Column(str),
    "configured_by": pa.Column(str), "generator_version": pa.Column(str), "generator_params": pa.Column(str),
    "status_source": pa.Column(str), "rows": pa.Column("int64"), "costs_missing": pa.Column("int64"),
}, strict=True, ordered=True))


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


READINGS = ("without_3", "with_3")


def ordering_checks(survey: pd.DataFrame, orderings: pd.DataFrame, topic: str = "survey",
                    reading: str = "without_3", excluded: int = 3) -> list:
    """The orderings the document states (``orderings``: published_survey_orderings), as checks
    (stated 1 = true); single not above none in the classes the document does not name.

    ``reading`` of 'single above none' in the under-20k class, whose single-cloud mean the document
    gives without its ``excluded`` least-populous municipalities (11,266円): without_3 compares that
    mean with no cloud's; with_3 the mean of all single-cloud municipalities.
    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}; got {reading!r}")
    if (survey["cloud_status"] == NOT_JOINT).any():
        return _binary_ordering_checks(by_class_status(survey).set_index(["class_id", "cloud_status"]), topic,
                                       ORDERINGS_SOURCE)
    above_classes = set(orderings.loc[orderings["ordering_id"] == "single_above_none", "class_id"].astype(int))
    small = int(orderings.loc[orderings["ordering_id"] == "single_above_none", "class_id"].min()) \
        if above_classes else None
    trimmed = survey
    if reading == "without_3" and excluded:
        least = survey.sort_values(["population_2017_01_01_persons", "code"], kind="stable")["code"].iloc[:excluded]
        trimmed = survey[~survey["code"].isin(least)]
    cs = by_class_status(survey).set_index(["class_id", "cloud_status"])
    cs_trimmed = by_class_status(trimmed).set_index(["class_id", "cloud_status"])
    out = []
    for c in sorted({k[0] for k in cs.index}):
        cell = cs.loc[c]
        complete = len(cell) == 3 and cell.notna().all().all()
        for col, what, what_ja in (("it_cost_per_resident_mean_yen", "cost per resident", "住民一人当たり経費"),
                                   ("it_cost_per_municipality_oku_yen", "cost per municipality", "一団体当たり経費")):
            lowest = float(cell[col].idxmin() == "joint") if complete else np.nan
            out.append(checks.exact(f"survey.order.{c}.joint_lowest_{'resident' if 'resident' in col else 'municipality'}",
                                    topic, (f"class {c}: joint cloud has the lowest mean {what} (1 = true)",
                                            f"区分{c}：自治体クラウドの{what_ja}の平均が最も低い（1＝真）"),
                                    1, lowest, "boolean", ORDERINGS_SOURCE, "survey"))
        above = c in above_classes
        single = (cs_trimmed if c == small else cs).loc[c]
        higher = (single.loc["single", "it_cost_per_resident_mean_yen"] > cell.loc["none", "it_cost_per_resident_mean_yen"]
                  if complete else np.nan)
        named = "、".join(str(k) for k in sorted(above_classes))
        out.append(checks.exact(
            f"survey.order.{c}.single_vs_none", topic,
            (f"class {c}: single cloud {'above' if above else 'not above'} no cloud in mean cost per resident"
             f"{' (single without the least-populous ' + str(excluded) + ')' if c == small and trimmed is not survey else ''}"
             f"{'' if above else ' (implied: the document names classes ' + ', '.join(map(str, sorted(above_classes))) + ' only)'}"
             f" (1 = true)",
             f"区分{c}：単独クラウドの住民一人当たり経費の平均"
             f"{'（下位' + str(excluded) + '団体を除く）' if c == small and trimmed is not survey else ''}が未導入より"
             f"{'高い' if above else '高くない'}{'' if above else '（資料は区分' + named + 'のみ高いとする）'}（1＝真）"),
            1, float(higher == above) if complete else np.nan, "boolean", ORDERINGS_SOURCE, "survey"))
    return out


ORDERINGS_SOURCE = "published: 調査結果（クラウド導入団体と未導入団体の状況①②）"


def _binary_ordering_checks(cs: pd.DataFrame, topic: str, src: str) -> list:
    """With joint or not only: 'joint lowest' implies joint below the mean of the others (a weighted
    mean of the single and no-cloud means); single against none cannot be checked."""
    out = []
    for c in sorted({k[0] for k in cs.index}):
        cell = cs.loc[c]
        complete = {"joint", NOT_JOINT} <= set(cell.index)
        for col, what, what_ja in (("it_cost_per_resident_mean_yen", "cost per resident", "住民一人当たり経費"),
                                   ("it_cost_per_municipality_oku_yen", "cost per municipality", "一団体当たり経費")):
            below = float(cell.loc["joint", col] < cell.loc[NOT_JOINT, col]) if complete else np.nan
            out.append(checks.exact(
                f"survey.order.{c}.joint_below_others_{'resident' if 'resident' in col else 'municipality'}", topic,
                (f"class {c}: joint cloud below the others in mean {what} (implied by 'joint lowest') (1 = true)",
                 f"区分{c}：自治体クラウドの{what_ja}の平均がそれ以外より低い（「最も低い」から導かれる）（1＝真）"),
                1, below, "boolean", src, "survey"))
    return out


def reconcile(survey: pd.DataFrame, pub: dict, kind: str, frame: pd.DataFrame | None = None) -> list[checks.Check]:
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
    reporting = survey["it_cost_yen"].notna()
    out.append(checks.rounded("survey.national_per_resident", topic,
                              ("national cost per resident (円; municipalities with a cost)",
                               "全国の住民一人当たり経費（円、経費のある団体）"),
                              totals["it_cost_per_resident"],
                              survey.loc[reporting, "it_cost_yen"].sum()
                              / survey.loc[reporting, "population_2017_01_01_persons"].sum(),
                              "yen", 0, "published_survey_totals", "survey"))
    if frame is not None:
        juki = survey["code"].map(dict(zip(frame["code"], frame["population_2017_01_01_persons"])))
        out.append(checks.exact("survey.population_vs_juki", topic,
                                ("municipalities whose population differs from the 住民基本台帳 of 2017-01-01",
                                 "人口が住民基本台帳（平成29年1月1日）と異なる団体数"),
                                0, int((survey["population_2017_01_01_persons"] != juki).sum()), "municipalities",
                                "住民基本台帳 (the survey's stated basis)", "survey"))
    st = pub["published_status_counts"].set_index(["class_id", "cloud_status"])["municipalities"]
    cls = survey["population_2017_01_01_persons"].map(published.population_class_id)
    have = survey.groupby([cls, survey["cloud_status"]]).size()
    binary = (survey["cloud_status"] == NOT_JOINT).any()
    for (c, s), n in st.items():
        if binary and s != "joint":
            continue
        out.append(checks.exact(f"survey.status_count.{c}.{s}", topic,
                                (f"class {c}: {s}-cloud municipalities", f"区分{c}：{_STATUS_JA[s]}の団体数"),
                                n, int(have.get((c, s), 0)), "municipalities", "published_status_counts", "survey"))
    if binary:
        for c in sorted({k[0] for k in st.index}):
            out.append(checks.exact(f"survey.status_count.{c}.not_joint", topic,
                                    (f"class {c}: municipalities not in a joint cloud (single + none)",
                                     f"区分{c}：自治体クラウド以外（単独クラウド＋未導入）の団体数"),
                                    int(st.loc[(c, "single")] + st.loc[(c, "none")]), int(have.get((c, NOT_JOINT), 0)),
                                    "municipalities", "published_status_counts", "survey"))
    outliers = pub["published_survey_outliers"]
    order = survey.sort_values(["population_2017_01_01_persons", "code"]).reset_index(drop=True)
    for k, r in enumerate(outliers[outliers["item"].str.startswith("least_populous")].itertuples()):
        row = order.iloc[k]
        if binary:
            out.append(checks.exact(f"survey.least_populous.{k + 1}.not_joint", topic,
                                    (f"least-populous municipality no. {k + 1} is not in a joint cloud (1 = true)",
                                     f"人口数下位{k + 1}位の団体が自治体クラウドでない（1＝真）"),
                                    1, int(row["cloud_status"] != "joint"), "boolean", "published_survey_outliers",
                                    "survey"))
        else:
            out.append(checks.exact(f"survey.least_populous.{k + 1}.single", topic,
                                    (f"least-populous municipality no. {k + 1} is single cloud (1 = true)",
                                     f"人口数下位{k + 1}位の団体が単独クラウド（1＝真）"),
                                    1, int(row["cloud_status"] == "single"), "boolean", "published_survey_outliers",
                                    "survey"))
        per = float(row["it_cost_yen"]) / row["population_2017_01_01_persons"] if pd.notna(row["it_cost_yen"]) else np.nan
        out.append(checks.rounded(f"survey.least_populous.{k + 1}.per_resident", topic,
                                  (f"least-populous municipality no. {k + 1}: cost per resident (円)",
                                   f"人口数下位{k + 1}位の団体の住民一人当たり経費（円）"),
                                  r.value_yen, per, "yen", 0, "published_survey_outliers", "survey"))
    if binary:  # single-cloud municipalities are not known: their mean cannot be checked
        return out + ordering_checks(survey, pub["published_survey_orderings"], topic=topic)
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
    return out + ordering_checks(survey, pub["published_survey_orderings"], topic=topic, excluded=n_out)


_STATUS_JA = {"joint": "自治体クラウド", "single": "単独クラウド", "none": "クラウド未導入"}


def explanations(survey: pd.DataFrame) -> dict:
    """Sentences for the status-count mismatches that follow from taking joint status from the list.

    Only where the status did come from the list (not from a real file's status column).
    """
    if (survey["cloud_status_provenance"] == "reported").any():
        return {}
    out = {}
    if (survey["cloud_status"] == NOT_JOINT).any():
        sentence = (
            "Joint status comes from the real group list, which overstates joint membership at 2017-04 (see the group "
            "list's check of the 2017-04 membership), so the other municipalities fall short by the same number.",
            "自治体クラウドの別は実在のグループ一覧によるため平成29年4月時点の団体数を過大に数え（グループ一覧の平成29年4月"
            "時点の団体数の照合を参照）、その分だけそれ以外の団体数が少なくなる。")
        statuses = ("joint", NOT_JOINT)
    else:
        sentence = (
            "Joint status comes from the real group list, which overstates joint membership at 2017-04 (see the group "
            "list's check of the 2017-04 membership); single-cloud counts are matched exactly, so no-cloud counts fall "
            "short by the same number.",
            "自治体クラウドの別は実在のグループ一覧によるため平成29年4月時点の団体数を過大に数え（グループ一覧の平成29年4月"
            "時点の団体数の照合を参照）、単独クラウドの団体数は公表値どおりとしたため、その分だけ未導入の団体数が少なくなる。")
        statuses = ("joint", "none")
    for c in range(1, 7):
        for s in statuses:
            out[f"survey.status_count.{c}.{s}"] = sentence
    return out


# --- saying which input ------------------------------------------------------------------------------

def describe_input(info: pd.DataFrame) -> str:
    """The input's label and, for the simulated survey, the generator's model and parameters."""
    row = info.iloc[0]
    text = vocab.survey_label(info, "en")
    if row["input"] == "simulated":
        params = json.loads(row["generator_params"])
        draw = params.pop("draw", 0)
        params["single_effect"] = {int(k): v for k, v in params["single_effect"].items()}
        text += "\n\n" + GeneratorParams(**params).describe() + (
            f" Draw {draw} of the seed's stream: the survey is drawn conditional on the document's orderings, and "
            f"draws 0–{draw - 1} contradicted them." if draw else
            " Draw 0 of the seed's stream satisfied the document's orderings.")
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


def reconciliation_note(info: pd.DataFrame, lang: str = "en") -> str:
    """What the survey's reconciliation rows mean for this input."""
    if info.iloc[0]["input"] == "simulated":
        return ("シミュレーションは公表値に合わせて較正されているため、市区町村別の経費の照合は構成上一致し、較正を確かめる"
                "もので、データの検証ではない。" if lang == "ja" else
                "The simulated survey is calibrated to the published figures, so its checks hold by construction: they "
                "verify the calibration, not data.")
    return ("実データの照合は、ファイルが公表値をどこまで再現するかを示す。" if lang == "ja" else
            "For a real file, these checks show how far it reproduces the published figures.")


def by_prefecture(survey: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Per prefecture: mean cost per resident over municipalities (円), total cost / population (円)."""
    df = with_classes(survey).merge(frame[["code", "prefecture"]], on="code")
    g = df.groupby("prefecture", sort=False).agg(
        cost_per_resident_mean_yen=("it_cost_per_resident_yen", "mean"), cost_yen=("it_cost_yen", "sum"),
        population=("population_2017_01_01_persons", "sum"))
    g["cost_per_resident_aggregate_yen"] = g["cost_yen"].astype(float) / g["population"]
    order = [p for p in municipalities.PREFECTURES if p in g.index]
    return g.loc[order, ["cost_per_resident_mean_yen", "cost_per_resident_aggregate_yen"]].reset_index()


def comparable_non_members(survey: pd.DataFrame, frame: pd.DataFrame, codes, factor: float = 2.0,
                           as_of=None) -> pd.DataFrame:
    """Each given municipality's cost per resident against non-members of similar size.

    Comparables: municipalities in no joint-cloud group on `as_of` (default: the list's
    date, 2018-04-01), so single-cloud or no cloud, from the whole country, whose population
    (2017-01-01) lies within a factor ``factor`` of the municipality's. Returns one row per
    code: cost per resident, number of comparables, their median cost per resident, the
    ratio (municipality / comparables' median), and where the costs come from
    (``it_cost_provenance``, ``comparables_cost_provenance``: simulated unless reported).
    """
    as_of = municipalities.LIST_DATE if as_of is None else as_of
    df = with_classes(survey).merge(frame[["code", "prefecture", "name"]], on="code")
    member = municipalities.joint_cloud_as_of(frame, as_of)
    outside = set(frame.loc[~member.to_numpy(), "code"])
    pool = df[df["code"].isin(outside)]
    pool_pop = pool["population_2017_01_01_persons"].to_numpy(float)
    pool_pr = pool["it_cost_per_resident_yen"].to_numpy(float)
    pool_prov = pool["it_cost_provenance"].to_numpy()
    rows = []
    for r in df[df["code"].isin(list(codes))].itertuples():
        p = float(r.population_2017_01_01_persons)
        sel = (pool_pop >= p / factor) & (pool_pop <= p * factor) & (pool["code"].to_numpy() != r.code)
        med = float(np.median(pool_pr[sel])) if sel.any() else np.nan
        rows.append({"code": r.code, "prefecture": r.prefecture, "name": r.name,
                     "population_2017_01_01_persons": int(p), "cloud_status": r.cloud_status,
                     "cost_per_resident_yen": float(r.it_cost_per_resident_yen), "comparables": int(sel.sum()),
                     "comparables_median_yen": med, "ratio_to_comparables": float(r.it_cost_per_resident_yen) / med,
                     "it_cost_provenance": r.it_cost_provenance,
                     "comparables_cost_provenance": "+".join(sorted(set(pool_prov[sel]))) if sel.any() else ""})
    return pd.DataFrame(rows)


def comparison_summary(table: pd.DataFrame, info: pd.DataFrame, lang: str = "en") -> str:
    """One line on a comparable_non_members table: members, median ratio and range, with the survey's label."""
    r = table["ratio_to_comparables"].dropna()
    tag = vocab.survey_label(info, lang, short=True)
    if lang == "ja":
        return (f"{len(r)}団体。同規模の非参加団体の中央値に対する比：中央値 {r.median():.2f}"
                f"（{r.min():.2f}～{r.max():.2f}）{tag}")
    return (f"{len(r)} members; ratio to similar non-members: median {r.median():.2f} "
            f"(range {r.min():.2f}–{r.max():.2f}) {tag}")

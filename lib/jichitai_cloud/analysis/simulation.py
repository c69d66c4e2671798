"""Stage 4e, the simulation study: how the estimators behave on many simulated surveys.

The simulated survey is a tool for checking methods, never a source of findings. For each assumed
joint-cloud effect e (on mean cost per resident at equal population), draws surveys from the
generator (:class:`generator.GeneratorParams` with ``joint_effect = e``: prefecture and group random
effects, heteroskedastic noise, the published single-cloud effects) and fits each estimator. It
reports, per effect and estimator, the mean estimate, bias, RMSE and the coverage of the 95%
interval; the share of draws that satisfy the orderings the document states (an approximate
likelihood of e: how often a survey generated with e looks like the published one), and the same
statistics over those draws only (the build's survey is drawn conditional on them).

The curve is calibrated once per effect, to the published class means and totals in expectation
over the random status split and the mean-one noise (the build's single survey instead calibrates
each draw exactly), so a draw costs only its random numbers and the fits.

Each estimator is measured against its own target. PPML estimates the effect on mean cost, log(1 + e).
OLS on log cost estimates the effect on the geometric mean, which differs when the log-scale variance
differs by status: joint members share a group effect (sd τ_group), so OLS's target is
log(1 + e) − τ_group²/2 (the reason the saving in yen needs PPML). What bias remains is the
estimators' misspecification against the generator (one single-cloud term for class-specific effects,
patsy's spline for the generator's curve, a spread that changes with population), and the study
reports it as measured; nothing here assumes it away.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from jichitai_cloud.clean import municipalities
from jichitai_cloud.errors import ParameterError
from jichitai_cloud.io import processes
from jichitai_cloud.registry import schema, vocab
from jichitai_cloud.survey import generator
from jichitai_cloud.survey.generator import GeneratorParams

ESTIMATORS = ("ols_hc3", "ols_cluster_prefecture", "ols_cluster_group", "ppml_hc0", "ppml_cluster_prefecture")
LABEL_TOLERANCE = 0.02  # joint/none ratio under 20k within ± this of the inferred cell's (an ABC tolerance)
MAX_DRAWS = 100_000  # per effect
MAX_EFFECTS = 20


@dataclass(frozen=True)
class Study:
    draws: int = 200
    effects: tuple = (0.0, -0.1, -0.2, -0.3)
    seed: int = 20181220  # the latest decision the source document cites
    # One common effect in every class: the study varies it, so its surveys are never pinned (the build's single
    # survey instead pins the under-20k joint-cloud cell to the inferred chart label: generator.small_joint_pin).
    generator: GeneratorParams = GeneratorParams(pin_inferred_label=False)
    reading: str = vocab.DEFAULT_READING  # of 'single above none' under 20k, for the ordering filter

    def __post_init__(self) -> None:
        if not isinstance(self.draws, int) or isinstance(self.draws, bool) or self.draws < 1:
            raise ParameterError(f"draws must be a whole number of at least 1; got {self.draws!r}")
        if self.draws > MAX_DRAWS:
            raise ParameterError(f"draws must be at most {MAX_DRAWS:,}; got {self.draws}")
        if not self.effects or len(self.effects) > MAX_EFFECTS:
            raise ParameterError(f"effects: give 1 to {MAX_EFFECTS} assumed effects; got {len(self.effects)}")
        if any(not -0.9 < e < 1.0 for e in self.effects):
            raise ParameterError(f"effects must lie between -0.9 and 1.0 (a change of mean cost); got "
                             f"{', '.join(f'{e:g}' for e in self.effects)}")
        repeated = sorted({e for e in self.effects if list(self.effects).count(e) > 1})
        if repeated:
            raise ParameterError(f"effects must differ from each other; {', '.join(f'{e:g}' for e in repeated)} is given "
                             f"more than once")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or not 0 <= self.seed < 2 ** 63:
            raise ParameterError(f"seed must be a whole number from 0 to {2 ** 63 - 1}; got {self.seed!r}")
        if self.reading not in vocab.READINGS:
            raise ParameterError(f"reading must be one of {', '.join(vocab.READINGS)}; got {self.reading!r}")
        if self.generator.pin_inferred_label:
            raise ParameterError("the study's generator must not pin the under-20k joint-cloud cell "
                                 "(GeneratorParams(pin_inferred_label=False)): the study varies one joint effect "
                                 "common to every class")


# --- what every draw shares ---------------------------------------------------------------------------

@dataclass
class Design:
    """The fixed parts: real populations, classes, prefectures, groups, the spline design, the published
    counts and orderings, the expected-calibrated baseline curve per effect."""

    frame: pd.DataFrame
    pub: dict
    x_curve: np.ndarray
    pop: np.ndarray
    cls: np.ndarray
    pref: np.ndarray
    group_cluster: np.ndarray
    joint: np.ndarray
    orderings: list
    only_these: list
    label_ratio: float | None
    trimmed: np.ndarray  # False for the least-populous municipalities the reading without them leaves out
    small_class: int | None  # the class whose single-cloud mean the document gives without them

    @classmethod
    def of(cls_, frame: pd.DataFrame, pub: dict, label_ratio: float | None = None,
           reading: str = vocab.DEFAULT_READING) -> Design:
        import patsy

        frame = frame.sort_values("code").reset_index(drop=True)
        pop = frame["population_2017_01_01_persons"].to_numpy(float)
        x = np.log(pop) - np.log(pop).mean()
        x_curve = np.asarray(patsy.dmatrix("cr(x, df=5, constraints='center')", {"x": x}))
        joint = municipalities.joint_cloud_as_of(frame, vocab.STATUS_DATE).to_numpy(bool)  # the generator's rule
        gid = frame["joint_cloud_group_id"].astype("Int64").fillna(0).to_numpy(int)
        groups = np.where(joint, gid, -np.arange(1, len(frame) + 1))
        order = pub["published_survey_orderings"]
        order = order[order["measure"] == "per_resident"]
        stated = [(int(r.class_id), r.lower_status, r.higher_status) for r in order.itertuples()]
        per_municipality = pub["published_survey_orderings"]
        per_municipality = per_municipality[per_municipality["measure"] == "per_municipality"]
        stated += [(int(r.class_id), r.lower_status, r.higher_status, "municipality")
                   for r in per_municipality.itertuples()]
        named = {c for c, lo, hi, *_ in stated if (lo, hi) == ("none", "single")}
        if reading not in vocab.READINGS:
            raise ParameterError(f"reading must be one of {', '.join(vocab.READINGS)}; got {reading!r}")
        trimmed = np.ones(len(frame), bool)
        if reading == vocab.WITHOUT_3:
            trimmed[generator.least_populous(frame, pub["published_survey_outliers"])] = False
        return cls_(frame, pub, x_curve, pop, frame["population_class_id"].to_numpy(),
                    pd.factorize(frame["prefecture"])[0], pd.factorize(groups)[0], joint, stated,
                    [c for c in vocab.CLASS_IDS if c not in named], label_ratio, trimmed, min(named) if named else None)


def expected_baseline(design: Design, params: GeneratorParams) -> tuple[np.ndarray, float]:
    """exp(f(x)) per municipality, and the under-20k single-cloud multiplier: the least curved curve for which each class's expected mean cost per
    resident and total equal the published figures, given the expected status multipliers (joint by the
    start-year rule; each other municipality single with its class's published share; the three
    least-populous fixed at their published values; the under-20k single multiplier solved)."""
    frame, pub = design.frame, design.pub
    setup = generator.CurveSetup.of(frame, pub, pin=None)  # the study's surveys are not pinned (see Study)
    counts = pub["published_status_counts"].set_index(["class_id", "cloud_status"])["municipalities"]
    fixed = np.zeros(len(frame), bool)
    fixed[list(setup.fixed)] = True
    share = np.zeros(len(frame))
    mult = np.where(design.joint, 1 + params.joint_effect, 1.0)
    for c in vocab.CLASS_IDS:
        pool = (design.cls == c) & ~design.joint & ~fixed
        singles = int(counts[(c, "single")]) - int((fixed & (design.cls == c)).sum())
        share[pool] = singles / pool.sum()
        if c in params.single_effect:
            mult[pool] = share[pool] * (1 + params.single_effect[c]) + (1 - share[pool])
    solved = (design.cls == 1) & ~design.joint & ~fixed
    theta, _ = setup.calibrate(mult, np.ones(len(frame)), solved, share)
    return np.exp(setup.basis @ theta[:-1]), float(np.exp(theta[-1]))


def draw(design: Design, baseline: np.ndarray, single_mult_1: float, params: GeneratorParams,
         rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One simulated survey: (cost per resident 円, status) in frame order."""
    pub = design.pub
    status, _ = generator.assign_status(design.frame, pub["published_status_counts"], pub["published_survey_outliers"], rng)
    mult = generator.status_multipliers(status, design.cls, params)
    setup_fixed = generator.least_populous(design.frame, pub["published_survey_outliers"])
    mult[(design.cls == 1) & (status == "single")] = single_mult_1
    r = baseline * mult * np.exp(params.log_noise(design.frame, status == "joint", rng))
    values = pub["published_survey_outliers"].sort_values("item")["value_yen"].iloc[:len(setup_fixed)].to_numpy(float)
    r[setup_fixed] = values
    return r, status


# --- the checks and the estimators, in plain numpy ------------------------------------------------------

def orderings_ok(design: Design, r: np.ndarray, status: np.ndarray) -> bool:
    """Whether a draw satisfies the orderings the document states (and, as the build's survey does, the
    reading that single is not above none in the classes it does not name), as summaries.ordering_checks
    does: in the under-20k class single against none without the least-populous three (the design's
    reading)."""
    cost = r * design.pop
    for rule in design.orderings:
        c, lo, hi = rule[:3]
        values = cost if len(rule) == 4 else r
        keep = design.trimmed if (len(rule) == 3 and c == design.small_class and (lo, hi) == ("none", "single")) \
            else True
        a, b = values[(design.cls == c) & (status == lo)], values[(design.cls == c) & (status == hi) & keep]
        if not (len(a) and len(b)) or a.mean() >= b.mean():
            return False
    for c in design.only_these:
        s, n = r[(design.cls == c) & (status == "single")], r[(design.cls == c) & (status == "none")]
        if s.mean() > n.mean():
            return False
    return True


def _small_ratio(design: Design, r: np.ndarray, status: np.ndarray) -> float:
    small = design.cls == 1
    return float(r[small & (status == "joint")].mean() / r[small & (status == "none")].mean())


def _cluster_cov(x, u, groups, bread):
    """CRV1, as statsmodels: G/(G − 1) × (N − 1)/(N − K) × bread · Σ_g s_g s_gᵀ · bread."""
    g = groups.max() + 1
    scores = np.zeros((g, x.shape[1]))
    np.add.at(scores, groups, x * u[:, None])
    n, k = x.shape
    adj = g / (g - 1) * (n - 1) / (n - k)
    return adj * bread @ scores.T @ scores @ bread, g


def fit_all(design: Design, r: np.ndarray, status: np.ndarray) -> dict[str, tuple[float, float, float]]:
    """Every estimator's joint estimate (log), standard error and critical value for a 95% interval."""
    x = np.column_stack([design.x_curve, status == "joint", status == "single"]).astype(float)
    j = design.x_curve.shape[1]
    n, k = x.shape
    out = {}
    # OLS on log cost per resident
    y = np.log(r)
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    u = y - x @ beta
    h = np.einsum("ij,jk,ik->i", x, xtx_inv, x)
    hc3 = xtx_inv @ (x.T * (u / (1 - h)) ** 2) @ x @ xtx_inv
    out["ols_hc3"] = (beta[j], float(np.sqrt(hc3[j, j])), float(stats.norm.ppf(0.975)))
    for name, groups in (("ols_cluster_prefecture", design.pref), ("ols_cluster_group", design.group_cluster)):
        cov, g = _cluster_cov(x, u, groups, xtx_inv)
        out[name] = (beta[j], float(np.sqrt(cov[j, j])), float(stats.t.ppf(0.975, g - 1)))
    # PPML: cost (百万円) with log population offset, by iteratively reweighted least squares
    cost = r * design.pop / 1e6
    offset = np.log(design.pop / 1e6)
    b = np.linalg.lstsq(x, np.log(r), rcond=None)[0]
    for _ in range(100):
        mu = np.exp(x @ b + offset)
        step = np.linalg.solve((x.T * mu) @ x, x.T @ (cost - mu))
        b = b + step
        if np.abs(step).max() < 1e-10:
            break
    mu = np.exp(x @ b + offset)
    bread = np.linalg.inv((x.T * mu) @ x)
    resid = cost - mu
    hc0 = bread @ (x.T * resid ** 2) @ x @ bread  # as statsmodels' GLM (no small-sample factor)
    out["ppml_hc0"] = (b[j], float(np.sqrt(hc0[j, j])), float(stats.norm.ppf(0.975)))
    cov, g = _cluster_cov(x, resid, design.pref, bread)
    out["ppml_cluster_prefecture"] = (b[j], float(np.sqrt(cov[j, j])), float(stats.t.ppf(0.975, g - 1)))
    return out


# --- running it -----------------------------------------------------------------------------------------

_WORKER: dict = {}


def _init_worker(frame, pub, label_ratio, reading=vocab.DEFAULT_READING, parent_pid=None):
    if parent_pid is not None:
        processes.die_with_parent(parent_pid)
    _WORKER["design"] = Design.of(frame, pub, label_ratio, reading)
    _WORKER["baselines"] = {}


def target(estimator: str, effect: float, params: GeneratorParams) -> float:
    """What an estimator estimates under the generator: log(1 + e) for PPML (mean cost); for OLS on log
    cost the geometric-mean effect, log(1 + e) − τ_group²/2 (joint members' extra log-scale variance)."""
    if estimator.startswith("ppml"):
        return float(np.log1p(effect))
    return float(np.log1p(effect) - params.tau_group ** 2 / 2)


def _run_chunk(study: Study, effect_index: int, first: int, last: int) -> list[dict]:
    design = _WORKER["design"]
    effect = study.effects[effect_index]
    params = replace(study.generator, joint_effect=effect)
    if effect_index not in _WORKER["baselines"]:
        _WORKER["baselines"][effect_index] = expected_baseline(design, params)
    baseline, single_1 = _WORKER["baselines"][effect_index]
    rows = []
    for k in range(first, last):
        rng = np.random.default_rng([study.seed, effect_index, k])
        r, status = draw(design, baseline, single_1, params, rng)
        ok = orderings_ok(design, r, status)
        ratio = _small_ratio(design, r, status)
        near_label = (design.label_ratio is not None and abs(ratio - design.label_ratio) <= LABEL_TOLERANCE)
        for name, (est, se, q) in fit_all(design, r, status).items():
            truth = target(name, effect, params)
            rows.append({"effect": effect, "draw": k, "estimator": name, "estimate": est, "std_error": se,
                         "ci_low": est - q * se, "ci_high": est + q * se, "truth": truth,
                         "covered": bool(est - q * se <= truth <= est + q * se), "orderings_ok": ok,
                         "small_class_ratio": ratio, "near_inferred_label": bool(near_label)})
    return rows


def run(study: Study, frame: pd.DataFrame, pub: dict, workers: int = 1, label_ratio: float | None = None,
        progress=None) -> pd.DataFrame:
    """Every draw's estimates, one row per (effect, draw, estimator). ``workers`` > 1 runs chunks in
    worker processes that end with the parent. Deterministic: draw k of effect i uses the stream
    [seed, i, k] whatever the number of workers."""
    chunk = max(1, min(50, study.draws))
    tasks = [(i, a, min(a + chunk, study.draws)) for i in range(len(study.effects))
             for a in range(0, study.draws, chunk)]
    rows: list[dict] = []
    if workers <= 1:
        _init_worker(frame, pub, label_ratio, study.reading)
        for t in tasks:
            rows += _run_chunk(study, *t)
            if progress:
                progress(len(rows) // len(ESTIMATORS))
    else:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=_init_worker,
                                 initargs=(frame, pub, label_ratio, study.reading, os.getpid())) as pool:
            with processes.without_main_script():  # map submits every task now: the workers start in it
                parts = pool.map(_run_chunk, *zip(*[(study, *t) for t in tasks]))
            for part in parts:
                rows += part
                if progress:
                    progress(len(rows) // len(ESTIMATORS))
    out = pd.DataFrame(rows).sort_values(["effect", "draw", "estimator"], ascending=[False, True, True])
    return schema.conform("simulation_draws", out)


def summarise(draws: pd.DataFrame) -> pd.DataFrame:
    """Per effect and estimator, over all draws, the draws satisfying the orderings, those whose
    under-20k joint/none ratio lies within LABEL_TOLERANCE of the inferred chart-label cell's, and those
    satisfying both: draws, their share (an approximate likelihood of the effect given the generator's
    other settings), mean estimate (%), bias and RMSE (log points, against each estimator's target, see
    :func:`target`), coverage of the 95% interval with its Monte Carlo standard error."""
    rows = []
    for (effect, estimator), g in draws.groupby(["effect", "estimator"], sort=False):
        for subset, sel in (("all", g), ("orderings", g[g["orderings_ok"]]),
                            ("inferred_label", g[g["near_inferred_label"]]),
                            ("orderings_and_label", g[g["orderings_ok"] & g["near_inferred_label"]])):
            n = len(sel)
            cov = float(sel["covered"].mean()) if n else np.nan
            err = sel["estimate"] - sel["truth"]
            rows.append({"effect_pct": 100 * effect, "estimator": estimator, "draws": n, "subset": subset,
                         "share_of_draws": n / len(g), "mean_estimate_pct": 100 * float(np.expm1(sel["estimate"]).mean())
                         if n else np.nan, "bias": float(err.mean()) if n else np.nan,
                         "rmse": float(np.sqrt((err ** 2).mean())) if n else np.nan, "coverage": cov,
                         "coverage_mc_se": float(np.sqrt(cov * (1 - cov) / n)) if n else np.nan})
    return schema.conform("simulation_summary", pd.DataFrame(rows))


# The build's own small study: enough draws to tell the covariances apart (Monte Carlo s.e. of a coverage near
# 0.9 about 0.03), at the generator's default effect, one worker, so that every build reproduces it exactly.
COVERAGE_STUDY = Study(draws=100, effects=(-0.2,))
COVARIANCES = {"ols_hc3": "HC3", "ols_cluster_prefecture": "clustered by prefecture (CR1), t(G − 1)",
               "ols_cluster_group": "clustered by group (CR1), t(G − 1)", "ppml_hc0": "HC0",
               "ppml_cluster_prefecture": "clustered by prefecture (CR1), t(G − 1)"}


def inference_coverage(frame: pd.DataFrame, pub: dict, study: Study = COVERAGE_STUDY) -> pd.DataFrame:
    """``model_inference_coverage``: per estimator, the coverage of its 95% interval, its Monte Carlo
    standard error and the bias, over ``study.draws`` simulated surveys (no ordering filter): why a real
    file's default inference is prefecture-clustered. Simulated: a check of the method."""
    s = summarise(run(study, frame, pub, workers=1))
    s = s[s["subset"] == "all"].copy()
    s["covariance"] = s["estimator"].map(COVARIANCES)
    s["seed"] = study.seed
    cols = ["effect_pct", "estimator", "covariance", "draws", "coverage", "coverage_mc_se", "bias", "seed"]
    return schema.conform("model_inference_coverage", s[cols].reset_index(drop=True))


def parameters(study: Study, workers: int, label_ratio: float | None, seconds: float | None = None,
               build_id: str = "") -> pd.DataFrame:
    """One row: what produced the simulation tables (and the data build they were computed from)."""
    out = pd.DataFrame([{"draws_per_effect": study.draws, "effects": json.dumps(list(study.effects)), "seed": study.seed,
                          "reading": study.reading, "workers": workers, "generator_params": json.dumps(asdict(study.generator), sort_keys=True,
                                                                             ensure_ascii=False),
                          "label_ratio": np.nan if label_ratio is None else label_ratio,
                          "label_tolerance": LABEL_TOLERANCE, "seconds": np.nan if seconds is None else seconds,
                          "computed_on_build": build_id}])
    return schema.conform("simulation_parameters", out)


def inferred_ratio(gaps: pd.DataFrame) -> float | None:
    """The under-20k joint/none ratio of the inferred chart-label cell (the middle of its identified set)."""
    row = gaps[(gaps["class_id"] == 1) & gaps["inferred_label"] & gaps["plausibility_floor"]
               & (gaps["reading"] == vocab.WITHOUT_3) & gaps["label_used"]]
    return None if row.empty else float((row["ratio_low"].iloc[0] + row["ratio_high"].iloc[0]) / 2)



def parse_effects(text: str) -> tuple[float, ...]:
    """'0,-0.1,-0.2' -> (0.0, -0.1, -0.2), with a message naming what is wrong."""
    try:
        return tuple(float(e) for e in str(text).split(","))
    except ValueError:
        raise ParameterError(f"effects must be numbers separated by commas, e.g. 0,-0.1,-0.2; got {text!r}") from None


def describe(study: Study) -> str:
    """The study's settings in one paragraph."""
    g = study.generator
    return (f"{study.draws} draws for each assumed joint-cloud effect ({', '.join(f'{e:+.0%}' for e in study.effects)}), "
            f"seed {study.seed}. Generator: municipal noise sd {g.sigma} (log scale) at the mean log population, "
            f"multiplied by exp({g.sigma_slope:+.2f}) per unit of log population, prefecture effects sd "
            f"{g.tau_prefecture}, group effects sd {g.tau_group}, single-cloud effects as in the build's survey; the "
            f"curve calibrated to the published class figures in expectation. Targets: PPML log(1 + effect) (mean "
            f"cost); OLS on logs log(1 + effect) − {g.tau_group ** 2 / 2:.4f} (geometric mean: the group effects' "
            f"−τ²/2). Remaining bias is the estimators' misspecification against the generator, as measured. The "
            f"share of draws satisfying the orderings is an approximate likelihood conditional on the generator's "
            f"other settings (single-cloud effects, spreads), not a probability of the effect.")

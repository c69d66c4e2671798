"""Stage 4b, who joins: the membership models tested on the joins that came after them (real data only).

The source document lists, with its 2018-04 group list, the municipalities planning to join FY2018–FY2023
(``planned_joins``). No model here sees them: each is fitted on membership at a date and scored on the
municipalities not yet members then, against whether they planned to join (a test on later outcomes,
though the plans were announced with the list, not unknown in 2018).

- Fitted on the 2018-04 list: risk set the non-members of 2018-04; joiners the planned joins FY2018–FY2023.
  2018-04-01 is the first day of FY2018: the hazard sees FY2006–FY2017 whole (the FY2018 starters are
  members, not events of an observed year) and predicts FY2018–FY2023.
- Fitted on 2017-04-01 (start years): risk set the non-members then; joiners those whose group started in
  FY2017 or FY2018 (in the 2018-04 list) and the planned joins. Not strictly out of sample: membership in
  2017 is read from the 2018-04 list by start years, which counts as members 22 municipalities more than the
  survey's 357 (later joiners into existing groups), so they leave the risk set too early.

Models: the membership logit (:mod:`membership`), the discrete-time hazard (:mod:`hazard`; its variant
without the groups known to grow is fitted as a sensitivity only, since those groups are read from the
planned-joins slide), and three baselines a researcher would try: a size-only logit (log
population and its square), the prefecture's member share and the population class's member share at the
fit date. The hazard gives the probability of joining within the window itself; every other score is put
on that scale with information available at the fit date only: the published joint-cloud count's growth
per year since 2014-04 times the window's years, spread over the risk set in proportion to the score
(each at most 1). Reported: discrimination (AUC, the Mann–Whitney statistic, with a 95% interval and the
paired difference from the best model, both clustered by prefecture after Obuchowski, since joins come in
whole groups), the Brier score and its skill against a constant forecast, and calibration (observed
against predicted joiners by decile of the probability, by population class, by prefecture).

The model with the lowest Brier score on the 2018-04 fit among :data:`CANDIDATES` is the one the project
predicts with: the FY2023 target's allocation (:mod:`projections`), each municipality's probability of
joining in the reports, and each prefecture's predicted joiners with a predictive range that includes the
spread between prefectures (the chosen model refitted with a prefecture random intercept, :mod:`mixed_logit`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.discrete.discrete_model import Logit
from statsmodels.tools.tools import add_constant

from jichitai_cloud.analysis import hazard, membership, projections
from jichitai_cloud.clean import municipalities
from jichitai_cloud.registry import vocab

FITS = {  # fit date -> the last fiscal year the hazard sees whole, the membership it knows, the window it predicts
    # 2018-04-01 is the first day of FY2018: its groups' starts (H30) are members, but the year is not observed
    vocab.LIST_DATE: {"panel_last_fy": 2017, "members_through": 2018, "window": range(2018, 2024)},
    vocab.STATUS_DATE: {"panel_last_fy": 2016, "members_through": 2016, "window": range(2017, 2024)},
}
MODELS = ("membership_logit", "hazard", "size_logit", "prefecture_share", "class_share")
# The models the project may predict with; the one with the lowest Brier score on the 2018-04 fit (a proper
# scoring rule: it rewards both ranking and calibration of the very probability used) is chosen. The
# baselines are benchmarks only. (The hazard variant without growing groups is a sensitivity of the fit, not
# validated: the groups it leaves out are read from the planned-joins slide, the test's own outcome.)
CANDIDATES = ("membership_logit", "hazard")
CHOSEN_FIT = vocab.LIST_DATE
BASELINE_FROM = "2014-04-01"  # the first published joint-cloud count


# --- metrics -------------------------------------------------------------------------------------------

def _placements(score: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DeLong's structural components: for each joiner the share of non-joiners it outscores (ties ½), and
    for each non-joiner the share of joiners that outscore it."""
    pos, neg = score[y == 1], score[y == 0]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    return psi.mean(axis=1), psi.mean(axis=0)


def _variance(v10: np.ndarray, v01: np.ndarray, y: np.ndarray, clusters: np.ndarray | None) -> float:
    """The variance of a mean of structural components: DeLong's for independent units, Obuchowski's (1997)
    when units come in clusters (the components summed per cluster, with their covariance across the two
    groups)."""
    if clusters is None:
        return float(v10.var(ddof=1) / len(v10) + v01.var(ddof=1) / len(v01))
    a = float(v10.mean())
    ids, k = np.unique(clusters, return_inverse=True)
    g = len(ids)
    m, n = len(v10), len(v01)
    x = np.bincount(k[y == 1], v10, g) - a * np.bincount(k[y == 1], minlength=g)
    z = np.bincount(k[y == 0], v01, g) - a * np.bincount(k[y == 0], minlength=g)
    f = g / (g - 1)
    return float(f * ((x @ x) / m**2 + (z @ z) / n**2 + 2 * (x @ z) / (m * n)))


def auc(score: np.ndarray, y: np.ndarray, clusters: np.ndarray | None = None) -> tuple[float, float]:
    """The AUC (the Mann–Whitney U over n₁·n₀) and its standard error: DeLong's, or, with ``clusters``
    (e.g. prefectures, since municipalities join whole groups at a time), Obuchowski's clustered one."""
    y = np.asarray(y, int)
    v10, v01 = _placements(np.asarray(score, float), y)
    return float(v10.mean()), float(np.sqrt(_variance(v10, v01, y, clusters)))


def auc_difference(a: np.ndarray, b: np.ndarray, y: np.ndarray,
                   clusters: np.ndarray | None = None) -> tuple[float, float]:
    """AUC(a) − AUC(b) on the same municipalities and its paired standard error (DeLong, or clustered)."""
    y = np.asarray(y, int)
    a10, a01 = _placements(np.asarray(a, float), y)
    b10, b01 = _placements(np.asarray(b, float), y)
    d10, d01 = a10 - b10, a01 - b01
    return float(d10.mean()), float(np.sqrt(max(_variance(d10, d01, y, clusters), 0.0)))


def brier(p: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((np.asarray(p, float) - np.asarray(y, float)) ** 2))


def decile_bins(p: np.ndarray, bins: int = 10) -> np.ndarray:
    """Bin 1..bins of each probability by its (average) rank: near-equal groups, tied probabilities always in
    one bin (so a score with few distinct values, like a share, gives fewer, larger bins)."""
    ranks = stats.rankdata(np.asarray(p, float), method="average")
    return np.clip(np.ceil(ranks * bins / len(ranks)).astype(int), 1, bins)


# --- the risk sets and the scores ----------------------------------------------------------------------

def outcome(df: pd.DataFrame, planned: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """The risk set at ``as_of`` (modelled municipalities not members then) with ``joined``: 1 if it joined
    later (see the module docstring), with its prefecture and population class."""
    member = df[f"member_{as_of.replace('-', '_')}"].astype(bool)
    joiners = set(planned.loc[(planned["counted_as"] != "undetermined") & ~planned["already_member_2018_04"], "code"])
    later = set(df.loc[df["member_2018_04_01"].astype(bool) & ~member, "code"]) if as_of != vocab.LIST_DATE else set()
    risk = df[~member].copy()
    risk["joined"] = risk["code"].isin(joiners | later).astype(int)
    return risk[["code", "prefecture", "population_class_id", "joined"]].reset_index(drop=True)


def _share_score(df: pd.DataFrame, member: pd.Series, by: str, risk: pd.DataFrame) -> np.ndarray:
    share = member.groupby(df[by]).mean()
    return risk[by].map(share).to_numpy(float)


def _logit_score(df: pd.DataFrame, as_of: str, columns: tuple, risk: pd.DataFrame) -> np.ndarray:
    y = df[f"member_{as_of.replace('-', '_')}"].astype(float)
    x = add_constant(df[list(columns)].astype(float))
    res = Logit(y, x).fit(disp=0)
    p = pd.Series(np.asarray(res.predict(x)), index=df["code"].to_numpy())
    return risk["code"].map(p).to_numpy(float)


def expected_joins(adoption_wide: pd.DataFrame, as_of: str, years: int) -> float:
    """Joins a window of ``years`` fiscal years would see at the published growth per year since 2014-04
    (known at ``as_of``): the scale every score but the hazard's is put on."""
    actual = adoption_wide[adoption_wide["kind"] == "actual"].set_index("as_of_date")["joint_cloud_municipalities"]
    start, end = pd.Timestamp(BASELINE_FROM), pd.Timestamp(as_of)
    per_year = (float(actual[end]) - float(actual[start])) / ((end - start).days / 365.25)
    return per_year * years


def growing_groups(planned: pd.DataFrame) -> frozenset:
    """Groups the planned-joins slide shows taking members after their start."""
    return frozenset(int(g) for g in planned["joins_group_id"].dropna().unique())


def scores(df: pd.DataFrame, frame: pd.DataFrame, planned: pd.DataFrame, adjacent: dict,
           adoption_wide: pd.DataFrame, as_of: str) -> tuple[pd.DataFrame, dict]:
    """The risk set at ``as_of`` with each model's probability of joining within the window (columns named
    as MODELS), and the fitted hazard models (with the variant without growing groups, a sensitivity)."""
    spec = FITS[as_of]
    risk = outcome(df, planned, as_of)
    member = df[f"member_{as_of.replace('-', '_')}"].astype(bool)
    joined = hazard.join_year(frame)
    drop = frozenset(frame.loc[frame["joint_cloud_group_id"].isin(growing_groups(planned)), "code"])
    fits = {"hazard": hazard.fit(hazard.panel(df, joined, adjacent, spec["panel_last_fy"])),
            "hazard_drop_growing": hazard.fit(hazard.panel(df, joined, adjacent, spec["panel_last_fy"], drop))}
    risk["hazard"] = risk["code"].map(hazard.window_probability(fits["hazard"], df, joined, adjacent,
                                                                spec["members_through"], spec["window"])
                                      ).to_numpy(float)
    raw = {"membership_logit": _logit_score(df, as_of, membership.COLUMNS, risk),
           "size_logit": _logit_score(df, as_of, ("log_pop_c", "log_pop_c_sq"), risk),
           "prefecture_share": _share_score(df, member, "prefecture", risk),
           "class_share": _share_score(df, member, "population_class_id", risk)}
    total = expected_joins(adoption_wide, as_of, len(spec["window"]))
    for name, s in raw.items():
        risk[name] = projections.capped_allocation(s, min(total, float(len(s))))
    return risk, fits


# --- the tables -----------------------------------------------------------------------------------------

def summary(risk: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """One row per model: AUC with its 95% interval, the difference from the best model's AUC with its paired
    interval (both clustered by prefecture: joins come in whole groups), the Brier score and its skill against
    a constant forecast of the observed share, predicted and observed joiners; which model ranks best, and
    (on the 2018-04 fit only) the one the project predicts with."""
    y = risk["joined"].to_numpy()
    pref = risk["prefecture"].to_numpy()
    z = stats.norm.ppf(0.975)
    aucs = {m: auc(risk[m].to_numpy(), y, pref) for m in MODELS}
    best = max(aucs, key=lambda m: aucs[m][0])
    briers = {m: brier(risk[m], y) for m in MODELS}
    reference = brier(np.full(len(y), y.mean()), y)
    chosen = min(CANDIDATES, key=lambda m: briers[m]) if as_of == CHOSEN_FIT else None
    rows = []
    for m in MODELS:
        a, se = aucs[m]
        d, dse = auc_difference(risk[m].to_numpy(), risk[best].to_numpy(), y, pref) if m != best else \
            (np.nan, np.nan)
        rows.append({"fit_as_of": as_of, "model": m, "municipalities": len(risk), "joiners": int(y.sum()),
                     "expected_joiners": float(risk[m].sum()), "auc": a, "auc_ci_low": max(0.0, a - z * se),
                     "auc_ci_high": min(1.0, a + z * se), "auc_diff_from_best": d,
                     "diff_ci_low": d - z * dse, "diff_ci_high": d + z * dse, "brier": briers[m],
                     "brier_skill": 1 - briers[m] / reference, "best_auc": m == best, "chosen": m == chosen})
    return pd.DataFrame(rows)


def calibration(risk: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Observed and predicted joiners per model by decile of its probability, by population class and by
    prefecture."""
    labels = {c.class_id: c.label_ja for c in vocab.POPULATION_CLASSES}
    rows = []
    for m in MODELS:
        p, y = risk[m].to_numpy(float), risk["joined"].to_numpy(int)
        groupings = (("decile", decile_bins(p), lambda k: f"{k}"),
                     ("class", risk["population_class_id"].to_numpy(), lambda k: labels[int(k)]),
                     ("prefecture", risk["prefecture"].to_numpy(), lambda k: k))
        for by, keys, label in groupings:
            order = (list(municipalities.PREFECTURES) if by == "prefecture" else sorted(set(keys)))
            for k in [k for k in order if k in set(keys)]:
                sel = keys == k
                rows.append({"fit_as_of": as_of, "model": m, "by": by, "key": str(k), "label": label(k),
                             "municipalities": int(sel.sum()), "predicted_joiners": float(p[sel].sum()),
                             "observed_joiners": int(y[sel].sum())})
    return pd.DataFrame(rows)


def coefficients(fits: dict, as_of: str) -> pd.DataFrame:
    """The hazard models' log odds with prefecture-clustered t(G − 1) intervals."""
    out = []
    for name, res in fits.items():
        ci = np.asarray(res.conf_int())
        out.append(pd.DataFrame({"fit_as_of": as_of, "model": name, "term": list(res.params.index),
                                 "estimate": np.asarray(res.params), "std_error": np.asarray(res.bse),
                                 "ci_low": ci[:, 0], "ci_high": ci[:, 1], "odds_ratio": np.exp(np.asarray(res.params)),
                                 "events": int(res.model.endog.sum()), "rows": int(res.nobs)}))
    return pd.concat(out, ignore_index=True)


def chosen_model(validation: pd.DataFrame) -> str:
    v = validation[(validation["fit_as_of"] == CHOSEN_FIT) & validation["chosen"]]
    return str(v["model"].iloc[0])


def prefecture_join_ranges(df: pd.DataFrame, frame: pd.DataFrame, planned: pd.DataFrame, adjacent: dict,
                           risk: pd.DataFrame, model: str, adoption_wide: pd.DataFrame, level: float = 0.95
                           ) -> pd.DataFrame:
    """``evidence_prefecture_join_ranges``: per prefecture, its planned joiners FY2018–FY2023 against the
    joiners the chosen model predicts for a typical prefecture with its municipalities at risk, with the spread
    between prefectures (a hazard: its prefecture random intercept around the fitted log odds; the membership
    logit: refitted with one): the expectation and the central ``level`` range (between-prefecture
    spread, chance per municipality, estimation uncertainty), and where the planned count lies."""
    from jichitai_cloud.analysis import mixed_logit

    spec = FITS[CHOSEN_FIT]
    if model.startswith("hazard"):
        drop = frozenset(frame.loc[frame["joint_cloud_group_id"].isin(growing_groups(planned)), "code"]) \
            if model == "hazard_drop_growing" else frozenset()
        joined = hazard.join_year(frame)
        panel = hazard.panel(df, joined, adjacent, spec["panel_last_fy"], drop)
        res = hazard.fit(panel)
        ri = hazard.dispersion(res, panel)
        codes, design = hazard.window_design(df, joined, adjacent, spec["members_through"], spec["window"])
        offset = design @ np.asarray(res.params, float)
        x = np.ones(offset.shape + (1,))
        scale = None
    else:  # the membership logit on the window's scale: the same factor as its validation (at u = 0)
        ri, xall = membership.random_intercept(df, CHOSEN_FIT)
        at_risk = ~df[f"member_{CHOSEN_FIT.replace('-', '_')}"].astype(bool).to_numpy()
        codes, x = df["code"].to_numpy()[at_risk], xall[at_risk]
        offset = None
        total = expected_joins(adoption_wide, CHOSEN_FIT, len(spec["window"]))
        z, w = np.polynomial.hermite.hermgauss(mixed_logit.PREDICTIVE_NODES)  # the mean over a new prefecture effect
        lin = (x @ ri.beta)[:, None] + np.sqrt(2.0) * ri.tau * z[None, :]
        scale = total / float(((1 / (1 + np.exp(-lin))) @ (w / np.sqrt(np.pi))).sum())
    y = risk.set_index("code")["joined"]
    pref = df.set_index("code")["prefecture"]
    rows = []
    for p in municipalities.PREFECTURES:
        idx = np.flatnonzero(pref.reindex(codes).to_numpy() == p)
        dist = mixed_logit.predictive_counts(x[idx], ri, scale=scale, offset=None if offset is None else offset[idx]) \
            if len(idx) else np.array([1.0])
        lo, hi = mixed_logit.central_range(dist, level)
        actual = int(y.reindex(codes[idx]).sum())
        rows.append({"prefecture": p, "model": model, "municipalities_at_risk": len(idx), "planned_joiners": actual,
                     "expected_joiners": float(np.arange(len(dist)) @ dist), "range_low": lo, "range_high": hi,
                     "range_level": level, "position": "above" if actual > hi else ("below" if actual < lo else
                                                                                    "within"),
                     "tau": ri.tau, "converged": ri.converged})
    return pd.DataFrame(rows)


def tables(frame: pd.DataFrame, df: pd.DataFrame, planned: pd.DataFrame, boundaries,
           adoption_wide: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """evidence_membership_validation, evidence_membership_calibration, evidence_hazard_coefficients,
    evidence_prefecture_join_ranges, and ``join_probability``: the chosen model's probability of joining
    FY2018–FY2023 of each municipality not a member in 2018-04 (by code)."""
    adjacent = hazard.neighbours(boundaries)
    summaries, bins, coefs, risks = [], [], [], {}
    for as_of in FITS:
        risk, fits = scores(df, frame, planned, adjacent, adoption_wide, as_of)
        risks[as_of] = risk
        summaries.append(summary(risk, as_of))
        bins.append(calibration(risk, as_of))
        coefs.append(coefficients(fits, as_of))
    validation = pd.concat(summaries, ignore_index=True)
    model = chosen_model(validation)
    risk = risks[CHOSEN_FIT]
    return {"evidence_membership_validation": validation,
            "evidence_membership_calibration": pd.concat(bins, ignore_index=True),
            "evidence_hazard_coefficients": pd.concat(coefs, ignore_index=True),
            "evidence_prefecture_join_ranges": prefecture_join_ranges(df, frame, planned, adjacent, risk, model,
                                                                      adoption_wide),
            "join_probability": risk.set_index("code")[model]}

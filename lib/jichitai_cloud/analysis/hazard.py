"""Stage 4b, who joins, and when: a discrete-time hazard model of joining a joint cloud (real data only).

The panel has one row per municipality and fiscal year at risk, FY2006 (the first group's start, H18)
to the last year observed. A member's join year is its group's start year (導入年度 of the 2018-04
list): the list does not date later joins into a group, so a municipality that joined an existing
group late is dated too early (the start-year rule counts 379 members at 2017-04-01 where the survey
publishes 357). A member leaves the risk set the year it joins; a non-member stays until the last
year (censored). The variant ``drop_growing`` leaves out the members of the groups the planned-joins
slide shows taking members after their start (their join years are the least certain).

The hazard is a logit of joining in year t given not yet joined:

    logit h_it = x_i·β + γ·group_in_prefecture_it + δ·neighbour_member_it + λ·(t − 2012)

with the membership logit's real covariates x_i (:mod:`membership`), whether a group already operated
in the prefecture before year t, whether an adjacent municipality (shared boundary, real boundaries
2017-01-01) was already a member, and a linear trend. Errors are clustered by prefecture (CR1,
t(G − 1)). Predictions for later years hold the time-varying covariates at their last observed value
and extrapolate the trend; the probability of joining within a window is 1 − Π (1 − h_it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.discrete.discrete_model import Logit
from statsmodels.tools.tools import add_constant

from jichitai_cloud.analysis import membership

FIRST_FY = 2006
TREND_CENTRE = 2012
TIME_VARYING = ("group_in_prefecture", "neighbour_member", "trend")
COLUMNS = membership.COLUMNS + TIME_VARYING


def join_year(frame: pd.DataFrame) -> pd.Series:
    """Each municipality's join fiscal year (its group's start year; NaN for non-members), by code."""
    return frame.set_index("code")["joint_cloud_start_fy"].astype("float64")


def neighbours(boundaries) -> dict[str, list[str]]:
    """Codes sharing a boundary with each municipality (the boundaries table: simplified once, coverage-
    preserving, so shared edges stay shared)."""
    import shapely

    geoms = list(boundaries["geometry"])
    codes = boundaries["code"].tolist()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    out: dict[str, list[str]] = {c: [] for c in codes}
    for a, b in zip(left, right):
        if a != b:
            out[codes[a]].append(codes[b])
    return out


def _first_year(joined: pd.Series, codes: list) -> float:
    """The first join year among ``codes`` (NaN if none joined). Non-members' NaN are skipped explicitly:
    Python's min over NaN and numbers depends on their order."""
    years = [y for y in (joined.get(c, np.nan) for c in codes) if not np.isnan(y)]
    return min(years) if years else np.nan


def _exposure(df: pd.DataFrame, rows: pd.DataFrame, joined: pd.Series, adjacent: dict,
              years: range) -> tuple[np.ndarray, np.ndarray]:
    """For each municipality of ``rows`` and year: a group operated in its prefecture before the year (any
    municipality of ``df`` in it had joined), and an adjacent municipality was a member before the year
    (arrays municipalities × years)."""
    first = pd.Series(df["code"].map(joined).to_numpy(float)).groupby(df["prefecture"].to_numpy()).min()
    first_in_pref = rows["prefecture"].map(first).to_numpy(float)
    first_neighbour = np.array([_first_year(joined, adjacent.get(code, [])) for code in rows["code"]], float)
    t = np.array(list(years), float)[None, :]
    with np.errstate(invalid="ignore"):
        return (first_in_pref[:, None] < t).astype(float), (first_neighbour[:, None] < t).astype(float)


def panel(df: pd.DataFrame, joined: pd.Series, adjacent: dict, last_fy: int,
          drop_codes: frozenset = frozenset()) -> pd.DataFrame:
    """One row per municipality and fiscal year at risk, FIRST_FY to ``last_fy``, with the event (joined that
    year), the covariates and the prefecture. ``df``: membership.model_frame rows; ``joined``: join year by
    code (years after ``last_fy`` are not yet observed); ``drop_codes`` leaves municipalities out."""
    d = df[~df["code"].isin(drop_codes)].reset_index(drop=True)
    years = range(FIRST_FY, last_fy + 1)
    observed = joined.where(joined <= last_fy)
    in_pref, near = _exposure(df, d, observed, adjacent, years)
    fy = d["code"].map(observed).to_numpy(float)
    rows = []
    for k, t in enumerate(years):
        at_risk = np.isnan(fy) | (fy >= t)
        sel = np.flatnonzero(at_risk)
        part = d.loc[sel, ["code", "prefecture", *membership.COLUMNS]].copy()
        part["fiscal_year"] = t
        part["event"] = (fy[sel] == t).astype(int)
        part["group_in_prefecture"] = in_pref[sel, k]
        part["neighbour_member"] = near[sel, k]
        part["trend"] = (t - TREND_CENTRE) / 10.0
        rows.append(part)
    return pd.concat(rows, ignore_index=True)


def fit(p: pd.DataFrame):
    """The discrete-time hazard: pooled logit on the panel, prefecture-clustered (CRV1), t(G − 1)."""
    x = add_constant(p[list(COLUMNS)].astype(float))
    return Logit(p["event"].astype(float), x).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": pd.factorize(p["prefecture"])[0]}, use_t=True)


def window_design(df: pd.DataFrame, joined: pd.Series, adjacent: dict, last_fy: int,
                  window: range) -> tuple[np.ndarray, np.ndarray]:
    """The codes of the municipalities of ``df`` not members by ``last_fy``, and their design for each year of
    ``window`` (municipalities × years × [const, COLUMNS]): the time-varying covariates held at their values
    for ``last_fy`` + 1, the trend extrapolated."""
    observed = joined.where(joined <= last_fy)
    d = df[df["code"].map(observed).isna()].reset_index(drop=True)
    in_pref, near = _exposure(df, d, observed, adjacent, range(last_fy + 1, last_fy + 2))
    base = np.column_stack([np.ones(len(d)), d[list(membership.COLUMNS)].to_numpy(float), in_pref[:, 0], near[:, 0]])
    years = np.array(list(window), float)
    x = np.repeat(base[:, None, :], len(years), axis=1)
    return d["code"].to_numpy(), np.concatenate([x, ((years - TREND_CENTRE) / 10.0)[None, :, None].repeat(len(d), 0)],
                                                axis=2)


def window_probability(res, df: pd.DataFrame, joined: pd.Series, adjacent: dict, last_fy: int,
                       window: range) -> pd.Series:
    """Probability (by code) of joining within ``window`` for the municipalities of ``df`` not members by
    ``last_fy``: 1 − Π (1 − h_t) (see :func:`window_design`)."""
    codes, x = window_design(df, joined, adjacent, last_fy, window)
    h = 1.0 / (1.0 + np.exp(-(x @ np.asarray(res.params, float))))
    return pd.Series(1 - np.prod(1 - h, axis=-1), index=codes)


def dispersion(res, p: pd.DataFrame):
    """The spread between prefectures around the fitted hazard: a prefecture random intercept (and a shift of
    the log odds) with the hazard's linear predictor as offset, by adaptive Gauss–Hermite maximum likelihood
    (:mod:`mixed_logit`). Refitting every coefficient with the random intercept instead lets the trend absorb
    the early prefecture-wide groups and extrapolates wildly; holding them keeps the hazard's predictions and
    adds the between-prefecture variation to their uncertainty."""
    from jichitai_cloud.analysis import mixed_logit

    x = add_constant(p[list(COLUMNS)].astype(float), has_constant="add").to_numpy()
    offset = x @ np.asarray(res.params, float)
    return mixed_logit.fit(np.ones((len(p), 1)), p["event"].to_numpy(float), pd.factorize(p["prefecture"])[0],
                           start=np.zeros(1), offset=offset)

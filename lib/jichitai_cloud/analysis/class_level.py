"""Stage 4d, models: the class-level model, from published numbers only (no survey).

A smooth curve of mean cost per resident in log population, matched by minimum distance to the twelve
published class moments (mean per resident, 円; total, 億円) over the 1,741 real populations (2017-01-01).
It needs no per-municipality costs, so it is the same whether the survey is simulated or real; the build
writes it to ``model_class_level_moments``, ``model_class_level_fit`` and, as a curve, ``model_fitted_curves``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

CLASS_DF = 4  # spline degrees of freedom of the class-level curve (plus an intercept): 7 of 12 moments left


def class_level(cost_by_class: pd.DataFrame, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Minimum distance: a smooth curve m(x) = exp(B(x)·θ) of mean cost per resident in log population x
    (natural cubic spline, CLASS_DF degrees of freedom) such that, over the 1,741 real populations
    (2017-01-01), each class's mean of m and its total Σ m·P match the published mean (円) and total
    (億円): twelve moments. Each gap is weighed by its published rounding (± 0.5円, ± 0.5億円, as a
    uniform error: sd = width / √12).

    A lognormal spread around the curve is not identified from these moments: means and totals are
    linear in cost per resident, so a spread σ only rescales the curve by exp(σ²/2); the curve is
    that of the mean. Returns (moments: published, fitted, standardized gap per class and moment;
    fit: one row with J = Σ gap² and its degrees of freedom, the moments reproduced within rounding
    and the largest gap in half-widths; theta).

    J is a distance, not a test: rounding is not the only way a smooth curve can miss class means
    (status mix, spread varying with population), so no p-value is attached. The check is plain:
    how many of the twelve published figures the curve reproduces within their rounding.
    """
    import patsy

    d = frame.sort_values("code")
    x = np.log(d["population_2017_01_01_persons"].to_numpy(float))
    pop = d["population_2017_01_01_persons"].to_numpy(float)
    cls = d["population_class_id"].to_numpy()
    basis = np.asarray(patsy.dmatrix(f"cr(x, df={CLASS_DF}, constraints='center')", {"x": x}))
    cost = cost_by_class.set_index("class_id")
    classes = list(cost.index)
    mean_pub = cost["it_cost_per_resident_mean_yen"].to_numpy(float)
    total_pub = cost["it_cost_total_oku_yen"].to_numpy(float)
    sd_mean, sd_total = 1 / np.sqrt(12), 1 / np.sqrt(12)  # width 1円 and 1億円

    def moments(theta):
        m = np.exp(basis @ theta)
        means = np.array([m[cls == c].mean() for c in classes])
        totals = np.array([(m * pop)[cls == c].sum() / 1e8 for c in classes])
        return means, totals

    def gaps(theta):
        means, totals = moments(theta)
        return np.concatenate([(means - mean_pub) / sd_mean, (totals - total_pub) / sd_total])

    start = np.linalg.lstsq(basis, np.log(np.interp(x, np.log(cost["population_thousand_persons"] * 1000.0
                                                                / cost["municipalities"]), mean_pub)), rcond=None)[0]
    res = least_squares(gaps, start, x_scale="jac", max_nfev=5000, xtol=1e-12, ftol=1e-12)
    means, totals = moments(res.x)
    g = gaps(res.x)
    j = float((g ** 2).sum())
    df_fit = 2 * len(classes) - len(res.x)
    labels = cost["population_class_ja"]
    mom = pd.DataFrame({
        "class_id": classes * 2, "population_class_ja": list(labels) * 2,
        "moment": ["mean_per_resident_yen"] * len(classes) + ["total_oku_yen"] * len(classes),
        "published": np.concatenate([mean_pub, total_pub]), "fitted": np.concatenate([means, totals]),
        "gap_half_widths": np.concatenate([means - mean_pub, totals - total_pub]) / 0.5,
    })
    fit_row = pd.DataFrame([{"moments": 2 * len(classes), "parameters": len(res.x), "degrees_of_freedom": df_fit,
                             "j_statistic": j,
                             "largest_gap_half_widths": float(np.abs(mom["gap_half_widths"]).max()),
                             "within_rounding": int((np.abs(mom["gap_half_widths"]) <= 1).sum()),
                             "converged": bool(res.success), "curve": f"natural cubic spline in log population, "
                                                                      f"{CLASS_DF} df + intercept"}])
    return mom, fit_row, res.x


def class_level_fitted(cost_by_class: pd.DataFrame, frame: pd.DataFrame, populations: np.ndarray) -> pd.DataFrame:
    """The class-level model's curve of mean cost per resident (円) over the grid points within the
    range of the real populations it was fitted to."""
    import patsy

    d = frame.sort_values("code")
    x = np.log(d["population_2017_01_01_persons"].to_numpy(float))
    _, _, theta = class_level(cost_by_class, frame)
    design = patsy.dmatrix(f"cr(x, df={CLASS_DF}, constraints='center')", {"x": x}).design_info
    populations = np.asarray(populations)
    populations = populations[(np.log(populations) >= x.min()) & (np.log(populations) <= x.max())]
    grid = np.asarray(patsy.build_design_matrices([design], {"x": np.log(populations)})[0])
    return pd.DataFrame({"population_persons": populations, "fitted_cost_per_resident_yen": np.exp(grid @ theta)})

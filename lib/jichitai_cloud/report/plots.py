"""Stage 6a, plots: every chart of the project, for reports and for exploring (``jc.plots``).

Each chart function returns a ``matplotlib.figure.Figure`` (built without pyplot, so nothing is drawn twice
in a notebook and no global state leaks between charts: end a cell with the returned figure to show it), and
says in its title or caption what kind its numbers are (published / derived / real / simulated ...: from the
registry). The charts live by topic; this module gathers them:

- :mod:`charts_base`: the style (:func:`set_style`: seaborn, then the Japanese font) and common helpers;
- :mod:`charts_published`: the published tables and the group list's shares;
- :mod:`charts_survey`: the per-municipality survey (simulated unless a real file was configured);
- :mod:`charts_evidence`: the evidence from the published figures (no simulated number);
- :mod:`charts_method`: the method check (simulation study, assumed-effect lines, the class-level fit);
- :mod:`map_charts`: maps (drawing only; the boundaries are cleaned in :mod:`jichitai_cloud.clean.maps`).
"""

from __future__ import annotations

from jichitai_cloud.report.charts_base import FONT, STATUS_COLORS, set_style
from jichitai_cloud.report.charts_evidence import (calibration, case_savings, identified_cells, label_fits,
                                                   membership_by_class, projection_bands, projection_floor)
from jichitai_cloud.report.charts_method import (assumed_saving, class_level_fit, simulation_coverage,
                                                 simulation_likelihood)
from jichitai_cloud.report.charts_published import (adoption, per_resident_by_class, prefecture_share,
                                                   status_counts_by_class)
from jichitai_cloud.report.charts_survey import (class_averages, cooks_distance, cost_per_resident_vs_population,
                                                 fitted_curves, members_vs_comparables, prefecture_cost,
                                                 prefecture_municipalities, residuals)
from jichitai_cloud.report.map_charts import (group_colours, map_group, map_groups, map_municipalities, map_prefecture,
                                              map_prefecture_share)

__all__ = [
    "FONT", "STATUS_COLORS", "set_style",
    "per_resident_by_class", "status_counts_by_class", "adoption", "prefecture_share",
    "cost_per_resident_vs_population", "fitted_curves", "residuals", "cooks_distance", "prefecture_cost",
    "members_vs_comparables", "class_averages", "prefecture_municipalities",
    "identified_cells", "label_fits", "case_savings", "membership_by_class", "projection_bands", "projection_floor",
    "calibration",
    "simulation_coverage", "simulation_likelihood", "assumed_saving", "class_level_fit",
    "group_colours", "map_groups", "map_prefecture_share", "map_prefecture", "map_group", "map_municipalities",
]

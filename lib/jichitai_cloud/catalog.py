"""The catalogue of processed tables: what each holds, with units, basis dates and provenance.

Kept free of heavy imports so that ``import jichitai_cloud`` can show it in ``help(jc.load)``.
"""

# name -> what it holds (units, basis dates, provenance). Shown by `jichitai-cloud tables`, jc.tables().
TABLES: dict[str, str] = {
    "published_survey_totals": "National figures of the 2018 survey (FY2017 当初予算): published. "
                               "value in unit; value_as_written as in the source document.",
    "published_cost_by_class": "Survey table by population class: total cost (億円), mean cost per "
                               "resident (円), cost per municipality (億円), count, population (千人). "
                               "Published.",
    "published_status_counts": "Municipalities per population class and cloud status "
                               "(joint / single / none). Published.",
    "published_survey_outliers": "Cost per resident (円) of the three least-populous municipalities "
                                 "and the 2万人未満 単独クラウド mean without them. Published.",
    "published_survey_orderings": "The orderings the survey's text states between the status cells of each class "
                                  "(joint lowest per resident and per municipality; single above none in three "
                                  "classes), one row per class and pair, with the statement as written. Published.",
    "published_chart_labels": "The four numbers (円) the extracted text carries from the per-resident chart without "
                              "saying which bar they label (9,820; 3,217; 3,266; 3,561). Published figures, "
                              "unassigned.",
    "published_adoption": "Cloud adoption counts 2014-04..2018-04 and the 2018/2024 targets, one row "
                          "per figure and slide. Published.",
    "municipalities": "The 1,741 municipalities (code with check digit): prefecture, name, kind, population "
                      "2017-01-01 and 2018-01-01 (住民基本台帳, persons), survey population class, 2015 census "
                      "population, 財政力指数 FY2017, 歳出決算総額 FY2017 (千円), joint-cloud group and its start "
                      "fiscal year. Real data.",
    "cloud_groups": "The 70 joint-cloud groups of the 2018-04 list: name (null where none), prefectures, start "
                    "year (和暦 and fiscal year), stated members and population (2018-01-01), matched members "
                    "and their population. Published + derived.",
    "cloud_group_members": "The 407 members: group, code, official name, name as written, how it was matched.",
    "survey": "Per-municipality FY2017 IT-system cost (円) and cloud status, with provenance per value "
              "(reported / published / derived / simulated). SIMULATED unless a real file was configured: see survey_input.",
    "survey_input": "One row: which survey input the build used (simulated or a real file with its sha256) "
                    "and the generator's parameters.",
    "model_coefficients": "Coefficients of the standard regressions (log cost per resident, or PPML on cost, on a spline "
                          "in log population and status; see models.STANDARD_SPECS): estimate, standard error, 95% "
                          "interval, p (none for the simulated survey), n, covariance, survey input.",
    "model_comparison": "One row per standard model (n = municipalities): estimator, n, parameters, R² and AIC (OLS only), "
                        "joint-cloud estimate and % effect, covariance.",
    "model_status_effects": "% difference in cost per resident of each fitted status against the base (none, or all "
                            "non-joint municipalities when single and none are unknown), at equal population, with 95% "
                            "interval, per standard model.",
    "model_counterfactual": "Annual saving (億円) if the counterfactual municipalities had the joint-cloud effect: per "
                            "population class with its joint members and an extrapolation flag (fewer than 5), the "
                            "headline total over supported classes, the total with all, and by prefecture; 95% interval "
                            "(delta method; none for the simulated survey).",
    "model_assumed_saving": "Annual saving (億円) as a function of an assumed joint-cloud effect on mean cost (a line, no "
                            "interval), over the counterfactual municipalities of the supported classes, national and by "
                            "prefecture.",
    "model_membership_sensitivity": "The joint-cloud effect (%) with joint membership as of 2017-04-01 (start years) "
                                    "and from the 2018-04 list, OLS and PPML.",
    "model_fitted_curves": "Fitted cost per resident (円) over a population grid: the main OLS model (geometric mean) and "
                           "PPML (mean) per status (survey input as labelled), and the class-level model (published "
                           "only).",
    "model_class_level_moments": "The class-level model (published figures only, minimum distance over the real "
                                 "populations): each class's published mean per resident (円) and total (億円) beside "
                                 "the fitted ones, gap in rounding half-widths.",
    "model_class_level_fit": "The class-level model's fit: moments, parameters, J statistic and p under 'rounding is the "
                             "only difference', largest gap, moments within rounding.",
    "planned_joins": "Planned joins FY2018-FY2023 (2018-04 slide), one row per municipality: code, group joined, "
                     "target fiscal year, how it is counted. Published list, matched and counted here (derived).",
    "planned_joins_by_year": "The slide's table of planned joins by year: new groups, joins of existing groups, "
                             "totals. Published.",
    "adoption_tracker": "Projected joint-cloud and cloud municipalities at the end of FY2018-FY2023 from the 2018-04 "
                        "state plus planned joins (derived; the cloud total is a range), against the 2023 targets.",
    "case_studies": "The seven case studies: participants, systems, start dates as written. Published.",
    "case_study_members": "Their members with stated populations (千人) matched to codes, with 2015 census and "
                          "2017-01-01 populations and the 2018-04 group. Published + real.",
    "case_study_savings": "Stated savings of the case studies (%). Published.",
    "savings_56_groups": "Savings distribution of the 56 groups surveyed in 2016 (groups, %). Published.",
    "vendor_shares": "Development vendors of the groups (groups, %). Published.",
    "group_size_shares": "Group sizes of the 56 groups (groups, %). Published.",
    "top_runner": "トップランナー方式 standard costs of 基準財政需要額 (千円), before / FY2018 / final. Published.",
    "reconciliation": "One row per check: a stated figure, the figure computed independently, the "
                      "difference, ok / mismatch, and for a known mismatch a one-sentence explanation.",
}
# The evidence tables are declared, column by column, in metadata.RESOURCES.
from .metadata import RESOURCES as _RESOURCES  # noqa: E402

TABLES.update({name: r.en for name, r in _RESOURCES.items()})
# Written by `jichitai-cloud simulate`, never by the build.
SIMULATION_TABLES = tuple(name for name, r in _RESOURCES.items() if r.layer == "simulation")
BUILD_TABLES = tuple(name for name in TABLES if name not in SIMULATION_TABLES)

"""Stage 6b, reports: what a report shows, as an ordered list of sections per scope.

``notebooks/report.ipynb`` is the single template of every report. It sets parameters, makes the
report (:func:`make`), shows its header (title, 要旨 / Summary, sources) and then its sections
one cell each (``report.section(k)``; a report with fewer sections leaves the last cells
empty). Each scope is its own class with its own list of sections (:class:`NationalReport`,
:class:`PrefectureReport`, :class:`GroupReport`; the sections are in ``sections_*``); section,
sub-section and table numbers are computed from that list as the report is shown, every text is a
(ja, en) pair in :mod:`jichitai_cloud.report.text` and every kind of figure comes from the registry.

What the published figures imply comes first: the summary's findings (:mod:`findings`) and,
in the national report, the evidence section (:mod:`sections_evidence`); the simulated survey
appears only afterwards, as a check of the method. :func:`params.validate` checks untrusted
parameters, e.g. from a scheduler, before any kernel starts; rendering is in
:mod:`jichitai_cloud.report.render`.
"""

from __future__ import annotations

from jichitai_cloud.analysis import findings
from jichitai_cloud.clean import checks
from jichitai_cloud.clean import published
from jichitai_cloud.registry import vocab
from jichitai_cloud.report import charts_base, jobs, params, sections_group, sections_national
from jichitai_cloud.report import sections_prefecture
from jichitai_cloud.report.context import Context, Section, anchor
# The display helpers, for notebooks that show tables the reports' way (``reports.styled``, ``reports.show``).
from jichitai_cloud.report.display import show, show_figure, show_labelled, styled  # noqa: F401
from jichitai_cloud.survey.labels import survey_label

LANGS = vocab.LANGS


def title(p: dict) -> str:
    """The report's title (see :func:`jobs.title`)."""
    return jobs.title(p)


class Report:
    """One report: parameters validated, then a header and numbered sections. See :func:`make`."""

    scope = ""
    SECTIONS: tuple[Section, ...] = ()

    def __init__(self, **parameters):
        self.params = params.validate(scope=self.scope, **parameters)
        self.ctx = Context(self.params)
        self.lang = self.params["lang"]
        charts_base.set_style()

    @property
    def sections(self) -> tuple[Section, ...]:
        return self.SECTIONS

    def summary(self) -> list[findings.Finding]:
        raise NotImplementedError

    def header(self) -> None:
        """Title, the summary of findings (real and published only), then the sources and kinds of figures."""
        ctx = self.ctx
        rec = ctx.load("reconciliation")
        n_ok = int((rec["status"] == checks.OK).sum())
        citation = published.CITATION_JA if self.lang == "ja" else published.CITATION_EN
        rec_k = [s.key for s in NationalReport.SECTIONS].index("h_reconciliation") + 1
        note = ctx.t("mismatch_note", n_bad=len(rec) - n_ok, k=rec_k) if n_ok < len(rec) else ""
        items = "\n".join(f"- {f.text(self.lang)}" for f in self.summary())
        contents = "\n".join(f"{k}. [{s.heading(ctx)}](#{anchor(k)})" for k, s in enumerate(self.sections, start=1))
        tags = {k: vocab.kind_tag(k, self.lang) for k in vocab.KIND}  # the kinds' glossary
        body = (f"# {title(self.params)}\n\n{ctx.t('summary_h')}\n\n{items}\n\n{ctx.t('summary_note', **tags)}\n\n"
                + ctx.t("provenance", citation=citation, n_checks=len(rec), n_ok=n_ok, mismatch_note=note, **tags)
                + "\n\n" + survey_label(ctx.load("survey_input"), self.lang)
                + f"\n\n{ctx.t('contents_h')}\n\n{contents}")
        ctx.markdown(body)

    def section(self, k: int) -> None:
        """Show section ``k`` (1-based) with its number; nothing when the report has fewer sections."""
        if k > len(self.sections):
            return
        s = self.sections[k - 1]
        self.ctx.section_no, self.ctx.sub_no = k, 0
        self.ctx.markdown(f'<a id="{anchor(k)}"></a>\n\n## {k}. {s.heading(self.ctx)}')
        s.body(self.ctx)

    def show_all(self) -> None:
        """The whole report in one go (outside the template, e.g. in a notebook of one's own)."""
        self.header()
        for k in range(1, len(self.sections) + 1):
            self.section(k)


class NationalReport(Report):
    scope = "national"
    SECTIONS = sections_national.SECTIONS

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(s if s.key != "h_method" or self.ctx.simulated else Section("h_method_reported", s.body)
                     for s in self.SECTIONS)

    def summary(self) -> list[findings.Finding]:
        return findings.national(self.ctx.load, self.params["use_inferred_label"])


class PrefectureReport(Report):
    scope = "prefecture"
    SECTIONS = sections_prefecture.SECTIONS

    def summary(self) -> list[findings.Finding]:
        return findings.prefecture(self.ctx.load, self.params["prefecture"], self.params["use_inferred_label"])


class GroupReport(Report):
    scope = "group"
    SECTIONS = sections_group.SECTIONS

    @property
    def sections(self) -> tuple[Section, ...]:
        # Members' costs compared with non-members' only for a real survey: a simulated
        # per-municipality cost beside a real name would be quotable.
        return tuple(s for s in self.SECTIONS if s.key != "h_group_compare" or not self.ctx.simulated)

    def summary(self) -> list[findings.Finding]:
        return findings.group(self.ctx.load, self.params["group_id"], self.params["use_inferred_label"])


REPORTS = {"national": NationalReport, "prefecture": PrefectureReport, "group": GroupReport}
MAX_SECTIONS = max(len(r.SECTIONS) for r in REPORTS.values())


def make(scope: str = "national", **parameters) -> Report:
    """The report of ``scope`` with these parameters (validated)."""
    if scope not in REPORTS:
        params.validate(scope=scope)  # raises the ParameterError listing the valid scopes
    return REPORTS[scope](**parameters)


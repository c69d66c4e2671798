"""Stage 7b, the index of a batch (reports/index.html): one sortable table of every report, bilingual.

Each row, one per report (its languages together): scope, name, area, members, population, joint-cloud share
(real data from the build; the headers' kinds from the registry), links to the Japanese and English reports
where they exist (rendered by this batch or an earlier one), and the outcome. A failed report links to its
previous good HTML, with that run's time. The page says how many reports the batch rendered, skipped
(unchanged) and failed, and names its run record (run.json).
"""

from __future__ import annotations

from pathlib import Path

from jichitai_cloud import paths
from jichitai_cloud.io import escape
from jichitai_cloud.io.journal import Journal, write_atomic
from jichitai_cloud.registry import vocab
from jichitai_cloud.report import kinds, pages, runs, text
from jichitai_cloud.report.provenance import git_commit, now
from jichitai_cloud.report.worker import Result
from jichitai_cloud.survey.labels import survey_label

# The table's columns: their text (ja / en) and, for figures, the columns they come from.
COLUMNS = (("scope", None), ("name", None), ("area", None),
           ("members", ("evidence_membership_shares", "members")),
           ("population", ("municipalities", "population_2017_01_01_persons")),
           ("share", ("evidence_membership_shares", "share_pct")), ("reports", None), ("result", None))


def index_rows(results: list[Result]) -> list[dict]:
    """One row per report of the batch (its languages' results together, in the batch's order): scope, name,
    members, population, joint-cloud share (real data), and its outcomes. Members and share: the 2018-04 group
    list; population: 2017-01-01."""
    from jichitai_cloud.clean import municipalities
    from jichitai_cloud.io import store

    frame = store.read_table("municipalities")
    groups, members = store.read_table("cloud_groups"), store.read_table("cloud_group_members")
    shares = municipalities.joint_share_by_prefecture(frame).set_index("prefecture")
    pop = frame.set_index("code")["population_2017_01_01_persons"]
    joint = frame["joint_cloud_group_id"].notna()
    names = vocab.group_names(groups, members, "ja")
    by_key: dict[str, list[Result]] = {}
    for r in results:
        by_key.setdefault(r.key, []).append(r)
    rows = []
    for key, same in by_key.items():
        r = same[0]
        scope = r.params["scope"]
        if scope == "prefecture":
            pref = r.params["prefecture"]
            s = shares.loc[pref]
            row = {"name": pref, "members": int(s["joint_cloud"]),
                   "population": int(frame.loc[frame["prefecture"] == pref, "population_2017_01_01_persons"].sum()),
                   "share": float(s["joint_cloud_share_pct"]), "area": pref}
        elif scope == "group":
            gid = int(r.params["group_id"])
            codes = members.loc[members["group_id"] == gid, "code"]
            row = {"name": f"{gid}. {names[gid]}", "members": len(codes),
                   "population": int(pop.reindex(codes).sum()), "share": None,
                   "area": str(groups.set_index("group_id").loc[gid, "prefectures"])}
        else:
            row = {"name": vocab.NATIONAL[0], "members": int(joint.sum()), "population": int(pop.sum()),
                   "share": 100 * float(joint.mean()), "area": vocab.NATIONAL[0]}
        rows.append({"scope": scope, "key": key, **row, "results": same})
    return rows


_SORT_SCRIPT = """<script>
// Click a header to sort by it (again to reverse); numbers sort as numbers.
document.querySelectorAll("th[data-col]").forEach(function (th) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0], col = +th.dataset.col;
    var dir = th.dataset.dir === "asc" ? -1 : 1; th.dataset.dir = dir === 1 ? "asc" : "desc";
    Array.from(body.rows).sort(function (a, b) {
      var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
      var nx = parseFloat(x), ny = parseFloat(y);
      return dir * (isNaN(nx) || isNaN(ny) ? x.localeCompare(y, "ja") : nx - ny);
    }).forEach(function (row) { body.appendChild(row); });
  });
});
</script>"""


def _both(key: str) -> str:
    """An entry of ``text.INDEX`` in both languages, 'ja / en' (no space after a full-width parenthesis)."""
    ja, en = text.INDEX[key]
    return f"{ja}{'' if ja.endswith('）') else ' '}/ {en}"


def _status(results: list[Result]) -> tuple[str, str]:
    """The outcome cell of a report (its languages): ✓, or each failure with what stays published."""
    failed = [r for r in results if r.outcome == "failed"]
    if not failed:
        return "✓", "ok"
    parts = []
    for r in failed:
        lang = f"{text.LANGUAGE_NAMES[r.params['lang']]}: " if len(results) > 1 else ""
        kept = (f" {_both('last_good')}: {escape.html(str(r.published.get('finished', '')))}" if r.published
                else f" {_both('none_published')}")
        parts.append(f'{lang}<span class="failed">{_both("failed")}: {escape.html(r.error)}</span>{kept} '
                     f'<a href="{escape.html(r.key)}/{escape.html(r.stem)}.failed.ipynb">(notebook)</a>')
    return "<br>".join(parts), "failed"


def _cells(row: dict, reports_dir: Path) -> str:
    """One report's row of the table (every value escaped; ``data-v`` for sorting). It links every language
    whose HTML is published, by this batch or an earlier one."""
    key = row["key"]
    links = [f'<a href="{escape.html(key)}/{stem}.html">{text.LANGUAGE_NAMES[lang]}</a>'
             for stem, lang in (("report", "ja"), ("report.en", "en"))
             if (reports_dir / key / f"{stem}.html").is_file()]
    status, outcome = _status(row["results"])
    share = "" if row["share"] is None else f"{row['share']:.1f}"
    scope = text.SCOPES[row["scope"]][0]
    values = [(scope, scope), (escape.html(row["name"]), row["name"]), (escape.html(row["area"]), row["area"]),
              (f"{row['members']:,}", row["members"]), (f"{row['population']:,}", row["population"]),
              (share or "—", share), (" ".join(links), ""), (status, outcome)]
    return "<tr>" + "".join(f'<td data-v="{escape.html(str(v))}">{shown}</td>' for shown, v in values) + "</tr>"


def write_index(results: list[Result], reports_dir: Path, survey_info: dict, build_id: str = "") -> Path:
    """reports/index.html: one sortable table of every report of the batch, the survey label on top."""
    cells = [_cells(row, reports_dir) for row in index_rows(results)]
    heads = [_both(key) + (kinds.bare("ja", source) if source else "") for key, source in COLUMNS]
    header = "".join(f'<th data-col="{k}">{h}</th>' for k, h in enumerate(heads))
    counts = {word: sum(runs.OUTCOMES.get(r.outcome) == word for r in results) for word in runs.OUTCOMES.values()}
    info_label = survey_label(survey_info, "ja", markup="text")
    made = dict(n=len(results), reports=vocab.count(len(results), "report"), when=escape.html(now()), commit=escape.html(git_commit()),
                build=escape.html(build_id))
    record = f'<a href="{runs.RUN_RECORD}">{runs.RUN_RECORD}</a>'
    run = "\n".join(pair[k].format(**made, **counts, record=record)  # bilingual, as every entry: Japanese, then English
                    for k in (0, 1) for pair in (text.INDEX["run"], text.RUNS["counts"]))
    page = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>{text.INDEX["title"][0]}</title>
<style>body {{ font-family: {pages.FONTS}; max-width: 1200px; margin: 2em auto; }}
@font-face {{ font-family: "IPAexGothic-report"; src: url("{pages.FONT_ASSET}") format("truetype"); }}
table {{ border-collapse: collapse; }} td, th {{ padding: 2px 10px; border-bottom: 1px solid #ddd; }}
th {{ cursor: pointer; background: #f3f3f3; position: sticky; top: 0; }} td:nth-child(n+4):nth-child(-n+6) {{ text-align: right; }}
.failed {{ color: #b00; }} .note {{ background: #fff5e6; padding: 0.6em; }}</style></head>
<body><h1>{text.INDEX["heading"][0]}</h1>
<p class="note">{escape.html(info_label)}</p>
<p>{run}
{text.INDEX["sources"][0]}
{text.INDEX["sources"][1]}</p>
<table><thead><tr>{header}</tr></thead><tbody>
{chr(10).join(cells)}
</tbody></table>
{_SORT_SCRIPT}</body></html>
"""
    path = write_atomic(reports_dir / "index.html", page, journal=Journal(reports_dir))
    pages.install_font_asset(reports_dir)
    return path

"""Stage 7b, a report's HTML page: the executed notebook, code hidden, standalone, in the report's language.

The page loads nothing from the network, gives every chart its title as alternative text, and prefers the
reader's Japanese fonts, with IPAexGothic (copied under reports/assets/) as the fallback. It ends with a
footer (:func:`footer`): the package version, the commit, the data build, the survey, the render date and
how to cite the project (CITATION.cff) and its source document.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from pathlib import Path

from jichitai_cloud import paths
from jichitai_cloud.errors import ReportError
from jichitai_cloud.io import escape
from jichitai_cloud.io.journal import Journal, write_atomic
from jichitai_cloud.registry import vocab
from jichitai_cloud.report import text

FONT_ASSET = "assets/ipaexg.ttf"  # under reports/; IPAexGothic from matplotlib-fontja
CITATION = paths.PROJECT_ROOT / "CITATION.cff"  # how to cite the project and its sources (the footer's)
PACKAGE = "jichitai-cloud"


def install_font_asset(reports_dir: Path | None = None) -> Path:
    """Copy IPAexGothic (and its licence) to reports/assets/, the readers' fallback font.

    Browsers use a local Japanese font when they have one; on a machine without any
    (a bare Linux box), the report falls back to this file instead of showing boxes.
    """
    import matplotlib_fontja

    src = Path(matplotlib_fontja.get_font_ttf_path())
    reports_dir = reports_dir or paths.REPORTS_DIR
    target = reports_dir / FONT_ASSET
    target.parent.mkdir(parents=True, exist_ok=True)
    for f in (src, src.with_name("IPA_Font_License_Agreement_v1.0.txt")):
        dest = target.parent / f.name
        if not dest.exists() or dest.stat().st_size != f.stat().st_size:
            write_atomic(dest, f.read_bytes(), journal=Journal(reports_dir))
    return target


_REMOTE_SCRIPTS = re.compile(r'<script src="https://cdnjs\.cloudflare\.com/[^"]+">\s*</script>\n?')
FONTS = ('"Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", Meiryo, "Noto Sans CJK JP", '
          '"Noto Sans JP", "IPAexGothic", "IPAexGothic-report", sans-serif')


@functools.lru_cache(maxsize=1)
def _exporter():
    """One HTML exporter per process (its templates load once): every input hidden."""
    from nbconvert import HTMLExporter

    quiet = logging.getLogger("jichitai_cloud.nbconvert")
    quiet.setLevel(logging.ERROR)  # its only warning is the missing alt text, supplied in to_html
    return HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, log=quiet)


_PNG_IMG = re.compile(r'<img alt="[^"]*" ((?:class="[^"]*" )?src="data:image/png;base64,)')


def to_html(nb, title: str, lang: str = "ja", font_url: str | None = None, footer: str = "") -> str:
    """The executed notebook as a standalone HTML page with every code input hidden.

    The page loads nothing from the network (nbconvert's CDN scripts for require.js
    and MathJax are removed: reports have neither widgets nor formulas), declares its
    language, gives every chart its title as alternative text, and prefers local
    Japanese fonts with ``font_url`` as the fallback. ``footer`` (HTML, :func:`footer`) ends the page.
    """
    nb.metadata["title"] = title
    alts = [o.get("metadata", {}).get("image/png", {}).get("alt") or title
            for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    body, _ = _exporter().from_notebook_node(nb)
    # nbconvert writes each PNG output as <img alt="..." class="" src="data:image/png;base64,...">, in order
    images = _PNG_IMG.findall(body)
    if len(images) != len(alts):
        raise ReportError(f"found {len(images)} images in the HTML but {len(alts)} PNG outputs")
    it = iter(alts)
    body = _PNG_IMG.sub(lambda m: f'<img alt="{escape.html(next(it))}" {m.group(1)}', body)
    body = _REMOTE_SCRIPTS.sub("", body)
    body = body.replace('<html lang="en">', f'<html lang="{lang}">', 1)
    face = (f'@font-face {{ font-family: "IPAexGothic-report"; src: url("{font_url}") format("truetype"); }}\n'
            if font_url else "")
    style = (f"<style>\n{face}:root {{ --jp-content-font-family: {FONTS}; --jp-ui-font-family: {FONTS}; }}\n"
             f".jp-Notebook *:not(pre):not(code) {{ font-family: {FONTS}; }}\n"
             f".jp-Notebook {{ max-width: 1100px; }}\n</style>\n")
    if "</head>" not in body or "</body>" not in body:
        raise ReportError("nbconvert's HTML has no </head> or </body>; cannot add the fonts and the footer")
    body = body.replace("</head>", style + FOOTER_STYLE + "</head>", 1)
    at = body.rindex("</body>")
    return body[:at] + footer + body[at:]


FOOTER_STYLE = ("<style>\n.jc-footer { max-width: 1100px; margin: 3em auto 2em; padding: 0.8em 1em 0; "
                "border-top: 1px solid #bbb; color: #444; font-size: 0.85em; line-height: 1.5; overflow-wrap: anywhere; }\n"
                ".jc-footer h2 { font-size: 1.1em; margin: 0 0 0.4em; }\n.jc-footer p { margin: 0.3em 0; }\n"
                "</style>\n")


@functools.lru_cache(maxsize=1)
def citation() -> dict:
    """CITATION.cff: the project's title, authors and version, and its first reference (the source document)."""
    import yaml

    try:
        return yaml.safe_load(CITATION.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReportError(f"{CITATION}: cannot be read ({exc}); the report's footer cites it") from None


def footer(lang: str, version: str, commit: str, build_id: str, survey: dict, rendered: str,
           manifest: str) -> str:
    """The footer of a report (HTML, every value escaped): the package ``version``, the ``commit``, the data
    build, the ``survey`` the build used (its manifest entry: simulated with its generator, or the real file's
    name and sha256), the ``rendered`` date and time, how to cite the project and its source document
    (CITATION.cff), and where the report's ``manifest`` records every input's sha256."""
    def fill(key: str, markup: dict | None = None, **fields) -> str:
        """The text ``key`` filled with ``fields`` (escaped here) and ``markup`` (HTML already escaped)."""
        return vocab.pick(text.FOOTER[key], lang).format(**{k: escape.html(v) for k, v in fields.items()},
                                                         **(markup or {}))

    cff = citation()
    source = cff["references"][0]
    authors = ", ".join(a.get("name") or f"{a.get('family-names', '')} {a.get('given-names', '')}".strip()
                        for a in cff["authors"])
    lines = [fill("made", package=PACKAGE, version=version, commit=commit, rendered=rendered, build=build_id),
             _survey_line(fill, survey),
             fill("cite", authors=authors, title=cff["title"], version=version, commit=commit, citation=CITATION.name),
             fill("source", markup={"url": f'<a href="{escape.html(source["url"])}">{escape.html(source["url"])}</a>'},
                 author=source["authors"][0]["name"], document=source["title"]),
             fill("manifest", hash="sha256", manifest=manifest)]
    paragraphs = "\n".join(f"<p>{line}</p>" for line in lines)
    return (f'<footer id="about" class="jc-footer" lang="{escape.html(lang)}">\n<h2>{fill("heading")}</h2>\n'
            f"{paragraphs}\n</footer>\n")


def _survey_line(fill, survey: dict) -> str:
    """The survey the build used: simulated (generator version, seed) or the real file (name, sheet, sha256)."""
    if survey.get("input") == "simulated":
        try:
            seed = json.loads(survey.get("generator_params") or "{}").get("seed", "?")
        except (ValueError, AttributeError):
            seed = "?"
        return fill("survey_simulated", version=survey.get("generator_version", "?"), seed=seed)
    sheet = fill("sheet", sheet=survey["sheet"]) if survey.get("sheet") else ""  # escaped by fill
    return fill("survey_reported", markup={"sheet": sheet}, file=survey.get("file", ""), hash="sha256",
                sha=survey.get("sha256", ""))

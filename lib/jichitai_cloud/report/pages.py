"""Stage 7b, a report's HTML page: the executed notebook, code hidden, standalone, in the report's language.

The page loads nothing from the network, gives every chart its title as alternative text, and prefers the
reader's Japanese fonts, with IPAexGothic (copied under reports/assets/) as the fallback.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path

from jichitai_cloud import paths
from jichitai_cloud.errors import ReportError
from jichitai_cloud.io import escape
from jichitai_cloud.io.journal import Journal, write_atomic

FONT_ASSET = "assets/ipaexg.ttf"  # under reports/; IPAexGothic from matplotlib-fontja


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


def to_html(nb, title: str, lang: str = "ja", font_url: str | None = None) -> str:
    """The executed notebook as a standalone HTML page with every code input hidden.

    The page loads nothing from the network (nbconvert's CDN scripts for require.js
    and MathJax are removed: reports have neither widgets nor formulas), declares its
    language, gives every chart its title as alternative text, and prefers local
    Japanese fonts with ``font_url`` as the fallback.
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
    if "</head>" not in body:
        raise ReportError("nbconvert's HTML has no </head>; cannot add the font declarations")
    return body.replace("</head>", style + "</head>", 1)

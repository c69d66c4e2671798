"""Text from a user (file names, cell values, parameters) made safe for where it is shown or written.

One function per destination, and every place that shows such text goes through it:

- :func:`terminal`: a message on the terminal. Control characters (ESC, CR, newline, ...) and
  the invisible bidirectional controls are written as ``\\x1b``, ``\\n``, ``\\u202e``: a file
  name cannot move the cursor, recolour the terminal or split one message line into two.
- :func:`markdown`: text put into Markdown that becomes HTML (reports, notebooks). Markdown keeps
  raw HTML, so ``<``, ``>``, ``&`` and quotes become entities, and every other ASCII punctuation
  character is backslash-escaped: the text cannot open a tag, a link, an emphasis, a heading,
  a table cell or a formula (``$``). It shows exactly as written.
- :func:`html`: text put into HTML directly (the index page).
- :func:`plot_text`: text drawn by matplotlib, where ``$...$`` would be read as a formula.
- :func:`cell`: a text cell of a CSV or XLSX file that people open in Excel. A text beginning
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's list) would be read as a
  formula; it is written with a leading single quote. Numbers (also text holding a plain number,
  such as ``-0.1``) and a lone ``-`` (the tables' "none") are left alone: they are no formula.
"""

from __future__ import annotations

import html as _html
import re
import unicodedata

# The invisible controls that reorder text on screen (Trojan-source style): shown, never applied.
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _hidden(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI


def _shown(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object) -> str:
    """``text`` with every control character written out (``\\x1b``), so that none acts."""
    s = str(text)
    return "".join(_shown(ch) if _hidden(ch) else ch for ch in s) if any(map(_hidden, s)) else s


def terminal(text: object) -> str:
    """User text for a message on the terminal (see the module)."""
    return visible(text)


def terminal_lines(message: str) -> list[str]:
    """A message of one or more lines (one problem per line) for the terminal, each line made visible."""
    return [visible(line) for line in str(message).split("\n")]


# CommonMark lets a backslash escape any ASCII punctuation; & < > " ' become entities instead.
_MARKDOWN_PUNCTUATION = re.compile(r"([!#$%()*+,\-./:;=?@\[\\\]^_`{|}~])")


def markdown(text: object) -> str:
    """User text for Markdown rendered to HTML: shown as written, never read as markup (see the module)."""
    return _html.escape(_MARKDOWN_PUNCTUATION.sub(r"\\\1", visible(text)), quote=True)


def html(text: object) -> str:
    """User text for HTML (element content or a quoted attribute)."""
    return _html.escape(visible(text), quote=True)


def plot_text(text: object) -> str:
    """User text for a matplotlib title or caption: ``$`` shown as a dollar sign, not a formula."""
    return visible(text).replace("$", r"\$")


# OWASP (CSV injection): a cell beginning with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NO_FORMULA = re.compile(r"-|[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")  # a number, or a lone dash


def _formula_like(value: str) -> bool:
    bare = value.lstrip("'")  # '=1 is quoted again: the quoting can then be undone exactly (uncell)
    return bare.startswith(FORMULA_STARTS) and not _NO_FORMULA.fullmatch(bare)


def cell(value):
    """A CSV or XLSX text cell that a spreadsheet cannot read as a formula; any other value unchanged."""
    return "'" + value if isinstance(value, str) and _formula_like(value) else value


def uncell(value):
    """The value :func:`cell` was given (for a program reading the CSV back)."""
    return value[1:] if isinstance(value, str) and value.startswith("'") and _formula_like(value[1:]) else value


def cells(df):
    """A copy of ``df`` whose text cells are neutralised by :func:`cell` (numeric columns untouched);
    ``df`` itself when no cell needs it (the common case: no copy)."""
    import pandas as pd

    text = [c for c in df.columns if pd.api.types.is_object_dtype(df[c]) or pd.api.types.is_string_dtype(df[c])]
    changed = {}
    for c in text:
        col = df[c]
        mask = col.map(lambda v: cell(v) is not v)
        if mask.any():
            changed[c] = col.map(cell)
    return df.assign(**changed) if changed else df

"""Stage 7a, report jobs: which template runs on which kernel, with which parameters, under which title.

A job's parameters are :class:`params.ReportParams`, validated before any kernel starts
(:func:`params.validate`); only their names ever reach papermill. Light on purpose: no pandas, no
plotting, so that the command line starts a report without the imports the kernel will do anyway.
"""

from __future__ import annotations

from jichitai_cloud import paths
from jichitai_cloud.registry import vocab
from jichitai_cloud.report.params import PARAMETERS  # noqa: F401  (the template's parameters: the dataclass's fields)

KERNEL_NAME = "jichitai-cloud"
TEMPLATE = paths.NOTEBOOKS_DIR / "report.ipynb"


def title(params: dict) -> str:
    """The report's title for its scope and language (validated parameters)."""
    from jichitai_cloud.io import store

    lang, scope = params["lang"], params["scope"]
    text = vocab.pick(vocab.TITLES[scope], lang)
    if scope == "prefecture":
        return text.format(prefecture=vocab.prefecture_name(params["prefecture"], lang))
    if scope == "group":
        gid = int(params["group_id"])
        group = next(r for r in store.read_records("cloud_groups") if int(r["group_id"]) == gid)
        names = [r["name"] for r in store.read_records("cloud_group_members") if int(r["group_id"]) == gid]
        return text.format(group_id=gid, name=vocab.group_display_name(group["name"], names, lang))
    return text

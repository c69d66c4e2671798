"""How to cite it: LICENSE, CITATION.cff (CFF 1.2.0) and the data sources it names, against pyproject and
the raw-data manifest (data/raw/SOURCES.yml, committed)."""

import tomllib

import yaml

from jichitai_cloud import paths

ROOT = paths.PROJECT_ROOT


def _citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_names_the_package_version_and_licence():
    cff = _citation()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "software"
    assert str(cff["version"]) == pyproject["project"]["version"]
    assert cff["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def test_citation_cites_every_raw_source_with_its_licence():
    """Every file of the manifest is among the references (by its official page), with the manifest's
    attribution, and with its licence: as an SPDX id for a Creative Commons licence, else in the notes."""
    refs = {ref.get("url"): ref for ref in _citation()["references"]}
    manifest = yaml.safe_load(paths.MANIFEST_PATH.read_text(encoding="utf-8"))
    spdx = {"CC BY 4.0": "CC-BY-4.0", "CC BY-SA 4.0": "CC-BY-SA-4.0"}
    assert len(manifest["files"]) >= 6
    for entry in manifest["files"]:
        page = entry["official_page"].split()[0]
        assert page in refs, f"{entry['file']}: its source ({page}) is not cited in CITATION.cff"
        ref, licence = refs[page], " ".join(entry["licence"].split())
        attribution = licence.split("attribution", 1)[1].split(". ")[0].strip()
        assert attribution in ref["notes"], f"{entry['file']}: attribution {attribution!r} missing"
        name = licence.split(";")[0].split(",")[0].strip()
        if name in spdx:
            assert ref.get("license") == spdx[name], entry["file"]
        else:
            terms = licence.split("attribution", 1)[0].strip(" ;,").removesuffix(" with")  # e.g. 政府標準利用規約（第2.0版）
            assert "license" not in ref and terms.lower() in ref["notes"].lower(), f"{entry['file']}: {terms!r}"

"""One truth in three files (pyproject, lock, environment.yml), the kernel, the notebooks."""

import json
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from jichitai_cloud import jobs, paths

ROOT = paths.PROJECT_ROOT
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(lines) -> dict[str, str]:
    out = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line and line != "-e .":
            m = PIN.match(line)
            assert m, f"not an exact pin: {line!r}"
            out[_norm(m.group(1))] = m.group(2)
    return out


@pytest.fixture(scope="module")
def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lock():
    return _pins((ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def env_yml():
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def test_pyproject_pins_agree_with_the_lock(pyproject, lock):
    direct = _pins(pyproject["project"]["dependencies"])
    assert direct, "pyproject must pin its dependencies exactly"
    for name, version in direct.items():
        assert lock.get(name) == version, f"{name}: pyproject {version}, lock {lock.get(name)}"
    backend = _pins(pyproject["build-system"]["requires"])
    for name, version in backend.items():
        assert lock.get(name) == version, f"build backend {name}: pyproject {version}, lock {lock.get(name)}"


def test_environment_yml_pins_the_lock_exactly(env_yml, lock):
    assert env_yml["channels"] == ["conda-forge", "nodefaults"]
    deps = env_yml["dependencies"]
    assert "python=3.11" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert "-e ." in pip
    assert _pins(pip) == lock


def test_python_version_is_the_same_everywhere(pyproject):
    assert pyproject["project"]["requires-python"] == "==3.11.*"
    assert sys.version_info[:2] == (3, 11)


def test_this_environment_is_the_locked_one(lock):
    installed = {_norm(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {n: (v, installed.get(n)) for n, v in lock.items() if installed.get(n) != v}
    assert not wrong, f"installed versions differ from the lock (run make setup): {wrong}"


def test_the_kernel_is_registered_on_this_interpreter():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(jobs.KERNEL_NAME)
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve()


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebooks_name_the_kernel_and_keep_their_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == jobs.KERNEL_NAME
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "execute top to bottom: jichitai-cloud refresh-notebooks"
    assert any(c["outputs"] for c in code), "outputs were stripped: nbval would check nothing"


def test_report_template_has_exactly_one_parameters_cell():
    nb = json.loads(jobs.TEMPLATE.read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    src = "".join(tagged[0]["source"])
    assert not re.search(r":\s*\w+\s*\|\s*None", src), "no `X | None` annotations in the parameters cell"
    names = set(re.findall(r"^(\w+)\s*=", src, re.M))
    assert names == set(jobs.PARAMETERS)  # exactly the parameters validate_parameters checks
    assert all("#" not in line for line in src.splitlines() if "=" in line)  # papermill cannot parse trailing comments


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = re.search(r"^make test$", readme, re.M)
    assert command, "README must show the test command `make test` on a line of its own"
    assert ci.strip().splitlines()[-1].strip() == "make test"


def test_jupyterlab_offers_only_the_projects_kernel():
    """`make lab` loads jupyter_lab_config.json: File › New › Notebook offers the project's kernel alone."""
    from jupyter_client.kernelspec import KernelSpecManager
    from traitlets.config.loader import JSONFileConfigLoader

    assert "python3" in KernelSpecManager().find_kernel_specs()  # what the venv offers without the config
    config = JSONFileConfigLoader("jupyter_lab_config.json", path=str(ROOT)).load_config()
    assert set(KernelSpecManager(config=config).find_kernel_specs()) == {jobs.KERNEL_NAME}
    assert config.MappingKernelManager.default_kernel_name == jobs.KERNEL_NAME
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lab = makefile[makefile.index("\nlab:"):].split("\n\n")[0]
    assert "--config=jupyter_lab_config.json" in lab

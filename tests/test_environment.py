"""One truth in three files (pyproject, lock, environment.yml), the Python versions, the kernel, the notebooks."""

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from jichitai_cloud.report import jobs
from jichitai_cloud import paths

ROOT = paths.PROJECT_ROOT
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)(\s*;.*)?$")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
# The supported Python versions, as the Makefile states them (the tests below hold every other place to it).
SUPPORTED = tuple(re.search(r"^PYTHONS\s*:=\s*(.+)$", MAKEFILE, re.M).group(1).split())


def _tool(name: str):
    """A module of tools/ (maintenance scripts, not part of the package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lines(lines) -> list[str]:
    """Requirement lines (name==version [; marker]), comments dropped; each must be an exact pin."""
    out = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line and line != "-e .":
            assert PIN.match(line), f"not an exact pin: {line!r}"
            out.append(line)
    return out


def _environment(version: str | None = None) -> dict[str, str]:
    """Marker environment: this interpreter's, or CPython ``version`` on x86-64 Linux."""
    env = default_environment()
    if version:
        env.update(python_version=version, python_full_version=f"{version}.0", sys_platform="linux",
                   os_name="posix", platform_system="Linux", platform_machine="x86_64",
                   implementation_name="cpython", platform_python_implementation="CPython")
    return env


def _pins(lines, env: dict[str, str] | None = None) -> dict[str, str]:
    """name -> version of the pins that apply in ``env`` (default: this interpreter); one per name."""
    env = env or _environment()
    out = {}
    for line in _lines(lines):
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(env):
            name = _norm(req.name)
            assert name not in out, f"{name}: two pins apply to Python {env['python_full_version']}"
            (spec,) = req.specifier
            out[name] = spec.version
    return out


@pytest.fixture(scope="module")
def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lock_lines():
    return (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def lock(lock_lines):
    return _pins(lock_lines)


@pytest.fixture(scope="module")
def env_yml():
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("version", SUPPORTED)
def test_pyproject_pins_agree_with_the_lock(pyproject, lock_lines, version):
    env = _environment(version)
    lock = _pins(lock_lines, env)
    direct = _pins(pyproject["project"]["dependencies"], env)
    assert direct, "pyproject must pin its dependencies exactly"
    for name, version_pinned in direct.items():
        assert lock.get(name) == version_pinned, f"{name}: pyproject {version_pinned}, lock {lock.get(name)}"
    backend = _pins(pyproject["build-system"]["requires"], env)
    for name, version_pinned in backend.items():
        assert lock.get(name) == version_pinned, f"build backend {name}: pyproject {version_pinned}, lock {lock.get(name)}"


def test_the_lock_is_complete_for_this_python(lock):
    """Every requirement of every package the lock pins for this interpreter is pinned too. `make check`
    runs this on each supported version (.ci/run), so the one universal lock is checked for each."""
    env = {**_environment(), "extra": ""}
    missing = set()
    for name in lock:
        for line in metadata.distribution(name).requires or []:
            req = Requirement(line)
            if (req.marker is None or req.marker.evaluate(env)) and _norm(req.name) not in lock:
                missing.add(f"{_norm(req.name)} (for {name})")
    assert not missing, f"required but not pinned for Python {env['python_full_version']}: {sorted(missing)}"


def test_environment_yml_pins_the_lock_exactly(env_yml, lock_lines):
    assert env_yml["channels"] == ["conda-forge", "nodefaults"]
    deps = env_yml["dependencies"]
    assert f"python={SUPPORTED[0]}" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert "-e ." in pip
    assert _lines(pip) == _lines(lock_lines)


def test_python_versions_are_the_same_everywhere(pyproject):
    assert SUPPORTED == ("3.11", "3.12", "3.13")
    requires = SpecifierSet(pyproject["project"]["requires-python"])
    assert all(f"{v}.0" in requires for v in SUPPORTED)
    assert "3.10.12" not in requires and "3.14.0" not in requires
    classifiers = {c.rsplit(" :: ", 1)[1] for c in pyproject["project"]["classifiers"]
                   if c.startswith("Programming Language :: Python :: 3.")}
    assert classifiers == set(SUPPORTED)
    assert "%d.%d" % sys.version_info[:2] in SUPPORTED
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    extra = re.search(r'^EXTRA_PYTHONS="([^"]*)"$', ci, re.M)
    assert extra and set(extra.group(1).split()) == set(SUPPORTED) - {SUPPORTED[0]}, ".ci/run checks the others"


def test_this_environment_is_the_locked_one(lock):
    installed = {_norm(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {n: (v, installed.get(n)) for n, v in lock.items() if installed.get(n) != v}
    assert not wrong, f"installed versions differ from the lock (run make setup): {wrong}"


def test_the_kernel_is_registered_on_this_interpreter():
    from jupyter_client.kernelspec import KernelSpecManager

    from jichitai_cloud.io import processes

    spec = KernelSpecManager().get_kernel_spec(jobs.KERNEL_NAME)
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve()
    # the numeric libraries on one thread from the kernel's start (tools/install_kernel.py), also where a notebook
    # imports numpy before jichitai_cloud (tests/test_survey.py shows why)
    assert spec.env == processes.ONE_THREAD, "the kernel's spec is not the project's: make setup"


# The committed notebooks (git-tracked; a scratch Untitled.ipynb is none of the tests' business), as nbval
# sees them in `make test`.
NOTEBOOKS = [ROOT / p for p in _tool("tracked_notebooks").committed_notebooks(ROOT)[0]]


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
    lab = MAKEFILE[MAKEFILE.index("\nlab:"):].split("\n\n")[0]
    assert "--config=jupyter_lab_config.json" in lab and "--notebook-dir=." in lab


def test_jupyterlab_starts_in_the_scratch_folder():
    """The file browser opens in work/ (so File › New › Notebook saves there), a folder git ignores
    except its README; the project root stays the server's root."""
    from jupyter_server.serverapp import ServerApp
    from traitlets.config.loader import JSONFileConfigLoader

    config = JSONFileConfigLoader("jupyter_lab_config.json", path=str(ROOT)).load_config()
    manager_class = ServerApp.class_traits()["contents_manager_class"].default_value  # what `jupyter lab` uses
    manager = manager_class(config=config, root_dir=str(ROOT))  # validates: the folder must exist
    assert manager.preferred_dir == "work"
    assert (ROOT / "work" / "README.md").is_file()
    if (ROOT / ".git").exists():
        ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", "work/Untitled.ipynb"], check=False)
        assert ignored.returncode == 0, "work/ must be git-ignored"
        tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "--error-unmatch", "work/README.md"],
                                 capture_output=True, check=False)
        assert tracked.returncode == 0, "work/README.md is committed, so the folder exists in every clone"


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed: no repository to make")


def _git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)


def _notebook(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', encoding="utf-8")
    return path


@needs_git
def test_only_tracked_notebooks_count_in_a_git_checkout(tmp_path):
    tool = _tool("tracked_notebooks")
    _git_init(tmp_path)
    for name in ("01_a.ipynb", "my report.ipynb", "sub/deeper.ipynb", "Untitled-Copy1.ipynb"):
        _notebook(tmp_path / "notebooks" / name)
    subprocess.run(["git", "-C", str(tmp_path), "add", "notebooks"], check=True)
    for name in ("Untitled.ipynb", "scratch.ipynb"):  # saved after: untracked, whatever the name
        _notebook(tmp_path / "notebooks" / name)
    found, how = tool.committed_notebooks(tmp_path)
    # Tracked, directly in notebooks/ (a tracked notebook named like a scratch one still counts).
    assert found == ["notebooks/01_a.ipynb", "notebooks/Untitled-Copy1.ipynb", "notebooks/my report.ipynb"]
    assert how == "tracked by git"


@needs_git
def test_outside_a_git_checkout_every_notebook_but_scratch_ones_counts(tmp_path, monkeypatch, capsys):
    tool = _tool("tracked_notebooks")
    outer = tmp_path / "outer"
    _git_init(outer)  # an exported copy unpacked inside some other repository is no checkout of its own
    project = outer / "project"
    for name in ("01_a.ipynb", "b.ipynb", "Untitled.ipynb", "Untitled3.ipynb", "01_a-Copy1.ipynb", ".x.ipynb"):
        _notebook(project / "notebooks" / name)
    found, how = tool.committed_notebooks(project)
    assert found == ["notebooks/01_a.ipynb", "notebooks/b.ipynb"]
    assert how.startswith(f"{project.resolve()} is not a git checkout (its repository is {outer.resolve()})")
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    found, how = tool.committed_notebooks(project)
    assert found == ["notebooks/01_a.ipynb", "notebooks/b.ipynb"] and how.startswith("git is not installed")
    assert tool.main(["--root", str(project)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == found and "git is not installed" in err


@needs_git
def test_the_notebook_command_gets_the_notebooks_or_one_line(tmp_path):
    script = str(ROOT / "tools" / "tracked_notebooks.py")
    _git_init(tmp_path)
    _notebook(tmp_path / "notebooks" / "a b.ipynb")
    subprocess.run(["git", "-C", str(tmp_path), "add", "notebooks"], check=True)
    _notebook(tmp_path / "notebooks" / "Untitled.ipynb")
    show = [sys.executable, "-c", "import os, sys; print(os.getcwd()); print(sys.argv[1:])"]
    done = subprocess.run([sys.executable, script, "--root", str(tmp_path), "--", *show], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0 and done.stdout.splitlines() == [str(tmp_path), "['notebooks/a b.ipynb']"]
    fail = [sys.executable, "-c", "raise SystemExit(3)"]
    assert subprocess.run([sys.executable, script, "--root", str(tmp_path), "--", *fail], check=False).returncode == 3
    subprocess.run(["git", "-C", str(tmp_path), "rm", "-q", "--cached", "notebooks/a b.ipynb"], check=True)
    done = subprocess.run([sys.executable, script, "--root", str(tmp_path), "--", *show], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 2 and done.stdout == ""  # no notebook: the command does not run (nor pytest on tests/)
    assert done.stderr.count("\n") == 1 and "no notebook to check" in done.stderr


def _fake_python(path: Path, version: str | None) -> Path:
    """An executable that answers the version query like Python ``version`` (None: fails like a pyenv shim)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {version}\n" if version else "#!/bin/sh\necho 'pyenv: not selected' >&2\nexit 127\n")
    path.chmod(0o755)
    return path


def test_make_picks_a_supported_python(tmp_path):
    """tools/find_python.sh: PATH first (a shim that fails is skipped), then pyenv's installations, then
    python3 if supported; a venv keeps the Python it was made with; a bare pythonX.Y is resolved."""
    bin_dir = tmp_path / "bin"
    _fake_python(bin_dir / "python3.11", None)  # a pyenv shim of a version not selected
    py312 = _fake_python(bin_dir / "python3.12", "3.12")
    _fake_python(bin_dir / "python3", "3.10")
    py313 = _fake_python(tmp_path / "pyenv" / "versions" / "3.13.0" / "bin" / "python3.13", "3.13")
    py311 = _fake_python(tmp_path / "pyenv" / "versions" / "3.11.9" / "bin" / "python3.11", "3.11")
    for tool in ("sed", "head"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    env = {"PATH": str(bin_dir), "PYENV_ROOT": str(tmp_path / "pyenv"), "HOME": str(tmp_path)}

    def find(*args):
        done = subprocess.run(["/bin/sh", str(ROOT / "tools" / "find_python.sh"), *args], env=env,
                              capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    assert find(*SUPPORTED) == str(py311)  # 3.11 from pyenv before 3.12 from PATH: the versions' order
    assert find("3.12", "3.13") == str(py312)
    assert find("3.13") == str(py313)
    assert find("3.14") is None
    assert find("3.10") == str(bin_dir / "python3")  # python3 when it is the version asked for
    venv = tmp_path / ".venv"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text(f"home = {py313.parent}\nexecutable = {py313}\nversion = 3.13.0\n")
    assert find("--venv", str(venv), *SUPPORTED) == str(py313)  # the venv's Python stays chosen
    (venv / "pyvenv.cfg").write_text(f"executable = {bin_dir / 'python3'}\n")
    assert find("--venv", str(venv), *SUPPORTED) == str(py311)  # a venv of an unsupported Python is not
    assert find("--resolve", "python3.13") == str(py313)
    assert find("--resolve", "python3.12") == "python3.12"
    assert find("--resolve", "/no/such/python") == "/no/such/python"  # make setup says it does not run

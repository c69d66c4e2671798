"""In a kernel (JupyterLab, papermill, nbval), a user's error is one line and the cell still fails; a bug keeps its
traceback (errors.show_in_one_line_in_ipython)."""

import nbformat
import papermill
import pytest

from jichitai_cloud.report import jobs

pytestmark = pytest.mark.slow


def _run(tmp_path, source):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": jobs.KERNEL_NAME, "display_name": jobs.KERNEL_NAME, "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("import jichitai_cloud as jc"), nbformat.v4.new_code_cell(source)]
    path = tmp_path / "in.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(papermill.PapermillExecutionError) as err:
        papermill.execute_notebook(str(path), str(tmp_path / "out.ipynb"), kernel_name=jobs.KERNEL_NAME, progress_bar=False,
                                   cwd=str(tmp_path))
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    cell = [c for c in out.cells if c.cell_type == "code" and c.source == source][0]  # papermill adds a banner
    return err.value, [o for o in cell.outputs if o.output_type == "error"][0]


def test_a_users_error_is_one_line_and_the_cell_fails(tmp_path):
    err, output = _run(tmp_path, "jc.load('no_such_table')")
    assert err.ename == "ParameterError" and output.ename == "ParameterError"
    assert output.traceback == [f"ParameterError: {output.evalue}"]
    assert output.evalue.startswith("unknown table 'no_such_table'; jc.tables() lists them: published_survey_totals")


def test_a_bug_keeps_its_traceback(tmp_path):
    err, output = _run(tmp_path, "def f():\n    return 1 / 0\nf()")
    assert output.ename == "ZeroDivisionError" and len(output.traceback) > 1

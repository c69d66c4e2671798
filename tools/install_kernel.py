"""Register the project's Jupyter kernel in this environment (`make setup`).

    python tools/install_kernel.py

The kernel ``jichitai-cloud`` (report/jobs.py: KERNEL_NAME) runs this interpreter, with the numeric libraries
on one thread (io/processes.py: ONE_THREAD) set in its spec: so a notebook computes the same numbers as the
build and the reports even when it imports numpy or pandas before jichitai_cloud, which sets them too.
Installed with ``--sys-prefix`` semantics: inside the environment, seen by its Jupyter only.
"""

from __future__ import annotations

import sys

from ipykernel import kernelspec

from jichitai_cloud.io import processes
from jichitai_cloud.report import jobs


def main() -> int:
    version = "%d.%d" % sys.version_info[:2]
    path = kernelspec.install(kernel_name=jobs.KERNEL_NAME, display_name=f"Python {version} ({jobs.KERNEL_NAME})",
                              prefix=sys.prefix, env=dict(processes.ONE_THREAD))
    print(f"installed kernelspec {jobs.KERNEL_NAME} in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

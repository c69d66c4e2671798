"""A pytest plugin for nbval's run (`make test`): jsonschema's IRI checker left out of every pytest process.

nbval is a plugin that pytest loads from its entry point, and it imports nbformat as it loads, before any
conftest.py; nbformat imports jsonschema, which compiles that checker's grammar (in each of the three
processes of a run on two workers; its cost: ``light_jupyter_imports``). A plugin named with ``-p`` is
loaded before the entry points, so ``-p tests.light_imports`` leaves the checker out in time. The tests'
own runs leave nbval out (``-p no:nbval``), and conftest.py does the same for them.

It is imported as ``tests.light_imports`` from the repository's root, which ``python -m pytest`` puts on
the path (`make test` runs it there through tools/tracked_notebooks.py; pytest-xdist's workers get the
same path); ``tests`` has no ``__init__.py``, so a package named ``tests`` installed in the environment
would be found first (none is).
"""

from jichitai_cloud.report.worker import light_jupyter_imports

light_jupyter_imports()

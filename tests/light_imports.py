"""A pytest plugin for nbval's run (`make test`): jsonschema's IRI checker left out of every pytest process.

nbval is a plugin that pytest loads from its entry point, and it imports nbformat as it loads, before any
conftest.py; nbformat imports jsonschema, which compiles that checker's grammar (about 1.8 s in each of
the three processes of a run on two workers). A plugin named with ``-p`` is loaded before the entry points,
so ``-p tests.light_imports`` leaves the checker out in time (see ``light_jupyter_imports``). The tests'
own runs leave nbval out (``-p no:nbval``), and conftest.py does the same for them.
"""

from jichitai_cloud.report.worker import light_jupyter_imports

light_jupyter_imports()

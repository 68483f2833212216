"""The ``virksomhetsanalyse`` command line: the top layer, over build and intake.

``main`` holds the application and the book commands (validate, run, render,
build, preview); ``data_commands`` the commands that bring figures in
(template, import). Every command imports what it needs when it runs, so
``--help`` answers without loading the data or presentation libraries.
"""

from analysis.cli.main import app

__all__ = ["app"]

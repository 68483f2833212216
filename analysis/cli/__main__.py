"""``python -m analysis.cli``: the same as the ``virksomhetsanalyse`` command."""

from analysis.cli.main import main

main()

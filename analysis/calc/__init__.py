"""Pure computations: no file is read and nothing is printed here.

``metrics`` (changes, trends, shares, KPI status), ``rounding`` (what a printed
figure can stand for: intervals and verdicts), ``privacy`` (small-cell
suppression of HR tables). Every other layer may use them.
"""

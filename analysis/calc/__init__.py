"""Pure computations: no file is read and nothing is printed here.

``metrics`` (changes, trends, shares, KPI status), ``rounding`` (what a printed
figure can stand for: intervals and verdicts; ``half_up``, the one rounding
rule), ``numbers`` (number literals: printed precision, the rules a data
literal follows, Norwegian-written numbers), ``privacy`` (small-cell
suppression of HR tables), ``datatext`` (text that comes from data). Every
other layer may use them.
"""

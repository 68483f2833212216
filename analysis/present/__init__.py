"""The presentation layer: how figures are shown, never where they come from.

``fmt`` (Norwegian number formatting), ``fonts`` (the book's typeface),
``outputs`` (the rich outputs a notebook cell displays: tables, charts, prose,
CSV downloads), ``tables`` (great-tables), ``charts`` (altair) and ``text``
(sentence building blocks). They reach the data only through
``analysis.data.book.Book``.
"""

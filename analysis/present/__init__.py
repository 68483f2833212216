"""The presentation layer: how figures are shown, never where they come from.

``fmt`` (Norwegian number formatting: table cells, sentences), ``fonts`` (the
book's typeface), ``outputs`` (the rich outputs a notebook cell displays:
tables, charts, prose, CSV downloads), ``tables`` (the house style and
``table_output``, through which every great-tables table is made),
``series_tables`` (the standard tables of series: ``tab_series``, ``tab_rows``,
``tab_kpi``, ``tab_profile``), ``charts`` (altair, with ``chart_output`` and
``alt_text``) and ``text`` (sentence building blocks). They reach the data only
through ``analysis.data.book.Book``.
"""

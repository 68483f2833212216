"""Chapter-specific sentences and tables: one module (or package) per chapter notebook.

Each composes the building blocks of ``analysis.present`` (``text`` for
sentences, ``tables.table_output`` and ``series_tables`` for tables, ``charts``
for charts) into what its chapter needs, and reaches the data only through the
chapter's ``Book`` (``analysis.data.book``). Every figure is read for the
chapter's reporting year, so the same notebook tells another year's story when
run with another year. ``osu``, ``eiendom`` and ``medarbeidere`` are packages
whose ``__init__`` gives every name the notebook calls (``ch.sentence_…``).
"""

"""Chapter-specific sentences: one module per chapter notebook.

Each module composes the building blocks of ``analysis.present.text`` into the
sentences its chapter needs (``sentence_*`` functions returning ``Prose``).
Every figure is read from the data for the chapter's reporting year, so the
same notebook tells another year's story when run with another year.
"""

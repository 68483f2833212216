"""The data layer: ``data/`` read, checked and offered to the chapters.

``store`` reads the Data Package (descriptor, loading, validation, the read
record), ``gate`` makes the file-level checks a schema cannot make,
``consistency`` compares the source's printed derived figures with the stored
inputs, and ``book`` is the one door through which chapters and the
presentation layer reach the data: ``Book`` for one reporting year.
"""

"""The data layer: ``data/`` read, checked and offered to the chapters.

In the order the data flow through it:

* ``problems`` — ``Problem`` (file, row, column), ``DataError``, capped printing;
* ``reads`` — the read record: every file a process read, with its hash;
* ``package`` — the descriptor ``datapackage.yaml``, its resources, the data's fingerprint;
  ``paths`` — every path it names checked before anything is opened; ``csvfile`` — the one CSV reader;
* ``gate``, ``schema``, ``semantic``, ``checks`` — the checks: files read as
  text, Frictionless against the schema, what a schema cannot say, and the
  declarations of ``checks.yaml`` (identities, same facts);
* ``validate`` — ``validate_data`` runs them; ``ensure_valid`` once per data state;
* ``load`` — the loaders (validated, recorded, typed); ``lookups`` — units,
  indicators and groups, read one way for everyone;
* ``consistency`` — the source's printed derived figures against the stored inputs;
* ``lock`` and ``commit`` — one writer at a time; several files replaced as one step (a journal);
* ``book`` — the one door through which chapters and the presentation layer
  reach the data: ``Book`` for one reporting year.
"""

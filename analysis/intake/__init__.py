"""Bringing a new year's figures in: the workbook template and the import.

The template (``virksomhetsanalyse template``):

* ``template`` — what each dataset sheet looks like for a year (``layouts``), read from ``data/``;
* ``guide`` — the Norwegian text of the first sheet, *Veiledning*;
* ``workbook`` — ``build_template`` writes the ``.xlsx``.

The import (``virksomhetsanalyse import``), in the order it runs:

* ``read`` — ``read_input``: a filled workbook (.xlsx; .ods through ``ods``), or a CSV export of one sheet, as rows of cells;
* ``cells`` — the number in one cell (``parse_text``, ``numeric_literal``, ``cell_number``);
* ``check`` — ``check_sheet``: one sheet against its layout;
* ``plan`` — ``plan_import``: reads and checks everything, returns an ``ImportPlan``;
* ``review`` — ``review_rows``: every figure to be written beside the year before; ``flagged_problems``: the implausible ones;
* ``apply`` — ``apply_import``: writes a plan into ``data/`` through a validated, staged copy;
* ``archive`` — ``workbooks/`` (the template's folder) and the copy of every imported file under its sha256;
* ``report`` — ``change_lines`` and ``summary_lines`` for the command's output;
* ``problems`` — ``ImportProblem`` and ``ImportRejected`` (every problem, nothing written).

KOSTRA figures from SSB (``virksomhetsanalyse kostra``): ``kostra`` fetches
(``fetch_year``) or reads a saved file (``from_file``), checked against the
mapping in ``data/``; ``kostra.stage.plan_kostra`` hands the figures, credited
to SSB, to ``plan.plan_values``, and ``apply`` writes them like an import.
"""

"""Bringing a new year's figures in: the workbook template and the import.

``template`` writes the new-year workbook; ``importer`` reads a filled one (or
a CSV export of one sheet), checks it and writes it into ``data/`` through a
validated, staged copy.
"""

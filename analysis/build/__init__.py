"""From executed notebooks to the book: running chapters, rendering, previewing.

``pipeline`` runs the chapter notebooks (incrementally, in parallel) and
renders the book with Quarto; ``preview`` makes quick HTML pages without Quarto.
"""

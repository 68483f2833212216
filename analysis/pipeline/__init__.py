"""From chapter notebooks to the book: running chapters, rendering, previewing.

``run`` executes the chapter notebooks (incrementally, all or nothing) on an
engine: ``kernels`` (a pool of warm kernels, the default) or ``processes`` (a
papermill process per chapter); ``keys`` and ``state`` decide what must run,
``notebook`` makes the executed chapters deterministic, ``errors`` names what
failed. ``render`` renders the book with Quarto; ``preview`` makes quick HTML
pages without Quarto.
"""

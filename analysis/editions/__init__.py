"""Editions of the book's text: start one from the last (``start``), review it and report its state (``review``).

The text itself and its review record are read by ``analysis.data.narrative``;
this layer writes them (``virksomhetsanalyse edition new|review|status``).
"""

"""Repairs to the theme's own markup, applied to every page as it is written.

Material draws its search box as ``role="dialog"`` with no name, so a screen reader
announces an anonymous dialog (axe-core: ``aria-dialog-name``, serious).
"""

from __future__ import annotations

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED_SEARCH_DIALOG = (
    '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'
)


def name_search_dialog(html: str) -> str:
    """``html`` with Material's search dialog named "Search" (unchanged without one)."""
    return html.replace(SEARCH_DIALOG, NAMED_SEARCH_DIALOG, 1)

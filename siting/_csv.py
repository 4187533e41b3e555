"""CSV cells that a spreadsheet would run as formulas, made inert (CSV injection).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets: a site named ``=HYPERLINK("http://…")`` would become a live
link, ``+cmd|…`` a command. Following the OWASP rule ("CSV Injection"), such text cells are
written with a leading apostrophe, which spreadsheets show as text and do not evaluate. Numbers
(``-100.3`` in a numeric column) are not text cells and are left alone.
"""

from __future__ import annotations

import pandas as pd

#: First characters that make a spreadsheet cell a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> object:
    """Return ``value`` with a leading apostrophe if it is text a spreadsheet would evaluate.

    Examples
    --------
    >>> escape_cell("=SUM(A1)"), escape_cell("Querétaro"), escape_cell(-3.5)
    ("'=SUM(A1)", 'Querétaro', -3.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with :func:`escape_cell` applied to its text columns and column names."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(escape_cell)
    out.columns = [escape_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out

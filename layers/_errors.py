"""Errors raised by the layers package."""

from __future__ import annotations


class DataError(ValueError):
    """A data file is missing, unreadable or does not have the expected schema."""

"""Errors raised by siting. Each subclasses a built-in so callers can catch broadly."""

from __future__ import annotations


class SitingError(Exception):
    """Base class of the errors that the command line reports as one message, no traceback."""


class ScenarioError(SitingError, ValueError):
    """A scenario file is missing, unreadable or invalid.

    ``problems`` lists every problem found, each naming the key and the expected form.
    """

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = list(problems)
        if len(self.problems) == 1:
            msg = f"scenario {path!r}: {self.problems[0]}"
        else:
            listed = "\n".join(f"  - {p}" for p in self.problems)
            msg = f"scenario {path!r} has {len(self.problems)} problems:\n{listed}"
        super().__init__(msg)


class InputError(SitingError, ValueError):
    """A user-supplied input file (e.g. candidates) is missing or malformed."""


class OutputError(SitingError, OSError):
    """Outputs cannot be written, or writing them would replace a file that is not siting's.

    Raised before any computation when ``--out`` is a file, cannot be written or holds an input or
    a file siting did not write (without ``force``), and while writing when the disk is full.
    """

"""Errors that stop cosmecheck from doing its job (never findings)."""

from __future__ import annotations

from cosmecheck.model import LoadProblem


class CosmecheckError(Exception):
    """Base of every error cosmecheck reports as one clear line and exit status 2."""


class LoadError(CosmecheckError):
    """A consortium file cannot be read, parsed or understood."""

    def __init__(self, problems: list[LoadProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))

    @classmethod
    def one(cls, message: str, line: int | None = None, column: int | None = None) -> LoadError:
        """A load error with a single problem."""
        return cls([LoadProblem(message, line, column)])


class RulePackError(CosmecheckError):
    """A rule pack or data table is missing, malformed or unsafe."""


class UsageError(CosmecheckError):
    """A command-line value the library cannot use (an unknown call, a bad date)."""


def closest(word: str, options: list[str]) -> str | None:
    """The option a mistyped word most likely meant, for a "did you mean" (None if none is near).

    difflib is imported here, only for an error that needs it.
    """
    import difflib

    close = difflib.get_close_matches(word, options, n=1)
    return close[0] if close else None

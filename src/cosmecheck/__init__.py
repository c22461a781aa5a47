"""cosmecheck: check a grant consortium against the eligibility rules of an EU call.

The library is usable without the command line::

    from cosmecheck import CheckOptions, check_paths
    report = check_paths(["consortium.yaml"], CheckOptions())
    print(report.exit_code())

Heavy modules load on first use, so that ``import cosmecheck`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "1.0.0"

__all__ = [
    "CheckOptions",
    "CosmecheckError",
    "FileResult",
    "Finding",
    "LoadError",
    "LoadProblem",
    "Report",
    "RulePackError",
    "Severity",
    "__version__",
    "check_file",
    "check_paths",
]

if TYPE_CHECKING:
    from cosmecheck.checker import check_file, check_paths
    from cosmecheck.errors import CosmecheckError, LoadError, RulePackError
    from cosmecheck.model import (
        CheckOptions,
        FileResult,
        Finding,
        LoadProblem,
        Report,
        Severity,
    )

_LAZY = {
    "check_file": "cosmecheck.checker",
    "check_paths": "cosmecheck.checker",
    "CosmecheckError": "cosmecheck.errors",
    "LoadError": "cosmecheck.errors",
    "RulePackError": "cosmecheck.errors",
    "CheckOptions": "cosmecheck.model",
    "FileResult": "cosmecheck.model",
    "Finding": "cosmecheck.model",
    "LoadProblem": "cosmecheck.model",
    "Report": "cosmecheck.model",
    "Severity": "cosmecheck.model",
}


def __getattr__(name: str) -> Any:
    """Import the public API on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cosmecheck' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)

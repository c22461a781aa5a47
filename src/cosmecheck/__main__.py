"""Run the command line with ``python -m cosmecheck``."""

from __future__ import annotations

from cosmecheck.cli import main

main()

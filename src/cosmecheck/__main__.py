"""The command's entry point, also run by ``python -m cosmecheck``.

``cosmecheck --version`` answers here, before the command-line framework is imported: scripts
and CI steps call it to see what they run, and it should cost no more than starting Python.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line."""
    if sys.argv[1:] == ["--version"]:
        from cosmecheck import __version__

        print(f"cosmecheck {__version__}")
        return
    from cosmecheck.cli import main as run

    run()


if __name__ == "__main__":
    main()

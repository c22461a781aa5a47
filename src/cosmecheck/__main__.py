"""The command's entry point, also run by ``python -m cosmecheck``.

``cosmecheck --version`` answers here, before the command-line framework is imported: scripts
and CI steps call it to see what they run, and it should cost no more than starting Python.

When the command is done, the process ends without the interpreter's teardown, which frees
every object one by one: 30 to 40 ms of a one-file run, and more after a large batch. Nothing
is left to do by then: the reports are written and flushed, files closed, workers joined.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn


def main() -> None:
    """Run the command line."""
    if sys.argv[1:] == ["--version"]:
        from cosmecheck import __version__

        print(f"cosmecheck {__version__}")
        return
    try:
        from cosmecheck.cli import main as run
    except KeyboardInterrupt:  # Ctrl-C while the command line loads: no traceback either
        print("cosmecheck: interrupted", file=sys.stderr)
        _end(130)
    try:
        run()
    except SystemExit as exc:
        _end(exc.code)
    _end(0)


def _end(code: object) -> NoReturn:
    """Flush the standard streams and end the process with ``code``, as ``sys.exit`` would."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        # A reader that closed the pipe early, or a stream closed already, loses nothing here.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    main()

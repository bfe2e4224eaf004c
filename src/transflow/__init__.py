"""transflow: translation and localisation workflow."""

import sys as _sys

__version__ = "0.1.0"


def _is_the_command() -> bool:
    """Whether this process is the ``transflow`` command (the script or ``-m transflow.cli``)."""
    import itertools
    import os

    if _sys.argv and os.path.basename(_sys.argv[0]) == "transflow":
        return True
    argv = getattr(_sys, "orig_argv", [])
    return any(a == "-m" and b == "transflow.cli" for a, b in itertools.pairwise(argv))


if _is_the_command():
    # Until the command itself starts (``transflow.cli.run`` puts Python's handler back),
    # Ctrl-C ends the process with one line: nothing has been read or written yet, and a
    # KeyboardInterrupt raised while a module is being imported would print a traceback.
    # ``_signal``, the C module: ``import signal`` spends milliseconds building enums,
    # itself a window for a traceback.
    import _signal  # type: ignore[import-not-found]  # no stubs for the C module

    def _interrupted(signum: int, frame: object) -> None:
        import os

        os.write(2, b"transflow: interrupted\n")
        os._exit(130)

    _signal.signal(_signal.SIGINT, _interrupted)

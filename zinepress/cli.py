"""The command line: parse it and run the command (commands.py), answering a build whose inputs and
outputs are as they were from its stamp without loading the rest of zinepress."""

import argparse
import atexit
import os
import signal
import sys
from pathlib import Path
from typing import NoReturn

from .errors import UsageError, ZineError
from .paths import DEFAULT_CONTENT, DEFAULT_REGION


class Parser(argparse.ArgumentParser):
    """argparse, with its mistakes reported as the one `usage error:` line (exit 2) like ours."""

    def error(self, message: str):
        raise UsageError(f"{message}; see '{self.prog} --help'")


def parser() -> argparse.ArgumentParser:
    main = Parser(prog="make_zine.py", description="Build print-ready zines.")
    commands = main.add_subparsers(dest="command")
    for name, text in (("build", "render the PDFs"), ("check", "validate without rendering")):
        command = commands.add_parser(name, help=text)
        command.add_argument("--content", default=DEFAULT_CONTENT, help="folder name under content/ or a path")
        command.add_argument("--region", default=DEFAULT_REGION,
                             help="region code (US, GB, US-CA), a comma list, or all")
        command.add_argument("--lang", help="language code, a comma list, or all (each region's languages "
                             "the content has); default: the region's first the content has")
        command.add_argument("--format", default="all", help="NAME[,NAME...] or all")
        command.add_argument("--paper", choices=("letter", "a4"),
                             help="default: the region's paper. The booklet, mini zine, one-pager and cards "
                             "follow it, and so does the poster unless --poster-size is given")
        command.add_argument("--contacts", type=Path, help="YAML file of your own lines, printed first")
        command.add_argument("--out", type=Path, default=Path("out"), help="output folder (default out/)")
        command.add_argument("--strict", action="store_true", help="treat every warning as an error")
        command.add_argument("--require-reviewed", action="store_true",
                             help="refuse translations no native speaker has reviewed")
        command.add_argument("--shard", metavar="K/N", help="only the K-th of N equal parts of the editions")
        if name == "build":
            command.add_argument("--no-tabs", action="store_true", help="posters without tear-off tabs")
            command.add_argument("--bleed", action="store_true",
                                 help="print-shop files: bleed, crop marks, fold marks, TrimBox/BleedBox")
            command.add_argument("--pdfx", action="store_true",
                                 help="PDF/X-4 print files in CMYK for a print shop, text in black ink only "
                                 "(implies --bleed)")
            command.add_argument("--poster-size", metavar="SIZE",
                                 help="poster page: letter, a4, tabloid or a3 (default: the paper, "
                                 "what office printers take)")
            command.add_argument("--grayscale", action="store_true", help="black text, no colour, less toner")
            command.add_argument("--creep", type=float, default=0, metavar="MM",
                                 help="booklets: move inner pages toward the fold by up to MM")
            command.add_argument("--with-guide", action="store_true",
                                 help="also write printable guides (booklet-guide.pdf, minizine-guide.pdf); "
                                 "one that cannot be made is left out with a warning")
            command.add_argument("--force", action="store_true", help="rebuild even what is up to date")
            command.add_argument("--jobs", type=int, metavar="N",
                                 help="worker processes (default: one per core)")
            command.add_argument("--quiet", action="store_true", help="no progress lines")
    checking = commands.add_parser("preflight", help="check built PDFs before printing")
    checking.add_argument("paths", nargs="*", help="edition folders (default: every edition under out/)")
    add_verify(commands)
    listing = commands.add_parser("list", help="contents, regions, languages and formats")
    listing.add_argument("what", nargs="?", choices=LISTINGS, help="only this part")
    serving = commands.add_parser("serve", help="a local web page to localize, preview and download handouts")
    serving.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1: this "
                         "computer only)")
    serving.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    serving.add_argument("--out", type=Path, default=Path("out"), help="output folder (default out/)")
    return main


def add_verify(commands: "argparse._SubParsersAction") -> None:
    """The `verify` command's options."""
    verifying = commands.add_parser("verify", help="fetch each crisis line's pages and look for its numbers")
    verifying.add_argument("--region", default=DEFAULT_REGION,
                           help="region code, a comma list, all, or the path of a region file")
    verifying.add_argument("--json", action="store_true", help="print the report as JSON")
    verifying.add_argument("--timeout", type=float, default=10.0, metavar="S",
                           help="seconds to wait for each page (default 10)")


INTERRUPTED = "\ninterrupted: editions not yet written were left as they were"
LISTINGS = ("contents", "regions", "languages", "formats")


def replayed(args: argparse.Namespace) -> bool:
    """A build whose stamp says nothing it depends on has changed: say what it said then, and stop."""
    from .stamp import replay

    if args.jobs is not None and args.jobs < 1:   # not part of the stamp's key: checked before it is read
        raise UsageError("--jobs: give at least 1")
    return not args.force and replay(args)


def main(argv: list[str] | None = None) -> int:
    # A stopped build (SIGTERM) unwinds like Ctrl-C, so staged files are cleaned up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        args = parser().parse_args(argv)
        if args.command is None:
            args = parser().parse_args(["build"])
        if args.command == "build" and replayed(args):
            return 0
        from .collector import paused

        with paused():
            from .commands import COMMANDS   # loads the rest of zinepress and its libraries

        COMMANDS[args.command](args)
    except ZineError as error:
        print(f"error: {error.line()}", file=sys.stderr)
        return 1
    except UsageError as error:
        print(f"usage error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    except BrokenPipeError:   # `make_zine.py list regions | head`: the reader stopped, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())   # so exiting flushes nowhere
        return 0
    return 0


def command(argv: list[str] | None = None) -> NoReturn:
    """make_zine.py and the make-zine script: main(), then an exit that skips tearing down the interpreter
    (0.08 s of freeing what WeasyPrint and the PDF libraries loaded, a twentieth of a one-line rebuild),
    as mypy does. Registered before anything else, so every other atexit function runs first (Ghostscript
    stopped, the fonts' copies removed, logs flushed); a pool's workers are joined before main returns.
    The atexit functions are run here rather than by Python's shutdown, which first waits for every
    thread left running: once, in the test suite, a batch stopped with Ctrl-C said so and then never
    ended, as a process pool's manager thread can after shutdown(wait=False) (CPython #83386, open)."""
    status = [1]   # an uncaught exception (a bug): Python prints its traceback, then the status is 1
    atexit.register(exit_now, status)
    try:
        status[0] = main(argv)
    except SystemExit as exiting:   # SIGTERM (143)
        if isinstance(exiting.code, str):   # a message, which Python would have printed
            print(exiting.code, file=sys.stderr)
        status[0] = exiting.code if isinstance(exiting.code, int) else int(exiting.code is not None)
    atexit._run_exitfuncs()   # ends with exit_now, registered first
    sys.exit(status[0])   # not reached


def exit_now(status: list[int]) -> None:
    """Flush what was said and end the process with the command's status (command() above)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed pipe: nothing more can be said
            pass
    os._exit(status[0])

#!/usr/bin/env python3
"""Build print-ready zines: `python make_zine.py --help`."""

import sys

if __name__ == "__main__":
    try:
        from zinepress.cli import command
    except KeyboardInterrupt:   # Ctrl-C while loading: the same one line as at any other moment
        print("\ninterrupted: editions not yet written were left as they were", file=sys.stderr)
        sys.exit(130)
    command()

#!/usr/bin/env python3
"""Build print-ready zines: `python make_zine.py --help`."""

import sys

from zinepress.cli import main

if __name__ == "__main__":
    sys.exit(main())

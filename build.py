"""Build the Sanctuary Grants Tracker: python build.py [build|check|serve|schema|new] --help."""

import sys

from tracker.cli import main

if __name__ == "__main__":
    sys.exit(main())

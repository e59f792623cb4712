"""`build.py new`: print the block the editor asked for (a jurisdiction, an event or a case) to paste."""

from __future__ import annotations

import argparse
import sys

from tracker.config import make_config
from tracker.scaffold.blocks import ScaffoldError, new_case, new_event, new_jurisdiction, read_data


def new(args: argparse.Namespace) -> int:
    """Print the requested block to stdout; return the exit status (1 with a plain message on a mistake)."""
    makers = {"jurisdiction": new_jurisdiction, "event": new_event, "case": new_case}
    try:
        if args.what not in makers:
            raise ScaffoldError(
                "say what to add: python build.py new jurisdiction, new event <jurisdiction id>, or new case."
            )
        doc = read_data(make_config(data_dir=args.data).data_file)
        sys.stdout.write(makers[args.what](args, doc))
    except ScaffoldError as e:
        print(f"build.py new: {e}", file=sys.stderr)
        return 1
    return 0

"""Run the wire test server as its own process, for tests that need several processes.

    python -m tests.wire [--port N] [--standalone]

It prints its URI on the first line of its output and serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import signal
import threading

from tests.wire._server import WireServer


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.wire", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0 (the default): a free port")
    parser.add_argument("--standalone", action="store_true", help="not a replica-set primary")
    args = parser.parse_args()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    with WireServer(args.port, replica_set=not args.standalone) as server:
        print(server.uri, flush=True)
        stopped.wait()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A real SMTP server for Pillars' tests: aiosmtpd (PyPI), run as a process
of its own by tests/support/smtp.rs. It prints one JSON line per event on
standard output:

  {"event": "ready", "port": N}
  {"event": "message", "from": ..., "to": [...], "data": "<the whole message>"}
  {"event": "holding"}       a message arrived while holding (not accepted)

and reads commands, one a line, on standard input:

  accept    accept every message (the default)
  refuse    answer every message 451 (a temporary failure: try again later)
  hold      answer no message until released (a server that hangs mid-send);
            held messages are never accepted
  release   stop holding (held messages are refused)

It exits when standard input closes (the test ends). `--port N` listens on
N (0: a free port), so a test can stop it and start it again where it was.
"""

import argparse
import asyncio
import json
import socket
import sys
import threading

from aiosmtpd.controller import Controller

OUT = threading.Lock()


def emit(event):
    with OUT:
        sys.stdout.write(json.dumps(event) + "\n")
        sys.stdout.flush()


class Handler:
    def __init__(self):
        self.mode = "accept"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "refuse":
            return "451 4.3.0 Mail server busy, try again later"
        if self.mode == "hold":
            emit({"event": "holding"})
            while self.mode == "hold":
                await asyncio.sleep(0.02)
            return "451 4.3.0 Held, not accepted"
        emit(
            {
                "event": "message",
                "from": envelope.mail_from,
                "to": envelope.rcpt_tos,
                "data": envelope.content.decode("utf-8", "replace"),
            }
        )
        return "250 2.0.0 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    port = parser.parse_args().port or free_port()
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    emit({"event": "ready", "port": port})
    for line in sys.stdin:
        command = line.strip()
        if command in ("accept", "refuse", "hold", "release"):
            handler.mode = "accept" if command == "release" else command
            emit({"event": "mode", "mode": handler.mode})
    controller.stop()


if __name__ == "__main__":
    main()

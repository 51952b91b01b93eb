"""One ``nns --serve`` process and its protocol (docs/serve-protocol.md): requests as JSON lines
on its standard input, replies and events as JSON lines on a pipe of their own."""

import itertools
import json
import os
import queue
import signal
import subprocess
import threading

from .locate import find_nns


class ServerExited(Exception):
    """The interpreter process ended (it crashed, or was killed)."""


class NNSServer:
    def __init__(self, binary=None, cwd=None):
        self.binary = binary or find_nns()
        read_end, write_end = os.pipe()
        self.process = subprocess.Popen(
            [self.binary, f"--serve={write_end}"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=None,
            pass_fds=(write_end,), cwd=cwd,
            # Its own process group: an interrupt reaches it only when the kernel forwards one.
            start_new_session=True)
        os.close(write_end)
        self.replies = os.fdopen(read_end, "r", encoding="utf-8")
        self.events = queue.Queue()
        self.ids = itertools.count(1)
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True, name="nns-replies").start()
        ready = self.events.get(timeout=60)
        if ready is None or ready.get("event") != "ready":
            raise ServerExited(f"{self.binary} --serve did not start")
        self.version = ready.get("version", "")

    def _read(self):
        for line in self.replies:
            try:
                self.events.put(json.loads(line))
            except ValueError:
                continue
        self.events.put(None)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, kind: str, **fields) -> str:
        """Sends a request; returns its id."""
        request_id = str(next(self.ids))
        message = dict(fields, id=request_id, type=kind)
        with self.lock:
            try:
                self.process.stdin.write((json.dumps(message) + "\n").encode("utf-8"))
                self.process.stdin.flush()
            except (BrokenPipeError, OSError) as error:
                raise ServerExited(str(error))
        return request_id

    def messages(self, request_id: str, on_interrupt=None):
        """Yields the events of request ``request_id`` up to and including its reply.

        A KeyboardInterrupt (Jupyter's interrupt, a SIGINT to the kernel) is passed on to the
        interpreter as SIGINT, and the wait goes on: the interpreter stops at its next safe
        point and still replies."""
        while True:
            try:
                message = self.events.get(timeout=0.5)
            except queue.Empty:
                if not self.alive and self.events.empty():
                    raise ServerExited(f"nns exited with status {self.process.returncode}")
                continue
            except KeyboardInterrupt:
                self.interrupt()
                continue
            if message is None:
                raise ServerExited(f"nns exited with status {self.process.wait()}")
            if message.get("id") != request_id:
                continue
            yield message
            if message.get("event") == "reply":
                return

    def request(self, kind: str, **fields) -> dict:
        """Sends a request and returns its reply (other events are dropped)."""
        request_id = self.send(kind, **fields)
        reply = {}
        for message in self.messages(request_id):
            reply = message
        return reply

    def interrupt(self):
        if self.alive:
            os.kill(self.process.pid, signal.SIGINT)

    def shutdown(self):
        if self.alive:
            try:
                self.request("shutdown")
                self.process.wait(timeout=5)
            except Exception:
                pass
        if self.alive:
            self.process.kill()
            self.process.wait()

"""The Jupyter kernel: ipykernel's wrapper-kernel base over one ``nns --serve`` process."""

import html
import re
import signal
import uuid

from ipykernel.kernelbase import Kernel

from . import __version__
from .server import NNSServer, ServerExited



def framed(data):
    """A whole HTML document (an explain or replay page, with its own script and styles)
    shown in a sandboxed iframe: front ends insert text/html into the notebook's page, where
    a document's <html>/<body> and global styles would clash and its script may not run."""
    page = data.get("text/html", "")
    if not page.lstrip().lower().startswith(("<!doctype", "<html")):
        return data
    frame = ('<iframe sandbox="allow-scripts" style="width:100%;height:760px;border:1px solid #ccc" '
             f'srcdoc="{html.escape(page, quote=True)}"></iframe>')
    return dict(data, **{"text/html": frame})

class NNSKernel(Kernel):
    implementation = "nns_kernel"
    implementation_version = __version__
    language = "nns"
    language_version = "0.1"
    language_info = {
        "name": "nns",
        "mimetype": "text/x-nns",
        "file_extension": ".nns",
        "pygments_lexer": "nns",
        # No CodeMirror mode of its own: nns reads close enough to Python (# comments,
        # if/else/for/in/while/return/import, and/or/not, strings, numbers).
        "codemirror_mode": "python",
    }
    banner = "nns — a language for building, training and looking inside neural networks"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.server = NNSServer()
        self.language_version = self.server.version
        self.language_info = dict(self.language_info, version=self.server.version)
        # Jupyter interrupts a kernel with SIGINT; the interpreter decides what stops
        # (training after its current step), so the signal is passed on to it.
        try:
            signal.signal(signal.SIGINT, self._forward_interrupt)
        except ValueError:
            pass   # not the main thread (embedded kernels): interrupts then do not reach nns

    def _forward_interrupt(self, signum, frame):
        self.server.interrupt()

    # ipykernel swaps in Python's KeyboardInterrupt handler around each request; ours stays.
    def pre_handler_hook(self):
        pass

    def post_handler_hook(self):
        pass

    # ---- execute -------------------------------------------------------------------------

    def do_execute(self, code, silent, store_history=True, user_expressions=None, allow_stdin=False):
        if not code.strip():
            return self._ok()
        progress_id = None
        try:
            if not self.server.alive:
                self.server = NNSServer()
            request_id = self.server.send("execute", code=code)
            for message in self.server.messages(request_id):
                event = message.get("event")
                if silent and event != "reply":
                    continue
                if event == "stream":
                    self.send_response(self.iopub_socket, "stream",
                                       {"name": message.get("name", "stdout"), "text": message.get("text", "")})
                elif event == "display":
                    self.send_response(self.iopub_socket, "display_data",
                                       {"data": framed(message.get("data", {})), "metadata": {}})
                elif event in ("progress", "progress_end"):
                    progress_id = self._progress(message, progress_id)
                    if event == "progress_end":
                        progress_id = None
                elif event == "reply":
                    return self._finish(message, silent)
        except ServerExited as exited:
            text = f"the nns interpreter ended ({exited}); its bindings are lost — the next cell starts a new one"
            return self._error("InterpreterExited", text, [text])
        return self._ok()

    def _progress(self, message, display_id):
        """Training progress: one display, created at the first report and updated in place."""
        if message.get("event") == "progress_end":
            return None
        text = message.get("text", "")
        # The HTML form draws its own bar: the terminal's bar characters are left out of it.
        details = re.sub(r"\s*\[[█·]*\]", "", text)
        percent = 100 * float(message.get("fraction", 0))
        data = {
            "text/plain": text,
            "text/html": f'<div style="font-family:monospace"><progress value="{percent:.1f}" max="100" '
                         f'style="width:18em;vertical-align:middle"></progress> {html.escape(details)}</div>',
        }
        content = {"data": data, "metadata": {}, "transient": {"display_id": display_id or ""}}
        if display_id is None:
            display_id = "nns-training-" + uuid.uuid4().hex
            content["transient"]["display_id"] = display_id
            self.send_response(self.iopub_socket, "display_data", content)
        else:
            self.send_response(self.iopub_socket, "update_display_data", content)
        return display_id

    def _finish(self, reply, silent):
        if reply.get("status") == "error":
            lines = reply.get("traceback") or [reply.get("evalue", "error")]
            return self._error(reply.get("ename", "Error"), reply.get("evalue", ""), lines, silent)
        result = reply.get("result")
        if result and not silent:
            self.send_response(self.iopub_socket, "execute_result",
                               {"execution_count": self.execution_count, "data": framed(result), "metadata": {}})
        return self._ok()

    def _ok(self):
        return {"status": "ok", "execution_count": self.execution_count,
                "payload": [], "user_expressions": {}}

    def _error(self, name, value, traceback, silent=False):
        content = {"ename": name, "evalue": value, "traceback": traceback}
        if not silent:
            self.send_response(self.iopub_socket, "error", content)
        return dict(content, status="error", execution_count=self.execution_count)

    # ---- front-end services --------------------------------------------------------------

    def do_complete(self, code, cursor_pos):
        cursor = len(code) if cursor_pos is None else cursor_pos
        try:
            reply = self.server.request("complete", code=code, cursor=cursor)
        except ServerExited:
            reply = {}
        return {"status": "ok", "matches": reply.get("matches", []),
                "cursor_start": reply.get("cursor_start", cursor),
                "cursor_end": reply.get("cursor_end", cursor), "metadata": {}}

    def do_inspect(self, code, cursor_pos, detail_level=0, omit_sections=()):
        cursor = len(code) if cursor_pos is None else cursor_pos
        try:
            reply = self.server.request("inspect", code=code, cursor=cursor)
        except ServerExited:
            reply = {}
        return {"status": "ok", "found": bool(reply.get("found")), "data": reply.get("data", {}), "metadata": {}}

    def do_is_complete(self, code):
        try:
            reply = self.server.request("is_complete", code=code)
        except ServerExited:
            return {"status": "unknown"}
        if reply.get("completeness") == "incomplete":
            return {"status": "incomplete", "indent": reply.get("indent", "")}
        return {"status": "complete"}

    def do_shutdown(self, restart):
        self.server.shutdown()
        return {"status": "ok", "restart": restart}

"""Runs cells in a live nns kernel through jupyter_client and collects what they publish."""

import time
from queue import Empty


def run(kc, code, timeout=120, on_message=None):
    """Executes ``code``; returns (reply content, iopub messages of this request)."""
    msg_id = kc.execute(code)
    messages = []
    deadline = time.time() + timeout
    while True:
        remaining = deadline - time.time()
        if remaining <= 0:
            raise TimeoutError(f"no idle status within {timeout}s for {code!r}")
        try:
            msg = kc.get_iopub_msg(timeout=remaining)
        except Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if on_message:
            on_message(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        messages.append(msg)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], messages


def of_type(messages, *types):
    return [m for m in messages if m["msg_type"] in types]


def result_text(messages):
    results = of_type(messages, "execute_result")
    return results[-1]["content"]["data"]["text/plain"] if results else None


def stdout(messages):
    return "".join(m["content"]["text"] for m in of_type(messages, "stream") if m["content"]["name"] == "stdout")

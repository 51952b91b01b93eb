"""The nns kernel driven through jupyter_client: what a notebook user sees (SPEC §15)."""

import os
import re
import threading
import time

import pytest
from jupyter_client.manager import start_new_kernel

from conftest import ROOT
from kernel_client import of_type, result_text, run, stdout


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="nns", cwd=ROOT)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


CLASSROOM = """net = linear(2, 2, weight: [[0.2, 0.4], [0.3, 0.1]], bias: [0.1, 0.2])
    |> sigmoid
    |> linear(2, 1, weight: [[0.6, 0.5]], bias: [0.3])
    |> sigmoid"""


def test_bindings_last_across_cells(kernel):
    _, kc = kernel
    reply, _ = run(kc, "base = 21")
    assert reply["status"] == "ok"
    reply, messages = run(kc, "base * 2")
    assert reply["status"] == "ok" and result_text(messages) == "42"


def test_print_is_the_stdout_stream_and_the_last_value_the_result(kernel):
    _, kc = kernel
    reply, messages = run(kc, 'print("first")\nunshown = 5\nprint("second")\n3 * 3')
    assert stdout(messages) == "first\nsecond\n"
    assert result_text(messages) == "9"
    assert of_type(messages, "display_data") == []   # as in IPython: only the last value
    # ...but a plot shows wherever it is in the cell.
    reply, messages = run(kc, "plot([1, 2, 4])\n7")
    assert [sorted(m["content"]["data"]) for m in of_type(messages, "display_data")] == [["image/svg+xml", "text/plain"]]
    assert result_text(messages) == "7"


def test_an_error_names_the_problem_and_the_kernel_lives_on(kernel):
    _, kc = kernel
    run(kc, "kept = 5")
    reply, messages = run(kc, "a = 1\nb = kept + missing_thing")
    assert reply["status"] == "error"
    assert "missing_thing" in reply["evalue"]
    errors = of_type(messages, "error")
    assert len(errors) == 1
    traceback = "\n".join(errors[0]["content"]["traceback"])
    # The located message the CLI prints: line 2 of the cell, the source line and a caret.
    assert "<cell>:2:" in traceback and "b = kept + missing_thing" in traceback and "^" in traceback
    reply, messages = run(kc, "kept + a")
    assert reply["status"] == "ok" and result_text(messages) == "6"


def test_a_plot_without_a_file_is_an_svg_display(kernel):
    _, kc = kernel
    reply, messages = run(kc, "plot([4, 2, 1, 0.5])")
    displays = of_type(messages, "display_data")
    assert reply["status"] == "ok" and len(displays) == 1
    data = displays[0]["content"]["data"]
    assert data["image/svg+xml"].lstrip().startswith("<svg") and "</svg>" in data["image/svg+xml"]
    assert "text/plain" in data


def test_step_shows_the_walkthrough_inline(kernel):
    _, kc = kernel
    run(kc, CLASSROOM)
    reply, messages = run(kc, ":step forward net [0.5, 0.8]")
    assert reply["status"] == "ok"
    html = [m["content"]["data"]["text/html"] for m in of_type(messages, "display_data")
            if "text/html" in m["content"]["data"]]
    # The SPEC §14 page, framed so its script and styles stay its own.
    assert html and html[0].startswith("<iframe") and "srcdoc=" in html[0]
    shown = "\n".join(html) + stdout(messages)
    # z¹ = W¹·x + b¹ = [0.2·0.5 + 0.4·0.8 + 0.1, 0.3·0.5 + 0.1·0.8 + 0.2] = [0.52, 0.43], by hand.
    assert re.search(r"0\.520?\b", shown) and re.search(r"0\.430?\b", shown)
    # ŷ = σ(0.6·σ(0.52) + 0.5·σ(0.43) + 0.3) = σ(0.979) = 0.727
    assert "0.727" in shown
    reply, messages = run(kc, ":step backward net [0.5, 0.8] [1]")
    shown = "\n".join(m["content"]["data"].get("text/html", "") for m in of_type(messages, "display_data")) + stdout(messages)
    assert reply["status"] == "ok"
    # δ² = (ŷ − y)·σ'(z²) = (0.7270 − 1)·0.7270·0.2730 = −0.0542
    assert "0.0542" in shown


def test_training_is_one_progress_display_updated_in_place(kernel):
    _, kc = kernel
    reply, messages = run(kc, "seed(1)\nxnet = linear(2, 4) |> tanh |> linear(4, 1) |> sigmoid\n"
                              "h = train(xnet, xor_gate, loss: bce, epochs: 300, batch: 4, optimizer: adam(lr: 0.05))\nh")
    assert reply["status"] == "ok"
    created = [m for m in of_type(messages, "display_data") if m["content"].get("transient", {}).get("display_id")]
    assert len(created) == 1
    display_id = created[0]["content"]["transient"]["display_id"]
    updates = of_type(messages, "update_display_data")
    assert updates and all(u["content"]["transient"]["display_id"] == display_id for u in updates)
    assert "epoch 300/300" in updates[-1]["content"]["data"]["text/plain"]
    assert "epoch" in result_text(messages)   # then the history table


def test_commands_work_in_cells(kernel):
    _, kc = kernel
    run(kc, "listed_value = [1, 2, 3]")
    reply, messages = run(kc, ":vars")
    assert reply["status"] == "ok" and "listed_value" in stdout(messages)
    reply, messages = run(kc, ":nosuchcommand")
    assert reply["status"] == "error" and "nosuchcommand" in reply["evalue"]


def test_completion_of_a_name_bound_in_an_earlier_cell(kernel):
    _, kc = kernel
    run(kc, "learning_rate_schedule = 3\nconfig = {lr: 0.1, epochs: 5}")
    reply = kc.complete("x = learning_ra", 15, reply=True, timeout=30)["content"]
    assert reply["matches"] == ["learning_rate_schedule"]
    assert (reply["cursor_start"], reply["cursor_end"]) == (4, 15)
    reply = kc.complete("config.e", 8, reply=True, timeout=30)["content"]
    assert reply["matches"] == ["epochs"] and reply["cursor_start"] == 7
    reply = kc.complete('d = csv("samples/xo', 20, reply=True, timeout=30)["content"]
    assert reply["matches"] == ["samples/xor.nns"]
    reply = kc.complete(":st", 3, reply=True, timeout=30)["content"]
    assert set(reply["matches"]) >= {":step", ":stats"} and reply["cursor_start"] == 0


def test_inspection_shows_help_or_a_summary(kernel):
    _, kc = kernel
    reply = kc.inspect("sigmoid", 3, reply=True, timeout=30)["content"]
    assert reply["found"] and "sigmoid" in reply["data"]["text/plain"]
    run(kc, "weights = tensor([[1, 2, 3], [4, 5, 6]])")
    reply = kc.inspect("weights", 7, reply=True, timeout=30)["content"]
    text = reply["data"]["text/plain"]
    assert reply["found"] and text.startswith("weights: tensor") and "2×3" in text
    reply = kc.inspect("no_such_name_here", 5, reply=True, timeout=30)["content"]
    assert not reply["found"]


@pytest.mark.skipif(not os.environ.get("NNS_DATA"), reason="needs NNS_DATA with mnist/")
def test_an_interrupt_stops_mnist_training_keeping_the_weights(kernel):
    km, kc = kernel
    reply, _ = run(kc, 'seed(0)\nmnist_data = mnist("train")\n'
                       "mnet = linear(784, 128) |> relu |> linear(128, 10) |> softmax\n"
                       "before = copy(mnet[0].weight)", timeout=120)
    assert reply["status"] == "ok"
    progress = threading.Event()

    def watch(msg):
        if msg["msg_type"] in ("display_data", "update_display_data") and \
                "epoch" in msg["content"]["data"].get("text/plain", ""):
            progress.set()

    interrupted_at = []

    def interrupt_when_training():
        if progress.wait(120):
            time.sleep(1.0)
            interrupted_at.append(time.time())
            km.interrupt_kernel()

    threading.Thread(target=interrupt_when_training, daemon=True).start()
    reply, messages = run(kc, "mh = train(mnet, mnist_data, epochs: 50, batch: 32, optimizer: sgd(lr: 0.05))",
                          timeout=300, on_message=watch)
    returned = time.time()
    assert interrupted_at, "training never reported progress"
    assert returned - interrupted_at[0] < 10, "the cell did not return within seconds of the interrupt"
    assert reply["status"] == "ok"
    reply, messages = run(kc, "sum(abs(mnet[0].weight - before)) > 0")
    assert result_text(messages) == "true"
    reply, messages = run(kc, "len(mh)")
    assert int(result_text(messages)) < 50


def test_restart_starts_a_fresh_interpreter(kernel):
    # Last in the file: it forgets every binding the tests above made.
    km, kc = kernel
    run(kc, "before_restart = 1")
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=120)
    reply, _ = run(kc, "before_restart")
    assert reply["status"] == "error" and "before_restart" in reply["evalue"]
    reply, messages = run(kc, "2 + 2")
    assert result_text(messages) == "4"

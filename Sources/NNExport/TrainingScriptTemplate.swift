/// The fixed part of the `train.py` that `export_training` writes; `TrainingScriptExporter`
/// fills each `@@NAME@@` with the recipe's own text.
enum TrainingScriptTemplate {
    static let text = #"""
#!/usr/bin/env python3
"""Trains the nns network

    @@DESCRIPTION@@

with PyTorch, the way nns's train() does. Written by nns export_training().

    python train.py                                      one process (CPU, or the GPU if any)
    torchrun --standalone --nproc_per_node=N train.py    N processes, DistributedDataParallel
    (several machines: see README.md)

Flags: --data FILE... reads other files of the same layout, --epochs N, --out FILE (default:
trained.safetensors beside this script). Rank 0 writes the trained weights with the names nns
uses; in nns, load("trained.safetensors", into: net) brings them back.
"""
import argparse
import csv
import gzip
import math
import os
import struct
import sys
import time
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import load_file, save
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

HERE = Path(__file__).resolve().parent
DESCRIPTION = @@DESCRIPTION_LITERAL@@

# The recipe, as nns ran it:
#     @@RECIPE@@
EPOCHS = @@EPOCHS@@
BATCH = @@BATCH@@  # the global batch: each of N processes takes BATCH / N examples per step
SHUFFLE = @@SHUFFLE@@
SEED = @@SEED@@  # seeds PyTorch's shuffling and dropout (not nns's generator: the order differs)
LOSS = "@@LOSS@@"
L1 = @@L1@@  # adds L1·Σ|w| to the cost, for linear layers' weights only
L2 = @@L2@@  # adds L2/2·Σw² to the cost, for linear layers' weights only
CLIP = @@CLIP@@  # rescales all gradients together when their global L2 norm exceeds this
EARLY_STOP = @@EARLY_STOP@@  # patience in epochs; the best epoch's weights are kept
ONE_HOT = @@ONE_HOT@@  # class labels become one-hot rows of this width (mse or bce)
SKIP_SINGLE_LAST_BATCH = @@SKIP_SINGLE@@  # batchnorm cannot take a batch of one example
ACCURACY = "@@ACCURACY@@"
VALIDATION_ACCURACY = @@VALIDATION_ACCURACY@@
VALIDATION_ONE_HOT = @@VALIDATION_ONE_HOT@@

# The data, read the way nns read it (--data replaces the files).
DATA = @@DATA@@
VALIDATION = @@VALIDATION@@
DATA_FILES = @@DATA_FILES@@


class Network(nn.Sequential):
    """The nns network: layer i is nns's layer i + 1, and the parameter names ("0.weight", ...)
    are nns's. forward returns the output and the last layer's input, which a loss fused with
    a final softmax or sigmoid takes (as nns does)."""

    def forward(self, x):
        *body, last = self
        for layer in body:
            x = layer(x)
        return last(x), x


def build_network():
    return Network(
@@MODULES@@
    )


def learning_rate(epoch):
    """The learning rate of an epoch (counted from 0), set before its first step: @@SCHEDULE_DOC@@."""
@@SCHEDULE_BODY@@


def make_optimizer(parameters):
@@OPTIMIZER@@


def loss_of(output, last_input, y):
@@LOSS_BODY@@


def as_float32(x):
    """nns keeps the learning rate in float32."""
    return struct.unpack("f", struct.pack("f", x))[0]


def add_penalties(weights):
    """The gradients of L1·Σ|w| and L2/2·Σw², added after the (averaged) data gradient."""
    for w in weights:
        if w.grad is not None:
            w.grad.add_(L2 * w.detach() + L1 * torch.sign(w.detach()))


def clip_gradients(parameters, limit):
    """nns's clip: g ← g·limit/‖g‖ when the global norm ‖g‖ exceeds limit (no epsilon, unlike
    torch.nn.utils.clip_grad_norm_)."""
    grads = [p.grad for p in parameters if p.grad is not None]
    norm = math.sqrt(sum(float(g.double().pow(2).sum()) for g in grads))
    if norm > limit and math.isfinite(norm):
        for g in grads:
            g.mul_(limit / norm)


# ---- data ----------------------------------------------------------------------------------
def read_csv(path, target, header):
    """nns's csv(path, target:, header:): the target column (a header name, or a position,
    negative from the end) and float32 features from every other column. Whole-number targets
    from 0 are class labels, other numbers regression targets, words class names numbered in
    sorted order. Blank lines are skipped."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [row for row in csv.reader(f) if row and not (len(row) == 1 and not row[0].strip())]
    names = rows.pop(0) if header else None
    width = len(names) if header else len(rows[0])
    column = names.index(target) if isinstance(target, str) else (width + target if target < 0 else target)
    x = torch.tensor([[float(cell) for i, cell in enumerate(row) if i != column] for row in rows],
                     dtype=torch.float32)
    cells = [row[column].strip() for row in rows]
    try:
        values = [float(cell) for cell in cells]
    except ValueError:
        classes = sorted(set(cells))
        return x, torch.tensor([classes.index(cell) for cell in cells], dtype=torch.int64)
    if all(0 <= v < 65536 and v == int(v) for v in values):
        return x, torch.tensor(values, dtype=torch.int64)
    return x, torch.tensor(values, dtype=torch.float32).unsqueeze(1)


def read_idx(images, labels):
    """nns's idx(images, labels): IDX files of unsigned bytes, gzip-compressed or raw; each
    image flattened to a row, pixels scaled by 1/255 (in float32, as nns scales them)."""
    def read(path):
        raw = Path(path).read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        rank = raw[3]
        dims = struct.unpack(f">{rank}I", raw[4:4 + 4 * rank])
        count = math.prod(dims)
        return torch.frombuffer(bytearray(raw[4 + 4 * rank:4 + 4 * rank + count]), dtype=torch.uint8).reshape(dims)
    pixels = read(images)
    x = pixels.reshape(len(pixels), -1).float() * torch.tensor(1 / 255, dtype=torch.float32)
    return x, read(labels).to(torch.int64)

def read_data(spec, files):
    """(x, y): x float32 [m, features]; y int64 [m] class labels or float32 [m, k] targets."""
    if spec is None:
        return None
    if spec["kind"] == "csv":
        return read_csv(files[0] if files else spec["path"], spec["target"], spec["header"])
    if spec["kind"] == "idx":
        if files and len(files) != 2:
            raise SystemExit("train.py: --data needs two files here: the images and the labels (IDX)")
        images, labels = files if files else (spec["images"], spec["labels"])
        return read_idx(images, labels)
    tensors = load_file(files[0] if files else HERE / spec["file"])
    return tensors["x"], tensors["y"]


def as_targets(y, one_hot):
    """Targets in the form the loss takes, as nns feeds them."""
    if y.dtype != torch.int64:
        return y
    if one_hot:
        return F.one_hot(y, one_hot).float()
    if LOSS == "cross_entropy":
        return y
    return y.float().unsqueeze(1)


def count_correct(output, y, rule):
    """(correct, scored) as nns's train and evaluate count them."""
    if rule == "argmax_label":
        return int((output.argmax(1) == y).sum()), len(y)
    if rule == "argmax_row":
        return int((output.argmax(1) == y.argmax(1)).sum()), len(y)
    if rule == "threshold_label":
        return int(((output[:, 0] >= 0.5) == (y[:, 0] == 1)).sum()), len(y)
    if rule == "threshold_entries":
        return int(((output >= 0.5) == (y == 1)).sum()), y.numel()
    return 0, 0


@torch.no_grad()
def evaluate(model, x, y, rule, device):
    """nns's evaluate: the mean loss over all examples and the accuracy (None for regression),
    in inference mode (dropout off, batchnorm on its running statistics)."""
    model.eval()
    total, correct, scored = 0.0, 0, 0
    for start in range(0, len(x), 1000):
        xb, yb = x[start:start + 1000].to(device), y[start:start + 1000].to(device)
        output, last_input = model(xb)
        total += float(loss_of(output, last_input, yb)) * len(xb)
        c, s = count_correct(output, yb, rule)
        correct, scored = correct + c, scored + s
    model.train()
    return total / len(x), (correct / scored if rule != "none" else None)


def save_atomically(tensors, path, metadata):
    """Writes a safetensors file so a reader sees the old file or the new one, never a mixture:
    a temporary file in the same directory, flushed to disk, renamed over the target."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(temporary, "wb") as f:
            f.write(save(tensors, metadata=metadata))
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", nargs="+", metavar="FILE",
                        help=f"training data files instead of the exported ones ({DATA_FILES})")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help=f"epochs to train (default {EPOCHS}; the schedule is unchanged)")
    parser.add_argument("--out", default=str(HERE / "trained.safetensors"), help="where rank 0 writes the trained weights")
    args = parser.parse_args()

    distributed = "WORLD_SIZE" in os.environ  # set by torchrun
    cuda = torch.cuda.is_available()
    if distributed:
        local_rank = int(os.environ["LOCAL_RANK"])
        device = torch.device("cuda", local_rank) if cuda else torch.device("cpu")
        if cuda:
            torch.cuda.set_device(device)
        dist.init_process_group("nccl" if cuda else "gloo")
        rank, world = dist.get_rank(), dist.get_world_size()
    else:
        device = torch.device("cuda" if cuda else "cpu")
        rank, world = 0, 1

    def log(*message):
        if rank == 0:
            print(*message, flush=True)

    if BATCH % world != 0:
        raise SystemExit(f"train.py: the batch of {BATCH} does not split evenly over {world} processes; "
                         f"run a number of processes that divides {BATCH}, or export with another batch:")
    local_batch = BATCH // world
    torch.manual_seed(SEED + rank)

    x, y = read_data(DATA, args.data)
    y = as_targets(y, ONE_HOT)
    validation = read_data(VALIDATION, None)
    if validation is not None:
        validation = (validation[0], as_targets(validation[1], VALIDATION_ONE_HOT))
    m = len(x)
    if m % world != 0:
        log(f"note: {m} examples do not split evenly over {world} processes: the sampler repeats "
            f"{world - m % world} of them in the last batch, so the run is not exactly nns's")

    model = build_network()
    model.load_state_dict(load_file(HERE / "init.safetensors"))
    model.to(device)
    net = DistributedDataParallel(model) if distributed else model
    optimizer = make_optimizer(model.parameters())
    penalised = [layer.weight for layer in model if isinstance(layer, nn.Linear)]

    # The sampler deals example i to process i mod N, so the N local batches of a step together
    # hold the global batch nns takes: examples [s·BATCH, (s+1)·BATCH) of the epoch's order.
    train_set = TensorDataset(x, y)
    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=SHUFFLE, seed=SEED)
    loader = DataLoader(train_set, batch_size=local_batch, sampler=sampler)
    steps = math.ceil(m / BATCH)
    if SKIP_SINGLE_LAST_BATCH and m % BATCH == 1 and steps > 1:
        steps -= 1

    log(f"training {DESCRIPTION} on {m} examples, {world} process{'es' if world > 1 else ''} "
        f"on {device.type}, batch {BATCH} ({local_batch} per process), {args.epochs} epoch{'s' if args.epochs > 1 else ''}")
    best, best_loss, waited = None, math.inf, 0
    for epoch in range(args.epochs):
        started = time.monotonic()
        rate = as_float32(learning_rate(epoch))
        for group in optimizer.param_groups:
            group["lr"] = rate
        sampler.set_epoch(epoch)
        model.train()
        totals = torch.zeros(4, dtype=torch.float64)  # loss·examples, examples, correct, scored
        for _, (xb, yb) in zip(range(steps), loader):
            xb, yb = xb.to(device), yb.to(device)
            output, last_input = net(xb)
            loss = loss_of(output, last_input, yb)
            optimizer.zero_grad()
            loss.backward()  # DistributedDataParallel averages the gradients over the processes
            if L1 or L2:
                add_penalties(penalised)
            if CLIP is not None:
                clip_gradients(model.parameters(), CLIP)
            optimizer.step()
            correct, scored = count_correct(output.detach(), yb, ACCURACY)
            totals += torch.tensor([loss.item() * len(xb), len(xb), correct, scored], dtype=torch.float64)
        if distributed:
            dist.all_reduce(totals)
        epoch_loss = float(totals[0] / totals[1])
        if not math.isfinite(epoch_loss):
            raise SystemExit(f"train.py: the loss became {epoch_loss} in epoch {epoch + 1}; "
                             f"lower the learning rate (it is {rate:g}) or limit the gradients with CLIP")
        line = f"epoch {epoch + 1}/{args.epochs}  loss {epoch_loss:.4f}"
        if ACCURACY != "none":
            line += f"  accuracy {100 * float(totals[2] / totals[3]):.2f}%"
        monitored = epoch_loss
        if validation is not None:
            val_loss, val_accuracy = evaluate(model, *validation, VALIDATION_ACCURACY, device)
            monitored = val_loss
            line += f"  val_loss {val_loss:.4f}"
            if val_accuracy is not None:
                line += f"  val_accuracy {100 * val_accuracy:.2f}%"
        log(line + f"  lr {rate:.6g}  {time.monotonic() - started:.1f} s")

        if EARLY_STOP is not None:
            if distributed:  # every process decides as rank 0 does
                shared = torch.tensor([monitored], dtype=torch.float64, device=device)
                dist.broadcast(shared, 0)
                monitored = float(shared)
            if monitored < best_loss:
                best_loss, waited = monitored, 0
                best = {name: t.detach().clone() for name, t in model.state_dict().items()}
            else:
                waited += 1
                if waited >= EARLY_STOP:
                    log(f"no better loss for {EARLY_STOP} epochs: stopping")
                    break
    if best is not None:
        model.load_state_dict(best)  # the best epoch's weights, as nns keeps them

    weights = {name: t.detach().cpu().contiguous() for name, t in model.state_dict().items()}
    if distributed:
        # Every process should hold the same weights; compare them with rank 0's.
        flat = torch.cat([t.double().flatten() for t in weights.values()]).to(device)
        reference = flat.clone()
        dist.broadcast(reference, 0)
        difference = (flat - reference).abs().max()
        dist.all_reduce(difference, op=dist.ReduceOp.MAX)
        log(f"all {world} processes hold the same weights (largest difference {float(difference):g})"
            if float(difference) == 0 else
            f"warning: the processes' weights differ by up to {float(difference):g}")
    if rank == 0:
        with safe_open(HERE / "init.safetensors", framework="pt") as f:
            metadata = f.metadata()  # nns's description of the network, so load() can rebuild it
        save_atomically(weights, args.out, metadata)
        log(f"wrote {args.out}")
    if distributed:
        dist.destroy_process_group()
        # Everything is written. Leave now: PyTorch 2.13 can abort a process while its C++
        # runtime tears down at exit ("terminate called without an active exception", about
        # one two-process run in fifteen on loopback gloo), which torchrun reports as a failure.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
"""#
}

"""Loads MNIST from the IDX files nns reads ($NNS_DATA/mnist/*.gz), as uint8 arrays."""
import gzip
import os
import struct
import subprocess
import sys

try:
    import numpy as np
except ImportError:  # the peers' one shared package: install it if missing
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "numpy"])
    import numpy as np


def _read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = bytearray(f.read())  # writable, so torch.from_numpy shares it without a warning
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(part):
    """(images [m, 784] uint8, labels [m] int64) for "train" or "test"."""
    root = os.environ.get("NNS_DATA", "data")
    prefix = "train" if part == "train" else "t10k"
    d = os.path.join(root, "mnist")
    x = _read_idx(os.path.join(d, f"{prefix}-images-idx3-ubyte.gz"))
    y = _read_idx(os.path.join(d, f"{prefix}-labels-idx1-ubyte.gz"))
    return x.reshape(len(x), -1), y.astype(np.int64)

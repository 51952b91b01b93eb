import Foundation
import NNEngine

/// The run directory's other files: the directory itself, in-memory data, the README.
extension TrainingScriptExporter {
    /// Makes sure `path` is a directory we may write into, creating it when missing; returns
    /// it without a trailing slash.
    static func prepareDirectory(_ path: String, overwrite: Bool) throws -> String {
        var dir = path
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        guard !dir.isEmpty else {
            throw EngineError("export_training needs a directory name, got \"\"", hint: "for example export_training(net, data, \"run/\")")
        }
        var info = stat()
        if lstat(dir, &info) != 0 {
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                throw EngineError("cannot create the directory \(dir): \(error.localizedDescription)",
                                  hint: "choose a directory you can write to")
            }
            return dir
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFLNK {
            throw EngineError("\(dir) is a symbolic link; export_training writes only into a real directory",
                              hint: "give the directory the link points to, or a new name")
        }
        guard kind == S_IFDIR else {
            let what = kind == S_IFREG ? "a file" : kind == S_IFIFO ? "a FIFO" : kind == S_IFSOCK ? "a socket" : "a device"
            throw EngineError("\(dir) is \(what), not a directory", hint: "give export_training a new directory name, e.g. \"run/\"")
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        if entries.isEmpty || overwrite || isEarlierExport(dir) { return dir }
        throw EngineError("\(dir) is not empty and holds no earlier export_training run",
                          hint: "give a new directory, or overwrite: true to write the run's files into it anyway")
    }

    /// True when `dir/train.py` is a regular file whose opening lines carry `marker`.
    static func isEarlierExport(_ dir: String) -> Bool {
        var info = stat()
        guard lstat(dir + "/train.py", &info) == 0, info.st_mode & S_IFMT == S_IFREG,
              let handle = FileHandle(forReadingAtPath: dir + "/train.py") else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        return String(decoding: head, as: UTF8.self).contains(marker)
    }

    /// A data set made in memory as safetensors: `x` float32 `[m, features]` (bytes scaled as
    /// training scales them), `y` int64 `[m]` labels or float32 `[m, k]` targets.
    static func dataFile(_ data: Dataset) throws -> SafeTensorsFile {
        let y: SafeTensorsFile.Item
        switch data.targets {
        case .labels(let labels, _):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(labels.count * 8)
            for label in labels { withUnsafeBytes(of: Int64(label).littleEndian) { bytes += $0 } }
            y = SafeTensorsFile.Item(name: "y", dtype: .I64, shape: [labels.count], bytes: bytes)
        case .matrix(let values, let width):
            y = SafeTensorsFile.Item(name: "y", tensor: Tensor(shape: [data.count, width], scalars: values))
        }
        return try SafeTensorsFile(items: [SafeTensorsFile.Item(name: "x", tensor: data.x), y])
    }

    /// README.md: what is in the directory and how to launch it.
    static func readme(network: Network, data: DataReference, batch: Int) -> String {
        let dataLine: String
        switch data {
        case .source(.csv(let path, _, _)): dataLine = "the training data is read from `\(path)` (give `--data FILE` for a copy elsewhere)"
        case .source(.idx(let images, let labels)):
            dataLine = "the training data is read from `\(images)` and `\(labels)` (give `--data IMAGES LABELS` for copies elsewhere)"
        case .file(let name): dataLine = "the training data is `\(name)` (`x` and `y`)"
        }
        return """
            # Training `\(network.description)` with PyTorch

            Written by nns `export_training()`. `train.py` runs the same recipe as nns's `train`:
            the same loss, optimizer, schedule, batches, penalties and clipping, starting from the
            weights in `init.safetensors`; \(dataLine).

            Needs Python 3 with `torch` and `safetensors` (`pip install torch safetensors`).

            ## One process (CPU, or the GPU when there is one)

                python train.py

            ## One machine, N processes (DistributedDataParallel: gloo on CPUs, nccl on GPUs)

                torchrun --standalone --nproc_per_node=N train.py

            The batch stays \(batch) examples per step in total: each process takes \(batch)/N, so N must
            divide \(batch). With `shuffle: false`, plain SGD and a number of examples N divides, the
            run ends with the weights nns's own `train` reaches, to float32 rounding.

            ## Several machines

            On every machine (here 2 machines of 4 processes; HOST is the first machine's address):

                torchrun --nnodes=2 --nproc_per_node=4 --rdzv_id=nns-run --rdzv_backend=c10d \\
                         --rdzv_endpoint=HOST:29400 train.py

            (or name each machine's place with `--node_rank=0`, `--node_rank=1`, … and
            `--master_addr=HOST --master_port=29500` instead of the `--rdzv_*` flags). Every
            machine needs this directory and the data at the same path, or `--data`.

            ## Flags

                --data FILE...   other data files of the same layout
                --epochs N       train for N epochs (the learning-rate schedule is unchanged)
                --out FILE       where rank 0 writes the weights (default: trained.safetensors here)

            ## Back in nns

                load("trained.safetensors", into: net)    # or load("trained.safetensors") for a new network

            then `evaluate`, `:step` or `plot_weights` as with a network trained in nns.

            ## What differs from nns

            - With `shuffle: true` the order comes from PyTorch's generator, seeded with `SEED`, not
              nns's: the batches differ, the statistics of the run do not.
            - Dropout masks come from PyTorch's generator too.
            - The optimizer starts fresh, as a new one in nns would.
            - Under several processes, batchnorm computes its batch statistics per process.
            - When N does not divide the number of examples, PyTorch's sampler repeats a few of them
              in the last batch; the script says so when it starts.

            """
    }
}

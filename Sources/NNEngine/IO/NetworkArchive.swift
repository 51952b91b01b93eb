/// Saving a network to a safetensors file and loading it back, or loading any safetensors
/// file with PyTorch names into an existing network.
///
/// A saved file holds every entry of the network's state_dict under PyTorch's names (`0.weight`
/// of shape [out, in], `0.bias`, a batchnorm's `running_mean`, `running_var` and
/// `num_batches_tracked`, the last as I64 like PyTorch's; the rest F32) and, in `__metadata__`:
/// - `nns.network`: the nns source of the network (`linear(2, 2) |> sigmoid`),
/// - `nns.layers`: the architecture as JSON (see `LayerRegistry`), enough to rebuild the network
///   without the language,
/// - `format`: `pt`, the marker PyTorch-oriented tools look for.
public enum NetworkArchive {
    public static let sourceKey = "nns.network"
    public static let layersKey = "nns.layers"

    /// Writes `network` to `path` atomically: a failure leaves any earlier file intact.
    public static func save(_ network: Network, to path: String, using io: FileIO = .system) throws {
        try file(for: network).write(to: path, using: io)
    }

    /// The safetensors contents `save` writes.
    public static func file(for network: Network) throws -> SafeTensorsFile {
        let items = network.namedParameters.map { name, parameter -> SafeTensorsFile.Item in
            if isCounter(name) {
                let count = Int64(max(0, min(parameter.value.scalars.first ?? 0, 9.0e18)))
                return SafeTensorsFile.Item(name: name, dtype: .I64, shape: [],
                                            bytes: withUnsafeBytes(of: count.littleEndian) { Array($0) })
            }
            return SafeTensorsFile.Item(name: name, tensor: parameter.value)
        }
        return try SafeTensorsFile(items: items, metadata: [
            (key: "format", value: "pt"),
            (key: sourceKey, value: network.description),
            (key: layersKey, value: LayerRegistry.encode(network.layers)),
        ])
    }

    /// Reads a file `save` wrote and rebuilds its network, checking every tensor's name,
    /// dtype and shape against the recorded architecture.
    /// - Throws: `EngineError` naming the file and the first problem; for a file without nns
    ///   metadata, one suggesting `load(path, into: net)`.
    public static func load(from path: String) throws -> Network {
        try network(from: SafeTensorsFile.read(path: path), source: path)
    }

    /// Copies every tensor of the file at `path` into `network`, as PyTorch's
    /// `load_state_dict` does: every name and shape must match (the error names the first
    /// that does not). Nothing is changed unless all match.
    public static func load(from path: String, into network: Network) throws {
        try fill(network, from: SafeTensorsFile.read(path: path), source: path)
    }

    /// Rebuilds the network recorded in `file`.
    public static func network(from file: SafeTensorsFile, source: String) throws -> Network {
        guard let layersJSON = file.header.metadataValue(layersKey) else {
            throw EngineError("\(source) does not say which network it holds (it has no nns.layers metadata)",
                              hint: "build the network first and load the tensors into it: load(\"\(source)\", into: net)")
        }
        let records: [LayerRecord]
        do { records = try LayerRegistry.decode(layersJSON) } catch let error as EngineError {
            throw EngineError("\(source): \(error.message)", hint: error.hint)
        }
        // The file's tensors must match the architecture before any layer is built: the sizes
        // in nns.layers are then bounded by the file's own size, not taken on trust.
        for (index, record) in records.enumerated() {
            let shapes: [(name: String, shape: [Int])]
            do { shapes = try LayerRegistry.parameterShapes(of: record) } catch let error as EngineError {
                throw EngineError("\(source): \(error.message)", hint: error.hint)
            }
            for (name, shape) in shapes {
                let fullName = "\(index).\(name)"
                guard let entry = file.header.entry(named: fullName) else {
                    if isCounter(fullName) { continue }
                    throw EngineError("\(source) has no tensor \"\(fullName)\" for layer \(index + 1) of its saved architecture",
                                      hint: "the file is damaged; save the network again")
                }
                guard entry.shape == shape else {
                    throw EngineError("tensor \"\(fullName)\" in \(source) has shape \(entry.shape), but its saved architecture says \(shape)",
                                      hint: "the file is damaged; save the network again")
                }
            }
        }
        let layers: [Layer]
        do { layers = try records.map(LayerRegistry.make) } catch let error as EngineError {
            throw EngineError("\(source): \(error.message)", hint: error.hint)
        }
        let network: Network
        do {
            network = try Network(layers)
        } catch let error as EngineError {
            throw EngineError("\(source): the saved architecture is inconsistent: \(error.message)",
                              hint: "the nns.layers metadata is damaged; load the tensors with load(path, into: net) instead")
        }
        try fill(network, from: file, source: source)
        return network
    }

    /// Copies the tensors of `file` into `network` after checking all of them.
    public static func fill(_ network: Network, from file: SafeTensorsFile, source: String) throws {
        let wanted = network.namedParameters
        var values: [Tensor] = []
        values.reserveCapacity(wanted.count)
        for (name, parameter) in wanted {
            let owner = layer(owning: name, in: network)
            guard let entry = file.header.entry(named: name) else {
                // PyTorch before 0.4.1 and some tools write no batch counter; keep ours.
                if isCounter(name) { values.append(parameter.value); continue }
                let present = file.header.entries.prefix(6).map { "\"\($0.name)\"" }.joined(separator: ", ")
                throw EngineError("\(source) has no tensor \"\(name)\" for \(owner)",
                                  hint: file.header.entries.isEmpty ? "the file holds no tensors"
                                      : "the file has \(present)\(file.header.entries.count > 6 ? ", …" : ""); the names must be the network's state_dict names")
            }
            let integerAllowed = isCounter(name) && [.I64, .I32].contains(entry.dtype)
            guard entry.dtype.isFloatingPoint || integerAllowed else {
                throw EngineError("tensor \"\(name)\" in \(source) has dtype \(entry.dtype.rawValue), but \(owner) needs floating-point numbers",
                                  hint: "save it as float32 (F32)")
            }
            guard entry.shape == parameter.value.shape else {
                throw EngineError("tensor \"\(name)\" in \(source) has shape \(entry.shape), but \(owner) needs \(parameter.value.shape)",
                                  hint: "the file was saved from a network of another architecture")
            }
            values.append(integerAllowed ? try counter(entry, in: file) : try file.tensor(for: entry))
        }
        let known = Set(wanted.map(\.name))
        if let extra = file.header.entries.first(where: { !known.contains($0.name) }) {
            throw EngineError("\(source) has a tensor \"\(extra.name)\" that the network \(network) has no place for",
                              hint: "the file was saved from a network of another architecture")
        }
        for ((_, parameter), value) in zip(wanted, values) { parameter.value = value }
    }

    /// Batchnorm's batch counter, which PyTorch stores as an integer.
    static func isCounter(_ name: String) -> Bool { name.hasSuffix(".num_batches_tracked") }

    private static func counter(_ entry: SafeTensorsEntry, in file: SafeTensorsFile) throws -> Tensor {
        let bytes = Array(file.bytes(of: entry))
        let value = bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let signed = entry.dtype == .I64 ? Int64(bitPattern: value) : Int64(Int32(truncatingIfNeeded: value))
        return Tensor(scalar: Float(signed))
    }

    /// "layer 1 (linear(2, 2))" for the parameter "0.weight".
    private static func layer(owning name: String, in network: Network) -> String {
        guard let dot = name.firstIndex(of: "."), let index = Int(name[..<dot]), network.layers.indices.contains(index) else {
            return "the network"
        }
        return "layer \(index + 1) (\(network.layers[index]))"
    }
}

extension Network {
    /// Saves the network (see `NetworkArchive.save`).
    public func save(to path: String) throws { try NetworkArchive.save(self, to: path) }

    /// Rebuilds a network saved with `save` (see `NetworkArchive.load(from:)`).
    public static func load(from path: String) throws -> Network { try NetworkArchive.load(from: path) }

    /// Fills this network from any safetensors file with PyTorch names (see `NetworkArchive.load(from:into:)`).
    public func loadTensors(from path: String) throws { try NetworkArchive.load(from: path, into: self) }
}

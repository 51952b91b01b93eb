/// Every kind of layer, by the names its builtin and its saved record use: how `load`
/// rebuilds a network from its `nns.layers` metadata. A new layer class is one line here.
public enum LayerRegistry {
    public static let classes: [any Layer.Type] = [
        Linear.self,
        Activation.self,
        Softmax.self,
        Dropout.self,
        BatchNorm.self,
        Reshape.self,
        Flatten.self,
        Conv2D.self,
        Pool2D.self,
        BatchNorm2D.self,
    ]

    /// The class implementing `kind`, if any.
    public static func layerClass(for kind: String) -> (any Layer.Type)? {
        classes.first { $0.kinds.contains(kind) }
    }

    /// The saved record of a layer: `{"kind":"linear","in":2,"out":2}`.
    public static func record(of layer: Layer) -> JSONValue {
        LayerRecord.json(kind: layer.kind, arguments: layer.arguments)
    }

    /// The `nns.layers` metadata string for `layers`.
    public static func encode(_ layers: [Layer]) -> String {
        JSONValue.array(layers.map(record(of:))).serialized
    }

    /// The records of an `nns.layers` metadata string, each with a known kind.
    public static func decode(_ text: String) throws -> [LayerRecord] {
        let hint = "the nns.layers metadata is damaged; load the tensors with load(path, into: net) instead"
        let json: JSONValue
        do { json = try JSONValue.parse(text, maxDepth: 4) } catch {
            throw EngineError("the saved architecture (nns.layers) is not valid JSON: \(error)", hint: hint)
        }
        guard let items = json.arrayValue, !items.isEmpty else {
            throw EngineError("the saved architecture (nns.layers) is not a non-empty list of layers", hint: hint)
        }
        return try items.enumerated().map { index, item in
            let record = try LayerRecord(json: item, index: index + 1)
            guard layerClass(for: record.kind) != nil else {
                throw LayerRecord.damaged(record.index, "has unknown kind \"\(record.kind)\"")
            }
            return record
        }
    }

    /// The shapes of the tensors a recorded layer holds, before it is built (so a file's
    /// tensors can be checked against its architecture before anything is allocated).
    public static func parameterShapes(of record: LayerRecord) throws -> [(name: String, shape: [Int])] {
        try layerClass(for: record.kind)!.parameterShapes(record)
    }

    /// A new layer from its record (its parameters to be filled from a file).
    public static func make(_ record: LayerRecord) throws -> Layer {
        guard let type = layerClass(for: record.kind) else {
            throw LayerRecord.damaged(record.index, "has unknown kind \"\(record.kind)\"")
        }
        return try type.make(record)
    }
}

import NNEngine

/// The page's data: what the inline script draws and steps through, as JSON written with the
/// engine's JSON writer.
extension WalkPage {
    var json: JSONValue {
        var edges: [JSONValue] = []
        for (k, linear) in linears.enumerated() {
            let l = k + 1
            var members: [(String, JSONValue)] = [("layer", .integer(l)), ("from", .integer(k)), ("to", .integer(l)),
                                                   ("rows", .integer(linear.weight.shape[0])), ("cols", .integer(linear.weight.shape[1])),
                                                   ("label", .string("W\(Self.sup(l)) \(NumberFormat.shape(linear.weight.shape))"))]
            if small(k), small(l) {
                members.append(("weights", Self.numbers(linear.weight)))
            } else {
                members.append(("image", PageImage(linear.weight).json))
            }
            edges.append(.object(members))
        }
        let stepList: [JSONValue] = steps.map { step in
            .object([
                ("title", .string(step.title)),
                ("lines", .array(step.lines.map { .string($0) })),
                ("reveal", .array(step.reveal.map { .array([.string($0.slot), .string($0.text)]) })),
                ("images", .array(step.images.map { .array([.string($0.slot), $0.image.json]) })),
                ("weights", .array(step.weights.filter { small($0.layer - 1) && small($0.layer) }
                    .map { .array([.integer($0.layer), Self.numbers($0.weight)]) })),
            ])
        }
        let notes: [(String, JSONValue)] = info.keys.sorted().map { key in
            (key, .array(info[key]!.map { .array([.integer($0.step), .string($0.text)]) }))
        }
        return .object([
            ("kind", .string("walk")),
            ("code", .string(pass.network.description)),
            ("columns", .array(columns.map { column in
                .object([("label", .string(column.label)), ("units", .integer(column.units)), ("block", .bool(column.block))])
            })),
            ("edges", .array(edges)),
            ("steps", .array(stepList)),
            ("info", .object(notes)),
        ])
    }

    static func numbers(_ t: Tensor) -> JSONValue {
        .array(t.scalars.map { .number(Double($0)) })
    }
}

// nns-io-check: the nns side of the Python interoperability checks (tools/ci/io_checks.sh).
//
//   nns-io-check write DIR
//       For each check network (spec: SPEC §12's 2-2-1 sigmoid network; mnist: 784-256-32-10,
//       trained a few SGD steps on synthetic data; kinds: every layer kind, batchnorm's running
//       statistics updated by training passes) writes DIR/NAME.safetensors (save),
//       DIR/NAME.onnx and DIR/NAME_torch.py (+ NAME_torch.safetensors) (export), and
//       DIR/NAME.json: every tensor (name, dtype, shape, values) and inputs with nns's
//       inference outputs.
//   nns-io-check load-into FILE LAYERS_JSON
//       Builds the network LAYERS_JSON describes (nns.layers form), loads FILE into it with
//       load(path, into:), and prints the same JSON (tensors; no cases) on stdout.
//
// The lead will move these checks onto the nns CLI once it exists.
import NNEngine
import NNExport

#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    fputs("nns-io-check: \(message)\n", stderr)
    exit(1)
}

/// Shortest round-tripping digits, so Python reads back the exact Float.
func number(_ x: Float) -> JSONValue {
    x.isFinite ? .number(Double("\(x)")!) : .null
}

func matrix(_ t: Tensor) -> JSONValue {
    let columns = t.shape.last ?? 1
    return .array(stride(from: 0, to: t.count, by: max(columns, 1)).map { start in
        .array(t.scalars[start..<start + columns].map(number))
    })
}

func tensorsJSON(_ network: Network) -> JSONValue {
    .array(network.namedParameters.map { name, parameter in
        .object([
            ("name", .string(name)),
            ("dtype", .string(name.hasSuffix(".num_batches_tracked") ? "I64" : "F32")),
            ("shape", .array(parameter.value.shape.map { .integer($0) })),
            ("values", .array(parameter.value.scalars.map(number))),
        ])
    })
}

func randomMatrix(rows: Int, columns: Int, _ generator: inout Xoshiro256StarStar, scale: Double = 1) -> Tensor {
    Tensor(shape: [rows, columns], scalars: (0..<rows * columns).map { _ in Float(generator.uniform(in: -scale, scale)) })
}

func specNetwork() throws -> Network {
    try Network([
        Linear(inputs: 2, outputs: 2, weight: Tensor(rows: [[0.2, 0.4], [0.3, 0.1]]), bias: Tensor([0.1, 0.2])),
        Activation(.sigmoid),
        Linear(inputs: 2, outputs: 1, weight: Tensor(rows: [[0.6, 0.5]]), bias: Tensor([0.3])),
        Activation(.sigmoid),
    ])
}

/// 784-256-32-10 trained by plain SGD on a synthetic 10-class problem (class k lights up
/// pixel block k), so the weights are a trained network's, not an initialiser's.
func mnistShapedNetwork(_ generator: inout Xoshiro256StarStar) throws -> (Network, Tensor) {
    let net = try Network([Linear(inputs: 784, outputs: 256), Activation(.relu), Linear(inputs: 256, outputs: 32),
                           Activation(.relu), Linear(inputs: 32, outputs: 10), Softmax()])
    let batch = 32
    var losses: [Double] = []
    for _ in 0..<20 {
        var x = randomMatrix(rows: batch, columns: 784, &generator, scale: 0.1)
        var labels: [Float] = []
        for row in 0..<batch {
            let label = generator.integer(below: 10)
            labels.append(Float(label))
            for pixel in label * 78..<label * 78 + 78 { x[row, pixel] += 1 }
        }
        losses.append(try net.lossAndGradients(input: x, target: Tensor(labels), loss: .crossEntropy))
        for (_, parameter) in net.namedParameters where parameter.isTrainable {
            var value = parameter.value
            for i in 0..<value.count { value.scalars[i] -= 0.1 * parameter.grad.scalars[i] }
            parameter.value = value
        }
    }
    print("mnist-shaped network: cross-entropy \(losses.first!) on the first batch, \(losses.last!) on the last")
    return (net, randomMatrix(rows: 16, columns: 784, &generator))
}

/// Every layer kind; training passes move batchnorm's running statistics off their defaults.
func everyKindNetwork(_ generator: inout Xoshiro256StarStar) throws -> (Network, Tensor) {
    let net = try Network([
        Linear(inputs: 6, outputs: 8), BatchNorm(features: 8), Activation(.leakyRelu(alpha: 0.2)), Dropout(p: 0.3),
        Linear(inputs: 8, outputs: 8), Activation(.elu(alpha: 0.7)), Activation(.gelu), Activation(.tanh),
        Activation(.identity), Activation(SiLU.self), Activation(Softplus.self), Linear(inputs: 8, outputs: 5), Activation(.step), Linear(inputs: 5, outputs: 4),
        Activation(.sigmoid), Linear(inputs: 4, outputs: 3), Activation(.relu), Linear(inputs: 3, outputs: 3), Softmax(),
    ])
    for _ in 0..<3 { _ = try net.forward(randomMatrix(rows: 10, columns: 6, &generator, scale: 2), mode: .training) }
    return (net, randomMatrix(rows: 12, columns: 6, &generator, scale: 2))
}

func writeChecks(into dir: String) throws {
    var generator = Xoshiro256StarStar(seed: 2024)
    let spec = try specNetwork()
    let specInput = Tensor(rows: [[0.5, 0.8], [0, 0], [-1, 2]])
    let mnist = try mnistShapedNetwork(&generator)
    let kinds = try everyKindNetwork(&generator)
    for (name, network, input) in [("spec", spec, specInput), ("mnist", mnist.0, mnist.1), ("kinds", kinds.0, kinds.1)] {
        try NetworkArchive.save(network, to: "\(dir)/\(name).safetensors")
        try NetworkExport.export(network, to: "\(dir)/\(name).onnx")
        try NetworkExport.export(network, to: "\(dir)/\(name)_torch.py")
        let output = try network.forward(input)
        let json = JSONValue.object([
            ("network", .string(network.description)),
            ("tensors", tensorsJSON(network)),
            ("input", matrix(input)),
            ("output", matrix(output)),
        ])
        try AtomicFile.write(Array(json.serialized.utf8), to: "\(dir)/\(name).json")
        print("wrote \(dir)/\(name).{safetensors,onnx,json} and \(name)_torch.py")
    }
}

func loadInto(file: String, layers: String) throws {
    let net = try Network(LayerRegistry.decode(layers).map(LayerRegistry.make))
    try NetworkArchive.load(from: file, into: net)
    print(JSONValue.object([("network", .string(net.description)), ("tensors", tensorsJSON(net))]).serialized)
}

let arguments = CommandLine.arguments
do {
    switch arguments.dropFirst().first {
    case "write" where arguments.count == 3: try writeChecks(into: arguments[2])
    case "load-into" where arguments.count == 4: try loadInto(file: arguments[2], layers: arguments[3])
    default: fail("usage: nns-io-check write DIR | nns-io-check load-into FILE LAYERS_JSON")
    }
} catch let error as EngineError {
    fail(error.message + (error.hint.map { " (hint: \($0))" } ?? ""))
} catch {
    fail("\(error)")
}

import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import NNEngine
import TestFixtures

/// A network with every kind of layer and parameters set to distinct, non-round values.
func everyKindNetwork() throws -> Network {
    let net = try Network([
        Linear(inputs: 3, outputs: 4), BatchNorm(features: 4), Activation(.leakyRelu(alpha: 0.2)), Dropout(p: 0.25),
        Linear(inputs: 4, outputs: 5), Activation(.elu(alpha: 0.5)), Activation(.gelu), Activation(.tanh),
        Activation(.relu), Activation(.identity), Linear(inputs: 5, outputs: 3), Activation(.step), Activation(.sigmoid),
        Linear(inputs: 3, outputs: 2), Softmax(),
    ])
    var generator = Xoshiro256StarStar(seed: 7)
    for (name, parameter) in net.namedParameters {
        let shape = parameter.value.shape
        let count = shape.reduce(1, *)
        if name.hasSuffix("num_batches_tracked") { parameter.value = Tensor(scalar: 12); continue }
        let base: Float = name.hasSuffix("running_var") ? 1 : 0   // variances stay positive
        parameter.value = Tensor(shape: shape, scalars: (0..<count).map { _ in base + Float(generator.uniform(in: -1, 1)) })
    }
    return net
}

func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

@Suite struct NetworkArchiveTests {
    @Test func roundTripGivesIdenticalParametersAndOutputs() throws {
        let net = try everyKindNetwork()
        let path = try temporaryDirectory() + "/net.safetensors"
        try net.save(to: path)
        let back = try Network.load(from: path)
        #expect(back.description == net.description)
        #expect(back.namedParameters.map(\.name) == net.namedParameters.map(\.name))
        for (a, b) in zip(net.namedParameters, back.namedParameters) {
            #expect(a.parameter.value == b.parameter.value, "\(a.name)")
            #expect(a.parameter.isTrainable == b.parameter.isTrainable, "\(a.name)")
        }
        let x = Tensor(rows: [[0.5, -1, 2], [0.1, 0.2, -0.3], [3, 0, 1]])
        #expect(try back.forward(x) == net.forward(x))
    }

    @Test func savedFilesUsePyTorchNamesAndRecordTheArchitecture() throws {
        let net = try Network([Linear(inputs: 2, outputs: 3), BatchNorm(features: 3), Activation(.relu),
                               Dropout(p: 0.5), Linear(inputs: 3, outputs: 1)])
        let file = try SafeTensorsFile(bytes: NetworkArchive.file(for: net).encoded())
        let layout = file.header.entries.map { "\($0.name) \($0.dtype.rawValue) \($0.shape)" }
        #expect(layout == ["0.weight F32 [3, 2]", "0.bias F32 [3]", "1.weight F32 [3]", "1.bias F32 [3]",
                           "1.running_mean F32 [3]", "1.running_var F32 [3]", "1.num_batches_tracked I64 []",
                           "4.weight F32 [1, 3]", "4.bias F32 [1]"])
        #expect(file.header.metadataValue("nns.layers") ==
            #"[{"kind":"linear","in":2,"out":3},{"kind":"batchnorm","n":3,"eps":1e-05,"momentum":0.1},"#
            + #"{"kind":"relu"},{"kind":"dropout","p":0.5},{"kind":"linear","in":3,"out":1}]"#)
        #expect(file.header.metadataValue("nns.network") == net.description)
        #expect(file.header.metadataValue("format") == "pt")
    }

    @Test func loadedSpecExampleComputesTheHandWorkedOutput() throws {
        let path = try temporaryDirectory() + "/spec.safetensors"
        try HandworkedExample.network().save(to: path)
        let net = try Network.load(from: path)
        // z¹ = [0.52, 0.43], a¹ = σ(z¹), z² = 0.6·a¹₁ + 0.5·a¹₂ + 0.3, ŷ = σ(z²) ≈ 0.727.
        let expected = sigmoid(0.6 * sigmoid(0.52) + 0.5 * sigmoid(0.43) + 0.3)
        let y = try net.forward(Tensor([0.5, 0.8]))
        #expect(abs(Double(y.scalars[0]) - expected) < 1e-6)
        #expect(abs(expected - 0.727) < 5e-4)
    }

    @Test func loadsAPyTorchStyleFileIntoANetwork() throws {
        // What save_file(model.state_dict()) writes for Linear(2, 2) |> BatchNorm1d(2): sorted
        // keys, data in another order, an I64 counter, no nns metadata.
        func torchFile(extra: String = "") -> [UInt8] {
            let json = #"{"__metadata__":{"format":"pt"},"0.bias":{"dtype":"F32","shape":[2],"data_offsets":[16,24]},"#
                + #""0.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"#
                + #""1.bias":{"dtype":"F32","shape":[2],"data_offsets":[24,32]},"1.num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":[56,64]},"#
                + #""1.running_mean":{"dtype":"F32","shape":[2],"data_offsets":[32,40]},"1.running_var":{"dtype":"F32","shape":[2],"data_offsets":[40,48]},"#
                + #""1.weight":{"dtype":"F32","shape":[2],"data_offsets":[48,56]}"# + extra + "}"
            let floats: [Float] = [1, 2, 3, 4, 0.5, -0.5, 0.25, 0.75, 0.1, 0.2, 4, 9, 2, 3]
            let data = floats.flatMap { x in withUnsafeBytes(of: x.bitPattern.littleEndian) { Array($0) } }
            return handMadeSafeTensors(json, data: data + [5, 0, 0, 0, 0, 0, 0, 0])
        }
        let dir = try temporaryDirectory()
        try AtomicFile.write(torchFile(), to: dir + "/torch.safetensors")
        try AtomicFile.write(torchFile(extra: #","pad":{"dtype":"F32","shape":[0],"data_offsets":[64,64]}"#), to: dir + "/extra.safetensors")

        // Without into: the file says nothing of its architecture.
        do {
            _ = try Network.load(from: dir + "/torch.safetensors")
            Issue.record("rebuilt a network from a file without nns metadata")
        } catch let error as EngineError {
            #expect(error.message.contains("no nns.layers metadata"))
            #expect(error.hint?.contains("into: net") == true)
        }

        let net = try Network([Linear(inputs: 2, outputs: 2), BatchNorm(features: 2)])
        // The stray "pad" tensor has no place in the network: rejected, and nothing changes.
        let before = net.namedParameters.map(\.parameter.value)
        do {
            try net.loadTensors(from: dir + "/extra.safetensors")
            Issue.record("accepted an unexpected tensor")
        } catch let error as EngineError {
            #expect(error.message.contains("\"pad\""))
        }
        #expect(net.namedParameters.map(\.parameter.value) == before)

        try net.loadTensors(from: dir + "/torch.safetensors")
        let loaded = Dictionary(uniqueKeysWithValues: net.namedParameters.map { ($0.name, $0.parameter.value.scalars) })
        #expect(loaded["0.weight"] == [1, 2, 3, 4])
        #expect(loaded["0.bias"] == [0.5, -0.5])
        #expect(loaded["1.bias"] == [0.25, 0.75])
        #expect(loaded["1.running_mean"] == [0.1, 0.2])
        #expect(loaded["1.running_var"] == [4, 9])
        #expect(loaded["1.weight"] == [2, 3])
        #expect(loaded["1.num_batches_tracked"] == [5])
        // Inference: y = γ·(W·x + b − μ)/√(σ² + ε) + β; for x = [1, 0], W·x + b = [1.5, 2.5].
        let y = try net.forward(Tensor([1, 0]))
        #expect(abs(Double(y.scalars[0]) - (2 * (1.5 - 0.1) / (4 + 1e-5).squareRoot() + 0.25)) < 1e-5)
        #expect(abs(Double(y.scalars[1]) - (3 * (2.5 - 0.2) / (9 + 1e-5).squareRoot() + 0.75)) < 1e-5)
    }

    @Test func loadIntoCopiesEveryTensor() throws {
        let json = #"{"0.bias":{"dtype":"F32","shape":[2],"data_offsets":[16,24]},"0.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"#
            + #""2.weight":{"dtype":"F64","shape":[1,2],"data_offsets":[24,40]},"2.bias":{"dtype":"F32","shape":[1],"data_offsets":[40,44]}}"#
        func f32(_ xs: [Float]) -> [UInt8] { xs.flatMap { x in withUnsafeBytes(of: x.bitPattern.littleEndian) { Array($0) } } }
        func f64(_ xs: [Double]) -> [UInt8] { xs.flatMap { x in withUnsafeBytes(of: x.bitPattern.littleEndian) { Array($0) } } }
        let data = f32([0.2, 0.4, 0.3, 0.1, 0.1, 0.2]) + f64([0.6, 0.5]) + f32([0.3])
        let path = try temporaryDirectory() + "/torch.safetensors"
        try AtomicFile.write(handMadeSafeTensors(json, data: data), to: path)
        let net = try Network([Linear(inputs: 2, outputs: 2), Activation(.sigmoid), Linear(inputs: 2, outputs: 1), Activation(.sigmoid)])
        try net.loadTensors(from: path)
        let expected = sigmoid(0.6 * sigmoid(0.52) + 0.5 * sigmoid(0.43) + 0.3)
        #expect(abs(Double(try net.forward(Tensor([0.5, 0.8])).scalars[0]) - expected) < 1e-6)
    }

    @Test func loadIntoNamesTheFirstMismatch() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/small.safetensors"
        try Network([Linear(inputs: 2, outputs: 3), Activation(.relu), Linear(inputs: 3, outputs: 1)]).save(to: path)

        func failure(_ net: Network) -> EngineError? {
            do { try net.loadTensors(from: path); return nil } catch { return error as? EngineError }
        }
        let wrongShape = try Network([Linear(inputs: 4, outputs: 3), Activation(.relu), Linear(inputs: 3, outputs: 1)])
        let shapeError = failure(wrongShape)
        #expect(shapeError?.message == "tensor \"0.weight\" in \(path) has shape [3, 2], but layer 1 (linear(4, 3)) needs [3, 4]")

        let moreLayers = try Network([Linear(inputs: 2, outputs: 3), Activation(.relu), Linear(inputs: 3, outputs: 1),
                                      Linear(inputs: 1, outputs: 1)])
        #expect(failure(moreLayers)?.message == "\(path) has no tensor \"3.weight\" for layer 4 (linear(1, 1))")

        let fewerLayers = try Network([Linear(inputs: 2, outputs: 3)])
        #expect(failure(fewerLayers)?.message.contains("\"2.weight\" that the network") == true)
    }

    @Test func damagedArchitecturesAreErrors() throws {
        let dir = try temporaryDirectory()
        let cases: [(String, String)] = [
            ("not json", "not valid JSON"),
            (#"{"kind":"relu"}"#, "not a non-empty list"),
            (#"[{"kind":"warp"}]"#, "unknown kind \"warp\""),
            (#"[{"kind":"linear","in":2}]"#, "positive integer \"out\""),
            (#"[{"kind":"dropout","p":1.5}]"#, "probability"),
        ]
        for (index, (layers, fragment)) in cases.enumerated() {
            let file = try SafeTensorsFile(tensors: [], metadata: [(key: "nns.layers", value: layers)])
            let path = dir + "/bad\(index).safetensors"
            try file.write(to: path)
            do {
                _ = try Network.load(from: path)
                Issue.record("loaded damaged architecture \(layers)")
            } catch let error as EngineError {
                #expect(error.message.contains(fragment), "\(error.message)")
            }
        }
        // Tensors that fit each layer, layers that do not fit each other.
        let inconsistent = try SafeTensorsFile(
            tensors: [(name: "0.weight", tensor: Tensor(zeros: [3, 2])), (name: "0.bias", tensor: Tensor(zeros: [3])),
                      (name: "1.weight", tensor: Tensor(zeros: [1, 4])), (name: "1.bias", tensor: Tensor(zeros: [1]))],
            metadata: [(key: "nns.layers", value: #"[{"kind":"linear","in":2,"out":3},{"kind":"linear","in":4,"out":1}]"#)])
        try inconsistent.write(to: dir + "/inconsistent.safetensors")
        #expect(throws: EngineError.self) { try Network.load(from: dir + "/inconsistent.safetensors") }
        do { _ = try Network.load(from: dir + "/inconsistent.safetensors") } catch let error as EngineError {
            #expect(error.message.contains("inconsistent: layer 2 expects 4 inputs but layer 1 gives 3"), "\(error.message)")
        }
        // Architecture and tensors disagree: the file says linear(2, 2) but holds a [3, 2] weight.
        let mismatched = try SafeTensorsFile(
            tensors: [(name: "0.weight", tensor: Tensor(zeros: [3, 2])), (name: "0.bias", tensor: Tensor(zeros: [2]))],
            metadata: [(key: "nns.layers", value: #"[{"kind":"linear","in":2,"out":2}]"#)])
        try mismatched.write(to: dir + "/mismatch.safetensors")
        do {
            _ = try Network.load(from: dir + "/mismatch.safetensors")
            Issue.record("loaded tensors that contradict the architecture")
        } catch let error as EngineError {
            #expect(error.message.contains("\"0.weight\"") && error.message.contains("[3, 2]") && error.message.contains("says [2, 2]"))
        }
        // A huge layer in the metadata with no tensors behind it is refused before anything is built.
        let huge = try SafeTensorsFile(tensors: [], metadata: [(key: "nns.layers", value: #"[{"kind":"linear","in":16000000,"out":16}]"#)])
        try huge.write(to: dir + "/huge.safetensors")
        #expect(throws: EngineError.self) { try Network.load(from: dir + "/huge.safetensors") }
    }

    @Test func aFailedSaveLeavesTheEarlierFileIntact() throws {
        let path = try temporaryDirectory() + "/net.safetensors"
        try HandworkedExample.network().save(to: path)
        let before = try fileBytes(path)
        let halfway = failingIO(write: { descriptor, bytes, count in
            var info = stat()
            fstat(descriptor, &info)
            if info.st_size > 0 { errno = EIO; return -1 }
            return Glibc.write(descriptor, bytes, max(1, count / 2))
        })
        #expect(throws: EngineError.self) { try NetworkArchive.save(everyKindNetwork(), to: path, using: halfway) }
        #expect(try fileBytes(path) == before)
        #expect(try Network.load(from: path).description == HandworkedExample.network().description)
    }
}

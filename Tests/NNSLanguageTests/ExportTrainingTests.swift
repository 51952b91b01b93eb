import Foundation
import Testing
import NNEngine
@testable import NNSLanguage

/// export_training (SPEC §16): what the run directory holds, the options carried over, and
/// the refusals. Running the script itself is tools/ci/cluster.sh's job.
@Suite struct ExportTrainingTests {
    /// A fresh temporary directory, removed by the caller's `defer`.
    private func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-cluster-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    private func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func inMemoryDataIsWrittenBesideTheScript() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = dir + "/run"
        let text = try evalText("""
        data = dataset([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])
        net = linear(2, 3) |> tanh |> linear(3, 2) |> softmax
        export_training(net, data, "\(run)/", optimizer: sgd(lr: step_decay(0.5, 0.1, 3), momentum: 0.9, nesterov: true), epochs: 7, batch: 2, shuffle: false, seed: 5, l1: 0.25, clip: 2, early_stop: 3)
        """)
        #expect(text == "[\"\(run)/train.py\", \"\(run)/init.safetensors\", \"\(run)/README.md\", \"\(run)/data.safetensors\"]")
        let script = try read(run + "/train.py")
        for line in ["EPOCHS = 7", "BATCH = 2", "SHUFFLE = False", "SEED = 5", "LOSS = \"cross_entropy\"",
                     "L1 = 0.25", "L2 = 0.0", "CLIP = 2.0", "EARLY_STOP = 3", "ONE_HOT = None",
                     "ACCURACY = \"argmax_label\"", "DATA = {\"kind\": \"safetensors\", \"file\": \"data.safetensors\"}",
                     "        nn.Linear(2, 3),\n        nn.Tanh(),\n        nn.Linear(3, 2),\n        nn.Softmax(dim=-1),\n",
                     "    return 0.5 * 0.1 ** (epoch // 3)",
                     "torch.optim.SGD(parameters, lr=learning_rate(0), momentum=0.9, nesterov=True, weight_decay=0.0)",
                     "    return F.cross_entropy(last_input, y)"] {
            #expect(script.contains(line), "train.py lacks \(line)")
        }
        #expect(!script.contains("@@"))
        // x and y as given: four rows of two features, labels as int64.
        let file = try SafeTensorsFile.read(path: run + "/data.safetensors")
        #expect(try file.tensor(named: "x").scalars == [0, 0, 0, 1, 1, 0, 1, 1])
        let y = try #require(file.header.entry(named: "y"))
        #expect(y.dtype == .I64 && y.shape == [4])
        #expect(Array(file.bytes(of: y)) == [0, 1, 1, 0].flatMap { [UInt8($0), 0, 0, 0, 0, 0, 0, 0] })
        // init.safetensors is the network, as save writes it: load() rebuilds it.
        #expect(try evalText("[str(load(\"\(run)/init.safetensors\"))]") == "[\"linear(2, 3) |> tanh |> linear(3, 2) |> softmax\"]")
        #expect(try read(run + "/README.md").contains("torchrun --standalone --nproc_per_node=N train.py"))
    }

    @Test func filesAreReferencedByPathWithTheirTargetColumn() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "x1,kind,x2\n1,cat,2\n3,dog,4\n5,cat,6\n7,dog,8\n".write(toFile: dir + "/d.csv", atomically: true, encoding: .utf8)
        _ = try runNNS("""
        data = csv("\(dir)/d.csv", target: "kind")
        net = linear(2, 2) |> sigmoid
        export_training(net, data, "\(dir)/a", loss: mse, optimizer: adam(lr: cosine(0.01, 4), beta2: 0.99, weight_decay: 0.001), epochs: 4, batch: 2, validation: split(data, 0.5, seed: 1)[0])
        export_training(linear(2, 1) |> sigmoid, csv("\(dir)/d.csv", target: 1), "\(dir)/b", loss: bce, optimizer: rmsprop(lr: 0.01, rho: 0.8), batch: 4)
        export_training(linear(2, 2), data, "\(dir)/c", loss: bce, optimizer: adagrad(lr: exp_decay(0.1, 0.5)), batch: 4)
        """)
        let a = try read(dir + "/a/train.py")
        #expect(a.contains("DATA = {\"kind\": \"csv\", \"path\": \"\(dir)/d.csv\", \"target\": \"kind\", \"header\": True}"))
        // A split is no longer the file: it is written out.
        #expect(a.contains("VALIDATION = {\"kind\": \"safetensors\", \"file\": \"validation.safetensors\"}"))
        #expect(FileManager.default.fileExists(atPath: dir + "/a/validation.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/a/data.safetensors"))
        #expect(a.contains("ONE_HOT = 2") && a.contains("LOSS = \"mse\"") && a.contains("ACCURACY = \"argmax_row\""))
        #expect(a.contains("    return 0.5 * (output - y).pow(2).sum() / len(output)"))
        #expect(a.contains("    return 0.01 * 0.5 * (1 + math.cos(math.pi * epoch / 4)) if epoch < 4 else 0.0"))
        #expect(a.contains("torch.optim.Adam(parameters, lr=learning_rate(0), betas=(0.9, 0.99), eps=1e-08, weight_decay=0.001)"))
        let b = try read(dir + "/b/train.py")
        #expect(b.contains("\"target\": 1,") && b.contains("ACCURACY = \"threshold_label\""))
        #expect(b.contains("torch.optim.RMSprop(parameters, lr=learning_rate(0), alpha=0.8, eps=1e-08, weight_decay=0.0)"))
        #expect(b.contains("    return F.binary_cross_entropy_with_logits(last_input, y)"))
        let c = try read(dir + "/c/train.py")
        #expect(c.contains("    return 0.1 * math.exp(-0.5 * epoch)"))
        #expect(c.contains("torch.optim.Adagrad(parameters, lr=learning_rate(0), eps=1e-10, weight_decay=0.0)"))
        #expect(c.contains("p = output + (output.clamp(1e-7, 1 - 1e-7) - output).detach()"))
    }

    @Test func optionsWithoutAFaithfulEquivalentAreLocatedErrors() {
        let setup = "data = dataset([[0, 0], [1, 1]], [0, 1])\nnet = linear(2, 2) |> softmax\n"
        let perceptron = errorText(setup + "export_training(net, data, \"r\", rule: \"perceptron\")")
        #expect(perceptron.contains("<test>:3:") && perceptron.contains("has no PyTorch equivalent"))
        let callback = errorText(setup + "export_training(net, data, \"r\", on_epoch: fn(row) => row)")
        #expect(callback.contains("an nns function cannot run inside the PyTorch script"))
        let split = errorText(setup + "export_training(net, data, \"r\", batch: 32, processes: 3)")
        #expect(split.contains("the batch of 32 does not split evenly over 3 processes"))
        let step = errorText("export_training(linear(2, 1) |> step, dataset([[0, 0], [1, 1]], [0, 1]), \"r\")")
        #expect(step.contains("layer 2 is step"))
        // What train refuses, export_training refuses with train's words.
        #expect(errorText(setup + "export_training(net, data, \"r\", clip: -1)").contains("clip must be a positive number"))
        #expect(errorText("export_training(linear(3, 2), dataset([[0, 0], [1, 1]], [0, 1]), \"r\")")
            .contains("the network expects 3 inputs"))
    }

    @Test func hostileTargetsAreRefused() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let export = "export_training(linear(2, 2) |> softmax, dataset([[0, 0], [1, 1]], [0, 1]), "
        try "keep".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        #expect(errorText(export + "\"\(dir)/file\")").contains("is a file, not a directory"))
        #expect(mkfifo(dir + "/fifo", 0o644) == 0)
        #expect(errorText(export + "\"\(dir)/fifo\")").contains("is a FIFO, not a directory"))
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/real")
        #expect(errorText(export + "\"\(dir)/link/\")").contains("is a symbolic link"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/real").isEmpty)

        // A directory of someone else's files, even one whose train.py is a FIFO, is refused
        // (without blocking on the FIFO) unless overwrite: true.
        try FileManager.default.createDirectory(atPath: dir + "/busy", withIntermediateDirectories: true)
        #expect(mkfifo(dir + "/busy/train.py", 0o644) == 0)
        #expect(errorText(export + "\"\(dir)/busy\")").contains("is not empty and holds no earlier export_training run"))
        try FileManager.default.removeItem(atPath: dir + "/busy/train.py")
        try "notes".write(toFile: dir + "/busy/notes.txt", atomically: true, encoding: .utf8)
        #expect(errorText(export + "\"\(dir)/busy\")").contains("overwrite: true"))
        _ = try runNNS(export + "\"\(dir)/busy\", overwrite: true)")
        #expect(try read(dir + "/busy/notes.txt") == "notes")
        // An earlier export may be written again without overwrite:.
        _ = try runNNS(export + "\"\(dir)/busy\", epochs: 3)")
        #expect(try read(dir + "/busy/train.py").contains("EPOCHS = 3"))
        #expect(file(dir + "/file") == "keep")
    }

    private func file(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
}

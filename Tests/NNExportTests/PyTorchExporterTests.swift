import Foundation
import Testing
import NNEngine
@testable import NNExport
import TestFixtures

@Suite struct PyTorchExporterTests {
    @Test func specExampleScript() throws {
        let source = try PyTorchExporter.source(for: HandworkedExample.network(), weightsFile: "model.safetensors")
        #expect(source == """
            # A PyTorch version of the nns network
            #     linear(2, 2) |> sigmoid |> linear(2, 1) |> sigmoid
            # written by nns export(); its weights are in model.safetensors beside this file.
            from pathlib import Path

            import torch
            from torch import nn
            from safetensors.torch import load_file

            model = nn.Sequential(
                nn.Linear(2, 2),
                nn.Sigmoid(),
                nn.Linear(2, 1),
                nn.Sigmoid(),
            )
            model.load_state_dict(load_file(Path(__file__).with_name("model.safetensors")))
            model.eval()  # inference: dropout off, batchnorm on its running statistics

            if __name__ == "__main__":
                x = torch.zeros(1, 2)
                print(model(x))

            """)
    }

    @Test func everyLayerKindHasItsModule() throws {
        let net = try Network([
            Linear(inputs: 3, outputs: 4), BatchNorm(features: 4), Activation(.leakyRelu(alpha: 0.2)), Dropout(p: 0.5),
            Activation(.elu(alpha: 1)), Activation(.gelu), Activation(.tanh), Activation(.relu), Activation(.identity),
            Activation(.step), Softmax(),
        ])
        let source = try PyTorchExporter.source(for: net, weightsFile: "w.safetensors")
        let modules = source.split(separator: "\n").filter { $0.hasPrefix("    ") && $0.hasSuffix(",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(modules == [
            "nn.Linear(3, 4),", "nn.BatchNorm1d(4, eps=1e-05, momentum=0.1),", "nn.LeakyReLU(negative_slope=0.2),",
            "nn.Dropout(p=0.5),", "nn.ELU(alpha=1.0),", "nn.GELU(),", "nn.Tanh(),", "nn.ReLU(),", "nn.Identity(),",
            "Step(),", "nn.Softmax(dim=-1),",
        ])
        #expect(source.contains("class Step(nn.Module):"))
        #expect(source.contains("return (x >= 0).to(x.dtype)"))
    }

    @Test func exportWritesScriptAndWeightsBesideIt() throws {
        let dir = NSTemporaryDirectory() + "nns-export-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let written = try NetworkExport.export(HandworkedExample.network(), to: dir + "/model.py")
        #expect(written == [dir + "/model.safetensors", dir + "/model.py"])
        let loaded = try Network.load(from: dir + "/model.safetensors")
        #expect(loaded.namedParameters.map(\.parameter.value) == (try HandworkedExample.network()).namedParameters.map(\.parameter.value))
        let script = try String(contentsOfFile: dir + "/model.py", encoding: .utf8)
        #expect(script.contains("with_name(\"model.safetensors\")"))
        #expect(throws: EngineError.self) { try PyTorchExporter.export(HandworkedExample.network(), to: dir + "/model") }
    }
}

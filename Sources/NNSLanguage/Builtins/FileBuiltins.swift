import NNEngine
import NNExport

/// save, load, export (docs/language.md, "Plots and files"): safetensors with PyTorch names and the architecture in the
/// metadata, ONNX and PyTorch scripts, through the engine's archive and exporters.
enum FileBuiltins {
    static let list: [Builtin] = [
        Builtin("save", family: "files", [.required("net"), .required("path")],
                help: "write a network's weights (PyTorch state_dict names) and architecture to a .safetensors file, atomically") { args in
            let network = try args.network("net")
            let path = try args.string("path")
            // Weights written under a script's name would later be run as a script by `:load`.
            if path.lowercased().hasSuffix(".nns") {
                throw BuiltinError("save: \(path) would be safetensors data under a script's extension (.nns)",
                                   hint: "save weights to a .safetensors file, e.g. save(net, \"net.safetensors\")", argument: "path")
            }
            try NetworkArchive.save(network, to: try args.interpreter.filePath(path))
            return .none
        },
        Builtin("load", family: "files", [.required("path"), .optional("into")],
                help: "rebuild a network saved with save(); with into: net, copy any safetensors file's tensors into net (names and shapes must match)") { args in
            let path = try args.interpreter.filePath(try args.string("path"))
            if args["into"].isNone {
                return .network(try NetworkArchive.load(from: path))
            }
            let network = try args.network("into")
            try NetworkArchive.load(from: path, into: network)
            return args["into"]
        },
        Builtin("export", family: "files", [.required("net"), .required("path")],
                help: "write a network as ONNX (model.onnx) or as a PyTorch nn.Sequential script (model.py, with its .safetensors)") { args in
            let network = try args.network("net")
            let written = try NetworkExport.export(network, to: try args.interpreter.filePath(try args.string("path")))
            return .list(written.map { Value.string($0) })
        },
    ]
}

import Foundation
import TestSupport
import Testing

@testable import Tensor

/// Runs `python3` with `script` and returns its exit status and output.
func runPython(_ script: String, arguments: [String] = []) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do {
        try process.run()
    } catch {
        return (-1, "\(error)")
    }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
}

/// Whether python3 can import safetensors and numpy (install with `pip install safetensors numpy`).
let pythonSafetensorsAvailable: Bool = {
    let available = runPython("import safetensors.numpy, numpy").status == 0
    if !available {
        print("SafetensorsInteropTests skipped: python3 cannot import safetensors and numpy (pip install safetensors numpy)")
    }
    return available
}()

/// Files written here load in Python's reference `safetensors`, and files it writes load here.
@Suite(.enabled(if: pythonSafetensorsAvailable, "python3 with safetensors and numpy is not installed: pip install safetensors numpy"))
struct SafetensorsInteropTests {
    @Test func pythonReadsOurFile() throws {
        let url = TestScratch.url("swift-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let file = SafetensorsFile(
            tensors: [
                "weight_ih_l0": Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, -6.5]),
                "bias": Tensor(shape: [4], scalars: [0.125, -1, 1e-7, 3e9]),
            ],
            metadata: ["config": #"{"hidden": 400}"#, "note": "Beyoncé"])
        try file.write(to: url)
        let script = """
            import sys, json, numpy as np
            from safetensors import safe_open
            from safetensors.numpy import load_file
            t = load_file(sys.argv[1])
            assert t["weight_ih_l0"].dtype == np.float32 and t["weight_ih_l0"].shape == (2, 3)
            assert np.array_equal(t["weight_ih_l0"], np.array([[1, 2, 3], [4, 5, -6.5]], dtype=np.float32))
            assert np.array_equal(t["bias"], np.array([0.125, -1, 1e-7, 3e9], dtype=np.float32))
            with safe_open(sys.argv[1], framework="numpy") as f:
                m = f.metadata()
            assert json.loads(m["config"]) == {"hidden": 400} and m["note"] == "Beyoncé", m
            print("ok")
            """
        let result = runPython(script, arguments: [url.path])
        #expect(result.status == 0 && result.output.contains("ok"), "\(result.output)")
    }

    @Test func weReadPythonsFile() throws {
        let url = TestScratch.url("python-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let script = """
            import sys, numpy as np
            from safetensors.numpy import save_file
            save_file({
                "emb": np.arange(12, dtype=np.float32).reshape(3, 4) / 8,
                "half": np.array([1.5, -2], dtype=np.float16),
                "double": np.array([[0.25]], dtype=np.float64),
                "ids": np.array([7, -3], dtype=np.int64),
            }, sys.argv[1], metadata={"format": "np", "epochs": "3"})
            """
        let result = runPython(script, arguments: [url.path])
        try #require(result.status == 0, "\(result.output)")
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.metadata == ["format": "np", "epochs": "3"])
        #expect(file.tensors["emb"] == Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) / 8 }))
        #expect(file.tensors["half"] == Tensor(shape: [2], scalars: [1.5, -2]))
        #expect(file.tensors["double"] == Tensor(shape: [1, 1], scalars: [0.25]))
        #expect(file.tensors["ids"] == Tensor(shape: [2], scalars: [7, -3]))
    }

    /// PyTorch's nn.LSTM / nn.GRU equations (batch_first) in numpy, run on our saved weights.
    static let referenceRecurrent = """
        import sys, numpy as np
        from safetensors.numpy import load_file
        t = load_file(sys.argv[1])
        sig = lambda v: 1 / (1 + np.exp(-v))
        x = t["input"].astype(np.float64)
        B, T, _ = x.shape
        def lstm(x, p):
            H = p["weight_hh_l0"].shape[1]
            h = np.zeros((B, H)); c = np.zeros((B, H)); out = []
            for s in range(T):
                a = x[:, s] @ p["weight_ih_l0"].T + p["bias_ih_l0"] + h @ p["weight_hh_l0"].T + p["bias_hh_l0"]
                i, f, g, o = sig(a[:, :H]), sig(a[:, H:2*H]), np.tanh(a[:, 2*H:3*H]), sig(a[:, 3*H:])
                c = f * c + i * g; h = o * np.tanh(c); out.append(h)
            return np.stack(out, 1)
        def gru(x, p):
            H = p["weight_hh_l0"].shape[1]
            h = np.zeros((B, H)); out = []
            for s in range(T):
                gi = x[:, s] @ p["weight_ih_l0"].T + p["bias_ih_l0"]
                gh = h @ p["weight_hh_l0"].T + p["bias_hh_l0"]
                r = sig(gi[:, :H] + gh[:, :H]); z = sig(gi[:, H:2*H] + gh[:, H:2*H])
                n = np.tanh(gi[:, 2*H:] + r * gh[:, 2*H:])
                h = (1 - z) * n + z * h; out.append(h)
            return np.stack(out, 1)
        kind = sys.argv[2]
        params = {k[len(kind) + 1:]: v.astype(np.float64) for k, v in t.items() if k.startswith(kind + ".")}
        expected = lstm(x, params) if kind == "lstm" else gru(x, params)
        error = np.abs(expected - t[kind + "_output"]).max()
        assert error < 1e-5, error
        print("ok", error)
        """

    @Test(arguments: ["lstm", "gru"])
    func pytorchEquationsReproduceOurRecurrentOutputs(kind: String) throws {
        let url = TestScratch.url("rnn-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var random = SeededRandom(seed: 8)
        let input = Tensor.uniform([2, 5, 3], low: -1, high: 1, using: &random)
        let tape = Tape(isTraining: false)
        let layer: any Layer
        let output: Tensor
        if kind == "lstm" {
            let lstm = LSTM(inputSize: 3, hiddenSize: 4, random: &random)
            (layer, output) = (lstm, lstm(tape.constant(input)).output.value)
        } else {
            let gru = GRU(inputSize: 3, hiddenSize: 4, random: &random)
            (layer, output) = (gru, gru(tape.constant(input)).output.value)
        }
        var tensors = ["input": input, "\(kind)_output": output]
        for (name, parameter) in layer.namedParameters(prefix: kind) { tensors[name] = parameter.value }
        try SafetensorsFile(tensors: tensors).write(to: url)
        let result = runPython(Self.referenceRecurrent, arguments: [url.path, kind])
        #expect(result.status == 0 && result.output.hasPrefix("ok"), "\(result.output)")
    }
}

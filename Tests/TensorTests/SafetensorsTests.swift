import Foundation
import TestSupport
import Testing

@testable import Tensor

@Suite struct SafetensorsTests {
    let sample = SafetensorsFile(
        tensors: [
            "weight": Tensor(shape: [2, 3], scalars: [1, -2.5, 3e-8, 4e20, 0, -0]),
            "bias": Tensor(shape: [3], scalars: [0.1, 0.2, 0.3]),
            "scalar": Tensor(7),
            "empty": Tensor.zeros([0, 4]),
        ],
        metadata: ["config": #"{"hidden": 400, "name": "cosernn \"v1\"\n"}"#, "unicode": "Beyoncé ♫"])

    func temporaryDirectory() throws -> URL {
        let url = TestScratch.url("tensor-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func roundTripInMemory() throws {
        let bytes = try sample.encoded()
        #expect(try SafetensorsFile(bytes: bytes) == sample)
        // Header length is a multiple of 8, so data is aligned.
        #expect(bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) } % 8 == 0)
    }

    @Test func roundTripOnDiskIsAtomic() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        try sample.write(to: url)
        try sample.write(to: url)  // Overwrites in place.
        #expect(try SafetensorsFile(contentsOf: url) == sample)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
    }

    @Test func refusesToWriteNonFiniteTensorsAndKeepsTheOldFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        try sample.write(to: url)
        let bad = SafetensorsFile(tensors: ["w": Tensor(shape: [2], scalars: [1, .nan])])
        #expect(throws: SafetensorsError.nonFiniteTensor(name: "w")) { try bad.write(to: url) }
        #expect(try SafetensorsFile(contentsOf: url) == sample)
    }

    @Test func everyTruncationGivesAClearError() throws {
        let bytes = try sample.encoded()
        for length in 0..<bytes.count {
            do {
                _ = try SafetensorsFile(bytes: bytes.prefix(length))
                Issue.record("a file truncated to \(length) of \(bytes.count) bytes was accepted")
            } catch let error as SafetensorsError {
                #expect(!error.description.isEmpty)
            }
        }
        let error = #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: bytes.dropLast(4)) }
        #expect(error?.description.contains("truncated") == true)
    }

    @Test func corruptHeadersGiveClearErrors() throws {
        func file(_ header: String, data: [UInt8] = []) -> Data {
            var bytes = Data()
            withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: Array(header.utf8))
            bytes.append(contentsOf: data)
            return bytes
        }
        let cases: [(Data, String)] = [
            (Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7B]), "header length"),
            (file("{not json"), "not valid JSON"),
            (file("[1, 2]"), "not a JSON object"),
            (file(#"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, data: [0, 0, 0, 0]), "ends at byte 8"),
            (file(#"{"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#, data: Array(repeating: 0, count: 8)), "8 bytes for 3"),
            (file(#"{"w": {"dtype": "C64", "shape": [1], "data_offsets": [0, 8]}}"#, data: Array(repeating: 0, count: 8)), "dtype C64"),
            (file(#"{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#), "shape"),
            (file(#"{"w": {"shape": [1], "data_offsets": [0, 4]}}"#), "missing dtype"),
            (file(#"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}"#, data: Array(repeating: 0, count: 8)), "expected 0"),
            (file(#"{"__metadata__": {"epoch": 3}}"#), "not a string"),
            (file(#"{}"#, data: [1, 2, 3, 4]), "data section has 4 bytes"),
        ]
        for (bytes, expected) in cases {
            let error = #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: bytes) }
            #expect(error?.description.contains(expected) == true, "\(String(describing: error)) should mention \(expected)")
        }
        let missing = #expect(throws: SafetensorsError.self) {
            try SafetensorsFile(contentsOf: URL(fileURLWithPath: "/nonexistent/model.safetensors"))
        }
        #expect(missing?.description.hasPrefix("/nonexistent/model.safetensors") == true)
    }

    @Test func randomByteFlipsNeverCrash() throws {
        let bytes = try sample.encoded()
        var random = SeededRandom(seed: 5)
        for _ in 0..<300 {
            var corrupt = bytes
            let index = Int(random.next() % UInt64(min(bytes.count, 200)))
            corrupt[index] = UInt8(truncatingIfNeeded: random.next())
            _ = try? SafetensorsFile(bytes: corrupt)
        }
    }

    @Test func readsOtherDTypes() throws {
        // F16 1.5, BF16 -2.0, F64 0.25, I64 -3, U8 200, laid out by hand.
        let header =
            #"{"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[2,4]},"c":{"dtype":"F64","shape":[1],"data_offsets":[4,12]},"d":{"dtype":"I64","shape":[1],"data_offsets":[12,20]},"e":{"dtype":"U8","shape":[1],"data_offsets":[20,21]}}"#
        var bytes = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array(header.utf8))
        bytes.append(contentsOf: [0x00, 0x3E, 0x00, 0xC0])
        withUnsafeBytes(of: Double(0.25).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: Int64(-3).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(200)
        let file = try SafetensorsFile(bytes: bytes)
        #expect(file.tensors["a"]?.scalars == [1.5])
        #expect(file.tensors["b"]?.scalars == [-2])
        #expect(file.tensors["c"]?.scalars == [0.25])
        #expect(file.tensors["d"]?.scalars == [-3])
        #expect(file.tensors["e"]?.scalars == [200])
        #expect(halfToFloat(0x0001) == 0x1p-24 && halfToFloat(0x7C00) == .infinity && halfToFloat(0xC000) == -2)
    }

    @Test func layerCheckpointRoundTripWithMetadata() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("lstm.safetensors")
        var random = SeededRandom(seed: 1)
        let saved = LSTM(inputSize: 3, hiddenSize: 4, layerCount: 2, random: &random)
        try saved.saveCheckpoint(to: url, metadata: ["hidden": "4"])
        let loaded = LSTM(inputSize: 3, hiddenSize: 4, layerCount: 2, random: &random)
        #expect(loaded.stateDictionary() != saved.stateDictionary())
        #expect(try loaded.loadCheckpoint(from: url) == ["hidden": "4"])
        #expect(loaded.stateDictionary() == saved.stateDictionary())
        let wrong = LSTM(inputSize: 5, hiddenSize: 4, random: &random)
        let error = #expect(throws: LayerError.self) { try wrong.loadCheckpoint(from: url) }
        #expect(error?.description == "tensor 'weight_ih_l0' has shape [16, 3] but the model expects [16, 5]")
    }
}

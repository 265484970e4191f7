import Foundation

/// Tensors and string metadata in the safetensors format (Hugging Face), as PyTorch saves them.
///
/// Layout: an 8-byte little-endian header length, a JSON header mapping each
/// name to `{"dtype", "shape", "data_offsets"}` plus an optional `"__metadata__"`
/// object of strings, then the raw little-endian data. We write Float32 only;
/// we read F32, F64, F16, BF16 and integer dtypes, converting to Float32.
public struct SafetensorsFile: Equatable, Sendable {
    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// Free-form string metadata (`"__metadata__"`), e.g. a model's config.
    public var metadata: [String: String]

    /// Creates a file's contents.
    public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and validates a file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SafetensorsError.io(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(bytes: data)
    }

    /// Writes the file atomically (temporary file, then rename), refusing NaN or infinite tensors.
    public func write(to url: URL) throws {
        try writeAtomically(try encoded(), to: url)
    }
}

extension Layer {
    /// Saves every parameter, by name, with `metadata` (e.g. the model config) to a safetensors file.
    ///
    /// Throws `SafetensorsError.nonFiniteTensor` rather than write a NaN checkpoint.
    public func saveCheckpoint(to url: URL, metadata: [String: String] = [:]) throws {
        try SafetensorsFile(tensors: stateDictionary(), metadata: metadata).write(to: url)
    }

    /// Loads every parameter from a safetensors file and returns the file's metadata.
    @discardableResult
    public func loadCheckpoint(from url: URL) throws -> [String: String] {
        let file = try SafetensorsFile(contentsOf: url)
        try loadStateDictionary(file.tensors)
        return file.metadata
    }
}

/// Why a safetensors file could not be read or written.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// The file is shorter than the 8-byte header length prefix.
    case truncatedPrefix(byteCount: Int)
    /// The header length is larger than the file or the format's 100 MB limit.
    case headerLengthOutOfRange(length: UInt64, available: Int)
    /// The header is not a UTF-8 JSON object.
    case invalidHeader(String)
    /// A tensor entry is malformed (missing field, wrong type, negative size).
    case invalidEntry(name: String, reason: String)
    /// A dtype this reader cannot convert to Float32.
    case unsupportedDType(name: String, dtype: String)
    /// The data offsets do not tile the data section exactly.
    case invalidOffsets(name: String, reason: String)
    /// A value in `__metadata__` is not a string.
    case invalidMetadata(key: String)
    /// Refused to write a tensor containing NaN or infinity.
    case nonFiniteTensor(name: String)
    /// The file could not be opened, read, written or renamed.
    case io(path: String, reason: String)

    /// A readable explanation.
    public var description: String {
        switch self {
        case .truncatedPrefix(let count):
            return "not a safetensors file: \(count) bytes, fewer than the 8-byte header length"
        case .headerLengthOutOfRange(let length, let available):
            return "corrupt safetensors file: header length \(length) exceeds the \(available) bytes that follow (truncated?)"
        case .invalidHeader(let reason):
            return "corrupt safetensors header: \(reason)"
        case .invalidEntry(let name, let reason):
            return "corrupt safetensors entry '\(name)': \(reason)"
        case .unsupportedDType(let name, let dtype):
            return "tensor '\(name)' has dtype \(dtype), which cannot be read as Float32"
        case .invalidOffsets(let name, let reason):
            return "corrupt safetensors data for '\(name)': \(reason) (truncated file?)"
        case .invalidMetadata(let key):
            return "safetensors __metadata__ value for '\(key)' is not a string"
        case .nonFiniteTensor(let name):
            return "refusing to write tensor '\(name)': it contains NaN or infinity"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}

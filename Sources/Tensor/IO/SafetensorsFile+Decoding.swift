import Foundation

extension SafetensorsFile {
    /// The largest header the reference implementation accepts.
    static let maximumHeaderLength: UInt64 = 100_000_000

    /// Parses and validates a file's bytes.
    public init(bytes data: Data) throws {
        self = try data.withUnsafeBytes { try SafetensorsFile(raw: $0) }
    }

    /// Parses and validates raw file bytes without copying them first.
    init(raw bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count >= 8 else { throw SafetensorsError.truncatedPrefix(byteCount: bytes.count) }
        var length: UInt64 = 0
        for index in 0..<8 { length |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        guard length <= Self.maximumHeaderLength, length <= UInt64(bytes.count - 8) else {
            throw SafetensorsError.headerLengthOutOfRange(length: length, available: bytes.count - 8)
        }
        let headerEnd = 8 + Int(length)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw SafetensorsError.invalidHeader("not valid JSON (\(error.localizedDescription))")
        }
        guard let header = object as? [String: Any] else { throw SafetensorsError.invalidHeader("not a JSON object") }

        var metadata: [String: String] = [:]
        if let raw = header["__metadata__"] {
            guard let fields = raw as? [String: Any] else { throw SafetensorsError.invalidHeader("__metadata__ is not an object") }
            for (key, value) in fields {
                guard let string = value as? String else { throw SafetensorsError.invalidMetadata(key: key) }
                metadata[key] = string
            }
        }

        let dataSize = bytes.count - headerEnd
        var entries: [(name: String, entry: HeaderEntry)] = []
        for (name, raw) in header where name != "__metadata__" {
            entries.append((name, try HeaderEntry(name: name, raw)))
        }
        // The data offsets must tile the data section exactly, in offset order.
        entries.sort { ($0.entry.start, $0.name) < ($1.entry.start, $1.name) }
        var expectedStart = 0
        for (name, entry) in entries {
            guard entry.start == expectedStart else {
                throw SafetensorsError.invalidOffsets(name: name, reason: "starts at byte \(entry.start), expected \(expectedStart)")
            }
            guard entry.end - entry.start == entry.elementCount * entry.dtype.size else {
                throw SafetensorsError.invalidOffsets(
                    name: name, reason: "\(entry.end - entry.start) bytes for \(entry.elementCount) \(entry.dtype) elements")
            }
            guard entry.end <= dataSize else {
                throw SafetensorsError.invalidOffsets(name: name, reason: "ends at byte \(entry.end) of a \(dataSize)-byte data section")
            }
            expectedStart = entry.end
        }
        guard expectedStart == dataSize else {
            throw SafetensorsError.invalidOffsets(
                name: entries.last?.name ?? "", reason: "data section has \(dataSize) bytes but tensors cover \(expectedStart)")
        }

        var tensors: [String: Tensor] = [:]
        for (name, entry) in entries {
            let base = headerEnd + entry.start
            var scalars = [Float](repeating: 0, count: entry.elementCount)
            #if _endian(little)
            let isRawFloat = entry.dtype == .float32
            #else
            let isRawFloat = false
            #endif
            if isRawFloat {
                // Same bit layout as ours: one copy instead of a per-element conversion.
                scalars.withUnsafeMutableBytes { target in
                    target.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[base..<base + entry.elementCount * 4]))
                }
            } else {
                for index in 0..<entry.elementCount {
                    scalars[index] = entry.dtype.read(bytes, at: base + index * entry.dtype.size)
                }
            }
            tensors[name] = Tensor(shape: entry.shape, scalars: scalars)
        }
        self.init(tensors: tensors, metadata: metadata)
    }
}

/// One validated tensor entry of a safetensors header.
struct HeaderEntry {
    let dtype: StorageType
    let shape: [Int]
    let start: Int
    let end: Int
    var elementCount: Int { shape.reduce(1, *) }

    init(name: String, _ raw: Any) throws {
        guard let fields = raw as? [String: Any] else { throw SafetensorsError.invalidEntry(name: name, reason: "not an object") }
        guard let dtypeName = fields["dtype"] as? String else {
            throw SafetensorsError.invalidEntry(name: name, reason: "missing dtype")
        }
        guard let dtype = StorageType(rawValue: dtypeName) else {
            throw SafetensorsError.unsupportedDType(name: name, dtype: dtypeName)
        }
        guard let shape = HeaderEntry.integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
            throw SafetensorsError.invalidEntry(name: name, reason: "shape is not a list of non-negative integers")
        }
        guard let offsets = HeaderEntry.integers(fields["data_offsets"]), offsets.count == 2,
            offsets[0] >= 0, offsets[1] >= offsets[0]
        else {
            throw SafetensorsError.invalidEntry(name: name, reason: "data_offsets is not [begin, end]")
        }
        // Guard the element count against overflow from absurd shapes.
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product < Int(Int32.max) * 16 else {
                throw SafetensorsError.invalidEntry(name: name, reason: "shape \(shape) is too large")
            }
            count = product
        }
        self.dtype = dtype
        self.shape = shape
        self.start = offsets[0]
        self.end = offsets[1]
    }

    /// JSON numbers as Ints, or nil if any is not a non-fractional number.
    static func integers(_ raw: Any?) -> [Int]? {
        guard let list = raw as? [Any] else { return nil }
        var result: [Int] = []
        for item in list {
            guard let number = item as? NSNumber else { return nil }
            let double = number.doubleValue
            guard double == double.rounded(), abs(double) < 1e15 else { return nil }
            result.append(number.intValue)
        }
        return result
    }
}

/// The safetensors dtypes we can read, with their sizes and conversions to Float.
enum StorageType: String {
    case float32 = "F32"
    case float64 = "F64"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int64 = "I64"
    case int32 = "I32"
    case int16 = "I16"
    case int8 = "I8"
    case uint8 = "U8"
    case bool = "BOOL"

    var size: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .float16, .bfloat16, .int16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    /// The little-endian element at `offset`, converted to Float.
    @inline(__always)
    func read(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Float {
        switch self {
        case .float32: return Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        case .float64: return Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
        case .float16: return halfToFloat(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        case .bfloat16:
            return Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))) << 16)
        case .int64: return Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        case .int32: return Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        case .int16: return Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
        case .int8: return Float(raw.load(fromByteOffset: offset, as: Int8.self))
        case .uint8, .bool: return Float(raw[offset])
        }
    }
}

/// IEEE half precision bits to Float (portable; Float16 is unavailable on some platforms).
func halfToFloat(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 != 0 ? -1 : 1
    let exponent = Int((bits >> 10) & 0x1F)
    let fraction = Float(bits & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * 0x1p-24
    case 31: return fraction == 0 ? sign * .infinity : .nan
    default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}

import Foundation

/// The one JSON set-up of every file Setlist writes: sorted keys, and non-finite numbers as strings.
///
/// Sorted keys keep the text stable (it goes into checkpoints, metadata, run records and result
/// files), and plain JSON has no infinity or NaN, which losses and metrics can be.
public enum StableJSON {
    /// An encoder with sorted keys and "inf", "-inf" and "nan" for non-finite numbers; `pretty` indents.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// A decoder that reads what `encoder` writes.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// `value` as one line of JSON text.
    public static func text(_ value: some Encodable, pretty: Bool = false) throws -> String {
        String(decoding: try encoder(pretty: pretty).encode(value), as: UTF8.self)
    }
}

import Foundation
import Listening

/// JSON coding for configs, training state and run metrics.
///
/// Sorted keys make the text stable (it goes into checkpoints and the runs table), and
/// infinities and NaN are spelled as strings because plain JSON has no such numbers.
public enum TrainingJSON {
    /// Encodes `value` as compact, key-sorted JSON text.
    public static func encode(_ value: some Encodable) throws -> String {
        try StableJSON.text(value)
    }

    /// Decodes `type` from JSON text written by `encode`.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try StableJSON.decoder().decode(type, from: Data(text.utf8))
    }
}

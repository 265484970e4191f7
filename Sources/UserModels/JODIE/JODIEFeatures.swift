import Foundation
import Listening

/// How JODIE encodes an interaction's features and its time gaps.
public enum JODIEFeatures {
    /// Width of the daypart one-hot.
    public static let daypartCount = Daypart.allCases.count

    /// The normalised time gap fed to the RNNs and the projection: log(1 + minutes) / 10.
    ///
    /// A within-session gap of a few minutes gives about 0.15, a gap of days about 0.85; negative gaps
    /// (clock skew, or a frozen item time after the query) count as 0.
    @inline(__always)
    public static func gap(_ seconds: Int64) -> Float {
        seconds <= 0 ? 0 : Float(Foundation.log1p(Double(seconds) / 60) / 10)
    }

    /// Writes the `featureWidth` features of a play in `context`: skip flag (1 skipped, 0 played,
    /// 0.5 unknown), then one-hots of daypart, device and source (all zero when unknown).
    @inline(__always)
    static func write(into row: UnsafeMutablePointer<Float>, skip: SkipState, context: SessionContext, config: JODIEConfig) {
        row.update(repeating: 0, count: config.featureWidth)
        row[0] = skip == .skipped ? 1 : (skip == .played ? 0 : 0.5)
        if let daypart = context.daypart { row[1 + Int(daypart.rawValue)] = 1 }
        let deviceBase = 1 + daypartCount
        if context.device >= 0 && Int(context.device) < config.deviceCount { row[deviceBase + Int(context.device)] = 1 }
        let sourceBase = deviceBase + config.deviceCount
        if context.source >= 0 && Int(context.source) < config.sourceCount { row[sourceBase + Int(context.source)] = 1 }
    }

    /// The features of a play as an array.
    static func vector(skip: SkipState, context: SessionContext, config: JODIEConfig) -> [Float] {
        var out = [Float](repeating: 0, count: config.featureWidth)
        out.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { write(into: base, skip: skip, context: context, config: config) }
        }
        return out
    }
}

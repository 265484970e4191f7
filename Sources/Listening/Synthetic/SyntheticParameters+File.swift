import Foundation

extension SyntheticParameters {
    /// Reads planted-effect constants from a JSON object; keys it leaves out keep their standard values.
    ///
    /// Throws `ConfigurationError` naming the file for unreadable JSON, an unknown key, a value of
    /// the wrong type or one out of range, so a sensitivity study cannot silently run the standard data.
    public static func read(from path: String) throws -> SyntheticParameters {
        let subject = "planted parameters in \(path)"
        func failure(_ field: String, _ allowed: String, _ value: Any) -> ConfigurationError {
            ConfigurationError(subject: subject, field: field, allowed: allowed, value: value)
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw failure("file", "a readable file", "none") }
        guard let given = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw failure("file", "one JSON object", "other text")
        }
        let standardObject = try standard.jsonObject()
        if let unknown = given.keys.filter({ standardObject[$0] == nil }).sorted().first {
            throw failure("key", "one of `setlist generate --print-parameters`", unknown)
        }
        let merged = try JSONSerialization.data(withJSONObject: (standardObject as [String: Any]).merging(given) { $1 })
        let parameters: SyntheticParameters
        do {
            parameters = try StableJSON.decoder().decode(SyntheticParameters.self, from: merged)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw failure(key.isEmpty ? "file" : key, "a number", given[key].map { "\($0)" } ?? "another value")
        }
        try parameters.validate(subject: subject)
        return parameters
    }

    /// The constants that differ from the standard ones, as one line of JSON (`{}` for the standard set).
    public func changesFromStandard() throws -> String {
        let standard = try Self.standard.jsonObject()
        let changed = try jsonObject().filter { standard[$0.key] != $0.value }
        return String(decoding: try JSONSerialization.data(withJSONObject: changed, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The constants as a JSON object, keyed by name.
    func jsonObject() throws -> [String: NSObject] {
        (try JSONSerialization.jsonObject(with: StableJSON.encoder().encode(self)) as? [String: NSObject]) ?? [:]
    }

    /// Checks that every constant is finite and in the range the generator's formulas need.
    public func validate(subject: String = "planted parameters") throws {
        let require = ConfigurationCheck(subject)
        try require(minimumDimension >= 1, "minimumDimension", "≥ 1", minimumDimension)
        let magnitudes: [(String, Float)] = [
            ("trackSpread", trackSpread), ("secondFavouriteWeight", secondFavouriteWeight), ("tasteNoise", tasteNoise),
            ("daypartShift", daypartShift), ("deviceShift", deviceShift), ("sessionNoise", sessionNoise), ("driftStep", driftStep),
            ("rareDaypartHeat", rareDaypartHeat), ("rareDeviceHeat", rareDeviceHeat), ("skipUserSpread", skipUserSpread),
        ]
        let others: [(String, Float)] = [
            ("moodCarryOver", moodCarryOver), ("sharpness", sharpness), ("driftRetention", driftRetention), ("skipBase", skipBase),
            ("skipSlope", skipSlope), ("skipTasteSlope", skipTasteSlope), ("skipAttentionFloor", skipAttentionFloor),
        ]
        for (name, value) in magnitudes + others { try require(value.isFinite, name, "finite", value) }
        for (name, value) in magnitudes { try require(value >= 0, name, "≥ 0", value) }
        try require(sharpness > 0, "sharpness", "> 0", sharpness)
        try require((0..<1).contains(moodCarryOver), "moodCarryOver", "in [0, 1)", moodCarryOver)
        try require((0...1).contains(driftRetention), "driftRetention", "in [0, 1]", driftRetention)
        try require((0...1).contains(skipAttentionFloor), "skipAttentionFloor", "in [0, 1]", skipAttentionFloor)
        try require(popularityExponent.isFinite && popularityExponent >= 0, "popularityExponent", "finite and ≥ 0", popularityExponent)
        try require(popularityOffset.isFinite && popularityOffset > 0, "popularityOffset", "finite and > 0", popularityOffset)
        try require(moodHalfLife.isFinite && moodHalfLife > 0, "moodHalfLife", "finite and > 0", moodHalfLife)
        try require(meanExtraGap.isFinite && meanExtraGap >= 0, "meanExtraGap", "finite and ≥ 0", meanExtraGap)
        for (name, share) in [
            ("habitualHourShare", habitualHourShare), ("primaryDeviceShare", primaryDeviceShare),
            ("primarySourceShare", primarySourceShare),
        ] {
            try require((0...1).contains(share), name, "in [0, 1]", share)
        }
    }
}

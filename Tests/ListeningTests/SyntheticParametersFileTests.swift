import Foundation
import Testing

@testable import Listening

/// Reading planted-effect constants from JSON: partial files, and one clear error for each bad file.
@Suite struct SyntheticParametersFileTests {
    func write(_ text: String) throws -> String {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/parameters.json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aPartialFileChangesOnlyItsKeys() throws {
        let parameters = try SyntheticParameters.read(from: try write(#"{"sharpness": 12, "deviceShift": 0.5}"#))
        var expected = SyntheticParameters.standard
        expected.sharpness = 12
        expected.deviceShift = 0.5
        #expect(parameters == expected)
        #expect(try SyntheticParameters.read(from: try write("{}")) == .standard)
    }

    @Test func theStandardConstantsRoundTrip() throws {
        let text = try StableJSON.text(SyntheticParameters.standard)
        #expect(try SyntheticParameters.read(from: try write(text)) == .standard)
    }

    @Test func aDifferentStrengthChangesTheGeneratedSessions() throws {
        let config = SyntheticConfig(users: 5, sessionsPerUser: 6, playsPerSession: 5, tracks: 200, clusters: 8, seed: 3)
        var weak = SyntheticParameters.standard
        weak.daypartShift = 0
        weak.deviceShift = 0
        let standard = SyntheticGenerator(config: config).sessions(user: 0)
        let changed = SyntheticGenerator(config: config, parameters: weak).sessions(user: 0)
        // The first context is drawn before any shift applies; its plays already follow the other preference.
        #expect(standard.first?.context == changed.first?.context)
        #expect(standard.first?.plays != changed.first?.plays)
    }

    @Test(arguments: [
        (#"{"sharpnes": 8}"#, "key must be one of `setlist generate --print-parameters`, got sharpnes"),
        (#"{"sharpness": "high"}"#, "sharpness must be a number"),
        (#"{"sharpness": 0}"#, "sharpness must be > 0, got 0.0"),
        (#"{"moodCarryOver": 1}"#, "moodCarryOver must be in [0, 1), got 1.0"),
        (#"{"primaryDeviceShare": 1.5}"#, "primaryDeviceShare must be in [0, 1], got 1.5"),
        (#"{"minimumDimension": 0}"#, "minimumDimension must be ≥ 1, got 0"),
        ("[1, 2]", "file must be one JSON object"),
        (#"{"sharpness": 8"#, "file must be one JSON object"),
    ])
    func aBadFileIsOneErrorNamingTheFileAndTheKey(text: String, message: String) throws {
        let path = try write(text)
        let error = #expect(throws: ConfigurationError.self) { try SyntheticParameters.read(from: path) }
        #expect(error?.description.hasPrefix("invalid planted parameters in \(path): ") == true, "\(String(describing: error))")
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    @Test func aMissingFileIsAnError() {
        let error = #expect(throws: ConfigurationError.self) { try SyntheticParameters.read(from: "/nonexistent/parameters.json") }
        #expect(error?.field == "file")
    }
}

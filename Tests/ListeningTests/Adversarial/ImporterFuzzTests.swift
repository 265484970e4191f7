import Foundation
import Randomness
import Testing

@testable import Listening

/// Random mutations of the three shared real logs, read by every importer: never a crash, and every
/// outcome is either rows accounted for (each rejection with its line) or one clear error line.
@Suite(.enabled(if: SharedDatasets.folder != nil, "../shared/datasets is absent"))
struct ImporterFuzzTests {
    static let logs = ["lastfm-1k-jodie-prefix.csv", "spotify-mssd-sample.csv", "deezer-dsg17-sample.csv"]
    static let mutationsPerLog = 3_400

    /// Every importer: detection, each fixed format, and a generic `csv --map` of the log's own columns.
    static func importers(for log: String) -> [ImportOptions] {
        let mapping: [String: String] = [
            "lastfm-1k-jodie-prefix.csv": "user=source,track=destination,time=timestamp",
            "spotify-mssd-sample.csv": "user=session_id,track=track_id_clean,time=date,skip=skip_2,source=context_type",
            "deezer-dsg17-sample.csv": "user=user_id,track=media_id,time=ts_listen,played=is_listened,device=platform_name",
        ]
        var csv = ImportOptions(format: .csv)
        csv.mapping = mapping[log].flatMap { try? ColumnMapping(parsing: $0) }
        return [ImportOptions()] + LogFormat.allCases.filter { $0 != .csv }.map { ImportOptions(format: $0) } + [csv]
    }

    /// Bytes that parsers find awkward: delimiters, quotes, line ends, NUL, invalid UTF-8, a BOM, huge or odd numbers.
    static let awkward: [[UInt8]] = [
        [0x2C], [0x09], [0x0A], [0x0D], [0x0D, 0x0A], [0x22], [0x22, 0x22], [0x00], [0xFF], [0xC3], [0xEF, 0xBB, 0xBF],
        Array("99999999999999999999999".utf8), Array("-1e308".utf8), Array("nan".utf8), Array("inf".utf8),
        Array("9223372036854775807".utf8), Array("-9223372036854775808".utf8), Array("2018-02-30".utf8), Array("True".utf8),
        Array("25".utf8), Array(String(repeating: ",", count: 600).utf8),
    ]

    /// One random mutation: overwrite, insert, delete, duplicate, swap lines or truncate.
    static func mutate(_ base: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = base
        for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.insert(contentsOf: awkward.randomElement(using: &rng) ?? [], at: at)
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...64, using: &rng)))
            case 3:
                let piece = bytes[at..<min(bytes.count, at + Int.random(in: 1...256, using: &rng))]
                bytes.insert(contentsOf: piece, at: Int.random(in: 0...bytes.count, using: &rng))
            case 4:
                var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
                if lines.count > 2 {
                    lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
                    bytes = Array(lines.joined(separator: [0x0A]))
                }
            case 5: bytes.removeSubrange(at...)
            default: bytes[at] = awkward.randomElement(using: &rng)?.first ?? 0
            }
        }
        return bytes
    }

    @Test(arguments: logs)
    func mutatedLogsNeverCrashAnImporter(_ name: String) throws {
        let path = try #require(SharedDatasets.file(name))
        // The first 24 KB in whole lines: enough rows for every format's detection and decoding.
        let whole = try #require(FileManager.default.contents(atPath: path))
        var base = Array(whole.prefix(24 << 10))
        while let last = base.last, last != 0x0A { base.removeLast() }
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/" + name
        var rng = SplitMix64(seed: UInt64(name.utf8.count) &* 7_919)
        var outcomes: [String: Int] = [:]
        let importers = Self.importers(for: name)
        #expect(importers.last?.mapping != nil)
        for round in 0..<Self.mutationsPerLog {
            let bytes = Self.mutate(base, using: &rng)
            FileManager.default.createFile(atPath: file, contents: Data(bytes))
            let lineCount = bytes.reduce(1) { $0 + ($1 == 0x0A || $1 == 0x0D ? 1 : 0) }
            for options in importers {
                var log = ParsedLog()
                do {
                    let report = try LogReader(options: options).read(file: file, into: &log)
                    #expect(report.rowsImported + report.rowsRejected == report.rowsRead, "round \(round)")
                    #expect(log.count == report.rowsImported, "round \(round)")
                    for example in report.examples {
                        #expect((1...lineCount).contains(example.line), "round \(round): line \(example.line) of \(lineCount)")
                        #expect(!example.reason.isEmpty)
                    }
                    outcomes["read", default: 0] += 1
                } catch let error as ListeningError {
                    let text = error.description
                    #expect(!text.isEmpty && !text.contains("\n"), "round \(round): \(text.debugDescription)")
                    outcomes["refused", default: 0] += 1
                } catch {
                    Issue.record("round \(round): \(type(of: error)) is not a ListeningError: \(error)")
                }
            }
        }
        // The mutations must leave most files readable by some importer, or the decoders went untested.
        #expect(outcomes["read", default: 0] > Self.mutationsPerLog / 2, "\(outcomes)")
    }
}

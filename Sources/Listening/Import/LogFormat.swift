import Foundation

/// The listening-log formats that `setlist import` reads.
public enum LogFormat: String, Sendable, CaseIterable, Codable {
    /// Last.fm 1K: `userid \t timestamp \t artist id \t artist name \t track id \t track name`, no header.
    case lastfm
    /// JODIE CSV: `user,item,timestamp,state_label,features...` with a header; times are relative seconds.
    case jodie
    /// Spotify MSSD session logs (the 21 columns; extra columns ignored; `user_id`, `timestamp`
    /// and `device` are read when present, as in the files `setlist generate` writes).
    case mssd
    /// Deezer DSG17: `user_id, ts_listen, media_id, platform_name, is_listened, ...` with a header.
    case deezer
    /// Any delimited file, with the columns named by a `ColumnMapping`.
    case csv

    /// One line for `--help`.
    public var summary: String {
        switch self {
        case .lastfm: "Last.fm 1K TSV (no header): userid, ISO-8601 time, artist id, artist name, track id, track name"
        case .jodie: "JODIE CSV: user, item, timestamp (relative seconds), state_label, features..."
        case .mssd: "Spotify MSSD session log (21 columns); also what `setlist generate` writes"
        case .deezer: "Deezer DSG17: user_id, ts_listen, media_id, platform_name, is_listened, ..."
        case .csv: "generic delimited file with --map user=COL,track=COL,time=COL[,skip=COL,...]"
        }
    }

    /// Guesses the format from the first line of a file, or nil.
    public static func detect(firstLine: String) -> LogFormat? {
        let tabFields = firstLine.split(separator: "\t", omittingEmptySubsequences: false)
        if tabFields.count >= 6 {
            let time = Array(tabFields[1].utf8)
            if time.withUnsafeBufferPointer({ ByteParsing.iso8601($0) }) != nil { return .lastfm }
        }
        let names = Set(
            firstLine.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        if names.contains("session_id"), names.contains("track_id_clean") { return .mssd }
        if names.contains("user_id"), names.contains("ts_listen"), names.contains("media_id") { return .deezer }
        let ordered = firstLine.split(separator: ",", omittingEmptySubsequences: false).map { $0.lowercased() }
        if ordered.count >= 4, ordered[2].contains("timestamp"),
            ["user", "user_id", "source", "u"].contains(ordered[0]),
            ["item", "item_id", "destination", "i"].contains(ordered[1])
        {
            return .jodie
        }
        return nil
    }
}

/// Which columns of a generic CSV hold which play field.
public struct ColumnMapping: Sendable, Hashable, Codable {
    /// Column holding the user id (required).
    public var user: String
    /// Column holding the track id (required).
    public var track: String
    /// Column holding the time: Unix seconds, Unix milliseconds (`time-unit=ms`) or ISO-8601 (required).
    public var time: String
    /// Column holding a skip flag (true/1/yes means skipped).
    public var skip: String?
    /// Column holding a played flag (true/1/yes means played, the inverse of skip).
    public var played: String?
    /// Column holding the device.
    public var device: String?
    /// Column holding the stream source.
    public var source: String?
    /// Column holding a session id; without it, sessions come from time gaps.
    public var session: String?
    /// Column holding the track title.
    public var trackName: String?
    /// Column holding the artist name.
    public var artist: String?
    /// Time values are milliseconds rather than seconds.
    public var milliseconds: Bool

    public init(
        user: String, track: String, time: String, skip: String? = nil, played: String? = nil,
        device: String? = nil, source: String? = nil, session: String? = nil,
        trackName: String? = nil, artist: String? = nil, milliseconds: Bool = false
    ) {
        self.user = user
        self.track = track
        self.time = time
        self.skip = skip
        self.played = played
        self.device = device
        self.source = source
        self.session = session
        self.trackName = trackName
        self.artist = artist
        self.milliseconds = milliseconds
    }

    /// Parses `user=COL,track=COL,time=COL[,skip=COL,played=COL,device=COL,source=COL,session=COL,name=COL,artist=COL,time-unit=ms]`.
    public init(parsing text: String) throws {
        var pairs: [String: String] = [:]
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                throw ListeningError.invalidMapping(.notFieldEqualsColumn(String(part)))
            }
            // A field given twice is a typo, not a choice: refuse rather than let the last one win.
            guard pairs[kv[0].lowercased()] == nil else {
                throw ListeningError.invalidMapping(.repeatedField(kv[0]))
            }
            pairs[kv[0].lowercased()] = kv[1]
        }
        let known: Set<String> = ["user", "track", "time", "skip", "played", "device", "source", "session", "name", "artist", "time-unit"]
        if let unknown = pairs.keys.sorted().first(where: { !known.contains($0) }) {
            throw ListeningError.invalidMapping(.unknownField(unknown, known: known.sorted()))
        }
        guard let user = pairs["user"], let track = pairs["track"], let time = pairs["time"] else {
            throw ListeningError.invalidMapping(.missingRequiredFields)
        }
        let unit = pairs["time-unit"] ?? "s"
        guard unit == "s" || unit == "ms" else { throw ListeningError.invalidMapping(.badTimeUnit(unit)) }
        self.init(
            user: user, track: track, time: time, skip: pairs["skip"], played: pairs["played"],
            device: pairs["device"], source: pairs["source"], session: pairs["session"],
            trackName: pairs["name"], artist: pairs["artist"], milliseconds: unit == "ms")
    }
}

extension ColumnMapping {
    /// What is wrong with a mapping's text; the command line names its option in front of it.
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// A part that is not FIELD=COLUMN.
        case notFieldEqualsColumn(String)
        /// A field given twice (a typo, not a choice).
        case repeatedField(String)
        /// A field the importer does not know, with those it does.
        case unknownField(String, known: [String])
        /// One of user, track and time is missing.
        case missingRequiredFields
        /// A time unit other than s and ms.
        case badTimeUnit(String)

        /// The problem without the option's name: "field 'user' is given twice".
        public var description: String {
            switch self {
            case .notFieldEqualsColumn(let part): "'\(part)' is not FIELD=COLUMN"
            case .repeatedField(let field): "field '\(field)' is given twice"
            case .unknownField(let field, let known): "unknown field '\(field)'; fields are \(known.joined(separator: ", "))"
            case .missingRequiredFields: "needs at least user=COL,track=COL,time=COL"
            case .badTimeUnit: "time-unit must be s or ms"
            }
        }
    }
}

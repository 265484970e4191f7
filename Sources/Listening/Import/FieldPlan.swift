import Foundation

/// Why a row was rejected: a short category for counting and a full reason.
struct RowRejection {
    var category: String
    var reason: String
}

/// Where each play field sits in a format's rows, and how to decode it.
struct FieldPlan {
    enum TimeKind {
        case iso8601
        case unixSeconds
        case unixMilliseconds
        /// Seconds relative to the first event, possibly fractional (JODIE).
        case relativeSeconds(origin: Int64)
        /// MSSD without timestamps: a `YYYY-MM-DD` date plus an hour column.
        case dateAndHour(hourColumn: Int)
        /// Integer seconds, decimal seconds or ISO-8601, whichever parses.
        case automatic
        /// A date in `dateLayout` with an optional time of day (`csv --map` logs saved by spreadsheet tools).
        case layoutDateTime

        /// Whether times are relative to an origin (JODIE), so any calendar year is plausible.
        var isRelative: Bool {
            if case .relativeSeconds = self { true } else { false }
        }
    }

    enum SkipKind {
        case none
        /// MSSD: skipped when `not_skipped` is false or `skip_2` is true.
        case mssd(notSkipped: Int?, skip2: Int?)
        /// A flag that is true when the track was skipped.
        case skippedFlag(Int)
        /// A flag that is true when the track was played (Deezer `is_listened`).
        case playedFlag(Int)
    }

    let format: LogFormat
    let hasHeader: Bool
    var userColumn: Int?
    var trackColumn: Int
    /// Last.fm rows without a track MBID fall back to artist name + track name.
    var lastfmNames: (artist: Int, track: Int)?
    var timeColumn: Int
    var timeKind: TimeKind
    /// How `.dateAndHour` and `.layoutDateTime` dates are written (detected from the first rows unless `--date-format` says).
    var dateLayout: DateLayout = .yearMonthDay
    var sessionColumn: Int?
    var positionColumn: Int?
    var skipKind: SkipKind = .none
    var deviceColumn: Int?
    var devicePrefix: [UInt8] = []
    var sourceColumn: Int?
    var sourcePrefix: [UInt8] = []
    var minFields: Int
    private var rowCounter: Int32 = 0
    private var scratch: [UInt8] = []
    /// Fields that become keys or names, which must be UTF-8.
    private var keyColumns: [(column: Int, name: String)] = []

    init(format: LogFormat, firstLine: String, options: ImportOptions, path: String) throws {
        self.format = format
        let header = FieldPlan.headerNames(firstLine, delimiter: format == .csv ? options.delimiter : UInt8(ascii: ","))
        func column(_ name: String) throws -> Int {
            guard let index = header.firstIndex(of: name.lowercased()) else {
                throw ListeningError.missingColumn(path: path, column: name, header: FieldPlan.shortened(firstLine))
            }
            return index
        }
        func optionalColumn(_ name: String) -> Int? { header.firstIndex(of: name.lowercased()) }

        switch format {
        case .lastfm:
            hasHeader = false
            userColumn = 0
            timeColumn = 1
            timeKind = .iso8601
            trackColumn = 4
            lastfmNames = (artist: 3, track: 5)
            minFields = 6
        case .jodie:
            hasHeader = true
            guard header.count >= 3 else {
                throw ListeningError.unrecognizedFormat(
                    path: path,
                    detail:
                        "a JODIE header needs user, item, timestamp, state_label; found \(FieldPlan.shortened(firstLine).debugDescription)")
            }
            userColumn = 0
            trackColumn = 1
            timeColumn = 2
            timeKind = .relativeSeconds(origin: options.timeOrigin)
            minFields = 4
        case .mssd:
            hasHeader = true
            sessionColumn = try column("session_id")
            positionColumn = try column("session_position")
            trackColumn = try column("track_id_clean")
            userColumn = optionalColumn("user_id")
            if let timestamp = optionalColumn("timestamp") {
                timeColumn = timestamp
                timeKind = .unixSeconds
            } else {
                timeColumn = try column("date")
                timeKind = .dateAndHour(hourColumn: try column("hour_of_day"))
            }
            skipKind = .mssd(notSkipped: optionalColumn("not_skipped"), skip2: optionalColumn("skip_2"))
            sourceColumn = optionalColumn("context_type")
            deviceColumn = optionalColumn("device")
            minFields = 0
        case .deezer:
            hasHeader = true
            userColumn = try column("user_id")
            trackColumn = try column("media_id")
            timeColumn = try column("ts_listen")
            timeKind = .unixSeconds
            skipKind = .playedFlag(try column("is_listened"))
            deviceColumn = optionalColumn("platform_name")
            devicePrefix = Array("platform-".utf8)
            sourceColumn = optionalColumn("context_type")
            sourcePrefix = Array("context-".utf8)
            minFields = 0
        case .csv:
            hasHeader = true
            guard let mapping = options.mapping else {
                throw ListeningError.csvNeedsMapping
            }
            userColumn = try column(mapping.user)
            trackColumn = try column(mapping.track)
            timeColumn = try column(mapping.time)
            timeKind = mapping.milliseconds ? .unixMilliseconds : .automatic
            if let skip = mapping.skip { skipKind = .skippedFlag(try column(skip)) }
            if let played = mapping.played { skipKind = .playedFlag(try column(played)) }
            deviceColumn = try mapping.device.map(column)
            sourceColumn = try mapping.source.map(column)
            sessionColumn = try mapping.session.map(column)
            minFields = 0
        }
        var used = [userColumn, trackColumn, timeColumn, sessionColumn, positionColumn, deviceColumn, sourceColumn].compactMap { $0 }
        if case .dateAndHour(let hour) = timeKind { used.append(hour) }
        switch skipKind {
        case .none: break
        case .mssd(let a, let b): used += [a, b].compactMap { $0 }
        case .skippedFlag(let c), .playedFlag(let c): used.append(c)
        }
        minFields = max(minFields, (used.max() ?? 0) + 1)
        let keys: [(Int?, String)] = [
            (userColumn, "user id"), (trackColumn, "track id"), (lastfmNames?.artist, "artist name"), (lastfmNames?.track, "track name"),
            (sessionColumn, "session id"), (deviceColumn, "device"), (sourceColumn, "source"),
        ]
        keyColumns = keys.compactMap { column, name in column.map { ($0, name) } }
    }

    static func headerNames(_ line: String, delimiter: UInt8) -> [String] {
        line.split(separator: Character(UnicodeScalar(delimiter)), omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"\u{FEFF}")).lowercased() }
    }

    static func shortened(_ line: String) -> String {
        line.count > 120 ? String(line.prefix(117)) + "..." : line
    }

    /// Decodes a row into `log`, or says why it cannot.
    mutating func decode(_ row: DelimitedRow, into log: inout ParsedLog) -> RowRejection? {
        guard row.count >= minFields else {
            return RowRejection(
                category: "wrong field count",
                reason:
                    "expected at least \(minFields) fields, found \(row.count): \(row.preview(delimiter: format == .lastfm ? 9 : 44).debugDescription)"
            )
        }
        rowCounter &+= 1
        if let rejection = undecodableKey(row) { return rejection }

        // Time.
        let timeField = ByteParsing.trimmed(row[timeColumn])
        let time: Int64
        switch timeKind {
        case .iso8601:
            guard let t = ByteParsing.iso8601(timeField) else { return badTime(row, timeField) }
            time = t
        case .unixSeconds:
            guard let t = ByteParsing.int64(timeField) ?? ByteParsing.double(timeField).flatMap(Self.seconds) else {
                return badTime(row, timeField)
            }
            time = t
        case .unixMilliseconds:
            guard let t = ByteParsing.int64(timeField) else { return badTime(row, timeField) }
            time = t / 1000
        case .relativeSeconds(let origin):
            guard let t = ByteParsing.double(timeField).flatMap(Self.seconds) else { return badTime(row, timeField) }
            time = origin &+ t
        case .dateAndHour(let hourColumn):
            // The common layout has a byte-level fast path; the others go through the layout's parser.
            guard
                let days = dateLayout == .yearMonthDay
                    ? ByteParsing.date(timeField) : dateLayout.days(String(decoding: timeField, as: UTF8.self))
            else {
                return RowRejection(
                    category: "bad date",
                    reason:
                        "date \(String(decoding: timeField, as: UTF8.self).debugDescription) is not a \(dateLayout.rawValue) date (--date-format sets the layout)"
                )
            }
            guard let hour = ByteParsing.int64(ByteParsing.trimmed(row[hourColumn])), (0..<24).contains(hour) else {
                return RowRejection(
                    category: "bad hour", reason: "hour_of_day \(row.string(hourColumn).debugDescription) is not an hour 0-23")
            }
            time = Int64(days) * 86_400 + hour * 3600
        case .layoutDateTime:
            guard let t = dateLayout.seconds(String(decoding: timeField, as: UTF8.self)) else {
                return RowRejection(
                    category: "bad timestamp",
                    reason:
                        "timestamp \(String(decoding: timeField, as: UTF8.self).debugDescription) is not a \(dateLayout.rawValue) date with an optional HH:MM[:SS] time (--date-format sets the layout)"
                )
            }
            time = t
        case .automatic:
            if let t = ByteParsing.int64(timeField) {
                time = t
            } else if let t = ByteParsing.double(timeField).flatMap(Self.seconds) ?? ByteParsing.iso8601(timeField) {
                time = t
            } else {
                return badTime(row, timeField)
            }
        }
        // Absolute times outside 1990–2100 are a corrupt column or milliseconds read as seconds; relative
        // (JODIE) times are anchored by --time-origin and only warned about as a whole.
        if !timeKind.isRelative, !LogImport.Outcome.plausibleTimes.contains(time) {
            return RowRejection(
                category: "implausible time",
                reason:
                    "time \(String(decoding: timeField, as: UTF8.self).debugDescription) is outside 1990-2100 (Unix seconds; for milliseconds add time-unit=ms to --map)"
            )
        }

        // Track.
        let trackField = ByteParsing.trimmed(row[trackColumn])
        let track: Int32
        if trackField.isEmpty, let names = lastfmNames {
            let artist = row[names.artist]
            let title = row[names.track]
            if artist.isEmpty && title.isEmpty { return RowRejection(category: "empty track", reason: "no track id and no track name") }
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: artist)
            scratch.append(0x1F)
            scratch.append(contentsOf: title)
            track = scratch.withUnsafeBufferPointer { log.tracks.intern($0) }
        } else {
            if trackField.isEmpty { return RowRejection(category: "empty track", reason: "the track id is empty") }
            track = log.tracks.intern(trackField)
        }
        if let names = lastfmNames, log.trackNames[track] == nil {
            log.trackNames[track] = (name: row.string(names.track), artist: row.string(names.artist))
        }

        // Session.
        var sessionKey: Int32 = -1
        if let sessionColumn {
            let field = ByteParsing.trimmed(row[sessionColumn])
            if field.isEmpty { return RowRejection(category: "empty session", reason: "the session id is empty") }
            sessionKey = log.sessionKeys.intern(field)
        }
        var position = rowCounter
        if let positionColumn {
            guard let p = ByteParsing.int64(ByteParsing.trimmed(row[positionColumn])), p >= 0, p < Int64(Int32.max) else {
                return RowRejection(
                    category: "bad position",
                    reason: "session position \(row.string(positionColumn).debugDescription) is not a whole number")
            }
            position = Int32(p)
        }

        // User.
        let user: Int32
        if let userColumn {
            let field = ByteParsing.trimmed(row[userColumn])
            if field.isEmpty { return RowRejection(category: "empty user", reason: "the user id is empty") }
            user = log.users.intern(field)
        } else if let sessionColumn {
            // MSSD has no users: each session stands for an anonymous user of its own.
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: "session:".utf8)
            scratch.append(contentsOf: ByteParsing.trimmed(row[sessionColumn]))
            user = scratch.withUnsafeBufferPointer { log.users.intern($0) }
        } else {
            return RowRejection(category: "empty user", reason: "no user column")
        }

        // Skip.
        var skip = SkipState.unknown
        switch skipKind {
        case .none:
            break
        case .mssd(let notSkippedColumn, let skip2Column):
            if let c = notSkippedColumn {
                let field = ByteParsing.trimmed(row[c])
                if !field.isEmpty {
                    guard let notSkipped = ByteParsing.bool(field) else { return badFlag(row, c, "not_skipped") }
                    skip = notSkipped ? .played : .skipped
                }
            }
            if let c = skip2Column {
                let field = ByteParsing.trimmed(row[c])
                if !field.isEmpty {
                    guard let skipped = ByteParsing.bool(field) else { return badFlag(row, c, "skip_2") }
                    if skipped { skip = .skipped } else if skip == .unknown { skip = .played }
                }
            }
        case .skippedFlag(let c):
            let field = ByteParsing.trimmed(row[c])
            if !field.isEmpty {
                guard let skipped = ByteParsing.bool(field) else { return badFlag(row, c, "skip") }
                skip = skipped ? .skipped : .played
            }
        case .playedFlag(let c):
            let field = ByteParsing.trimmed(row[c])
            if !field.isEmpty {
                guard let played = ByteParsing.bool(field) else { return badFlag(row, c, "played") }
                skip = played ? .played : .skipped
            }
        }

        let device = deviceColumn.map { intern(row[$0], prefix: devicePrefix, into: &log.devices) } ?? -1
        let source = sourceColumn.map { intern(row[$0], prefix: sourcePrefix, into: &log.sources) } ?? -1
        log.append(
            user: user, track: track, time: time, sessionKey: sessionKey, position: position,
            skip: skip, device: device, source: source)
        return nil
    }

    /// A rejection when a field that becomes a key or a name is not UTF-8: a corrupted byte there
    /// would otherwise make a phantom user, track or device.
    private func undecodableKey(_ row: DelimitedRow) -> RowRejection? {
        for (column, name) in keyColumns where column < row.count && !ByteParsing.isValidUTF8(row[column]) {
            return RowRejection(
                category: "not UTF-8", reason: "the \(name) \(row.string(column).debugDescription) is not valid UTF-8 (a corrupted byte?)")
        }
        return nil
    }

    private mutating func intern(_ field: UnsafeBufferPointer<UInt8>, prefix: [UInt8], into interner: inout KeyInterner) -> Int16 {
        let value = ByteParsing.trimmed(field)
        if value.isEmpty { return -1 }
        // Context vocabularies are small; a value past Int16 range is treated as unknown.
        guard interner.count < Int(Int16.max) else { return -1 }
        if prefix.isEmpty { return Int16(interner.intern(value)) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: prefix)
        scratch.append(contentsOf: value)
        return scratch.withUnsafeBufferPointer { Int16(interner.intern($0)) }
    }

    private static func seconds(_ value: Double) -> Int64? {
        guard value.isFinite, abs(value) < 1e15 else { return nil }
        return Int64(value.rounded())
    }

    private func badTime(_ row: DelimitedRow, _ field: UnsafeBufferPointer<UInt8>) -> RowRejection {
        RowRejection(
            category: "bad timestamp",
            reason: "timestamp \(String(decoding: field, as: UTF8.self).debugDescription) is not a valid time")
    }

    private func badFlag(_ row: DelimitedRow, _ column: Int, _ name: String) -> RowRejection {
        RowRejection(category: "bad skip flag", reason: "\(name) \(row.string(column).debugDescription) is not true/false")
    }
}

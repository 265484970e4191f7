import Foundation

/// Writes sessions as a Spotify-session-log-like (MSSD) CSV with user, timestamp and device columns.
///
/// Rows are formatted by hand into a large byte buffer and written in chunks.
/// The file appears atomically: rows go to a temporary file in the same folder,
/// which `finish()` renames over `path`. A writer dropped without `finish()`
/// removes its temporary file and leaves `path` untouched.
public final class SessionLogCSVWriter: SessionSink {
    /// The header line, without its newline.
    public static let header =
        "session_id,session_position,session_length,track_id_clean,skip_1,skip_2,skip_3,not_skipped,hour_of_day,date,context_type,user_id,timestamp,device"

    /// The destination path.
    public let path: String
    /// Rows written so far, excluding the header.
    public private(set) var rowsWritten = 0

    private let temporaryPath: String
    private var descriptor: Int32
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity = 1 << 22
    private var used = 0
    private let tracks: SessionLogKeyTable
    private let users: SessionLogKeyTable
    private let devices: SessionLogKeyTable
    private let sources: SessionLogKeyTable
    /// Next session index of each user, so session ids stay unique whatever the arrival order.
    private let sessionCounters: UnsafeMutablePointer<Int32>
    private let userCount: Int
    /// Room one row can need, so a row never straddles a flush.
    private let maxRow: Int
    private var cachedDay = Int64.min
    /// "00" "01" … "99" for two-digit formatting.
    private let digitPairs: UnsafeMutablePointer<UInt8>
    /// YYYY-MM-DD of `cachedDay`.
    private let dateBytes: UnsafeMutablePointer<UInt8>
    /// The four skip columns with their trailing commas: skipped, played, unknown.
    private let skipFields = SessionLogKeyTable(["True,True,True,False,", "False,False,False,True,", ",,,,"])

    /// Creates the temporary file next to `path` and writes the header.
    public init(path: String, vocabulary: Vocabulary) throws {
        self.path = path
        temporaryPath = path + ".tmp-\(getpid())"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if descriptor < 0 {
            throw SessionLogWriteError.cannotCreate(path: temporaryPath, reason: String(cString: strerror(errno)))
        }
        buffer = .allocate(capacity: capacity)
        digitPairs = .allocate(capacity: 200)
        for n in 0..<100 {
            digitPairs[2 * n] = UInt8(48 + n / 10)
            digitPairs[2 * n + 1] = UInt8(48 + n % 10)
        }
        dateBytes = .allocate(capacity: 10)
        dateBytes.initialize(repeating: UInt8(ascii: "0"), count: 10)
        tracks = SessionLogKeyTable(vocabulary.tracks.map(\.key))
        users = SessionLogKeyTable(vocabulary.users)
        devices = SessionLogKeyTable(vocabulary.devices)
        sources = SessionLogKeyTable(vocabulary.sources)
        userCount = vocabulary.users.count
        sessionCounters = .allocate(capacity: max(1, userCount))
        sessionCounters.initialize(repeating: 0, count: max(1, userCount))
        maxRow = 2 * users.maxLength + tracks.maxLength + devices.maxLength + sources.maxLength + 160
        let headerBytes = Array((Self.header + "\n").utf8)
        buffer.initialize(from: headerBytes, count: headerBytes.count)
        used = headerBytes.count
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporaryPath)
        }
        buffer.deallocate()
        dateBytes.deallocate()
        digitPairs.deallocate()
        sessionCounters.deallocate()
    }

    /// Formats one session's plays as rows.
    public func append(_ session: Session) throws {
        guard descriptor >= 0 else { throw SessionLogWriteError.alreadyFinished(path: path) }
        let user = Int(session.user)
        guard user >= 0, user < userCount else { throw SessionLogWriteError.unknownIndex(kind: "user", index: user) }
        let sessionIndex = UInt64(sessionCounters[user])
        sessionCounters[user] &+= 1
        let length = UInt64(session.plays.count)
        let device = Int(session.context.device)
        let source = Int(session.context.source)
        let trackCount = tracks.count
        for (position, play) in session.plays.enumerated() {
            let track = Int(play.track)
            guard track >= 0, track < trackCount else {
                throw SessionLogWriteError.unknownIndex(kind: "track", index: track)
            }
            if capacity &- used < maxRow { try flush() }
            var p = buffer + used
            p = users.copy(user, to: p)
            p.pointee = UInt8(ascii: "_")
            p += 1
            p = decimal(sessionIndex, to: p)
            p.pointee = UInt8(ascii: ",")
            p += 1
            p = decimal(UInt64(position &+ 1), to: p)
            p.pointee = UInt8(ascii: ",")
            p += 1
            p = decimal(length, to: p)
            p.pointee = UInt8(ascii: ",")
            p += 1
            p = tracks.copy(track, to: p)
            p.pointee = UInt8(ascii: ",")
            p += 1
            switch play.skip {
            case .skipped: p = skipFields.copy(0, to: p)
            case .played: p = skipFields.copy(1, to: p)
            case .unknown: p = skipFields.copy(2, to: p)
            }
            let time = play.time
            var day = time / 86_400
            var second = time % 86_400
            if second < 0 {
                second += 86_400
                day -= 1
            }
            p = decimal(UInt64(second / 3600), to: p)
            p.pointee = UInt8(ascii: ",")
            p += 1
            if day != cachedDay { cacheDate(day) }
            p.update(from: dateBytes, count: 10)
            p += 10
            p.pointee = UInt8(ascii: ",")
            p += 1
            if source >= 0, source < sources.count { p = sources.copy(source, to: p) }
            p.pointee = UInt8(ascii: ",")
            p += 1
            p = users.copy(user, to: p)
            p.pointee = UInt8(ascii: ",")
            p += 1
            if time < 0 {
                p.pointee = UInt8(ascii: "-")
                p += 1
            }
            p = decimal(time.magnitude, to: p)
            p.pointee = UInt8(ascii: ",")
            p += 1
            if device >= 0, device < devices.count { p = devices.copy(device, to: p) }
            p.pointee = UInt8(ascii: "\n")
            p += 1
            used = p - buffer
        }
        rowsWritten &+= session.plays.count
    }

    /// Flushes, syncs and renames the temporary file onto `path`.
    public func finish() throws {
        guard descriptor >= 0 else { throw SessionLogWriteError.alreadyFinished(path: path) }
        try flush()
        let fd = descriptor
        descriptor = -1
        if fsync(fd) != 0 {
            let reason = String(cString: strerror(errno))
            close(fd)
            unlink(temporaryPath)
            throw SessionLogWriteError.writeFailed(path: temporaryPath, reason: reason)
        }
        close(fd)
        if rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw SessionLogWriteError.writeFailed(path: path, reason: reason)
        }
    }

    private func flush() throws {
        var offset = 0
        while offset < used {
            let n = write(descriptor, buffer + offset, used - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw SessionLogWriteError.writeFailed(path: temporaryPath, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
        used = 0
    }

    /// Formats a day number as YYYY-MM-DD into `dateBytes` (days since 1970-01-01, proleptic Gregorian).
    private func cacheDate(_ day: Int64) {
        cachedDay = day
        let (year, month, dayOfMonth) = Self.civilDate(day)
        let y = max(0, min(9999, year))
        let digits = [y / 1000, y / 100 % 10, y / 10 % 10, y % 10, -3, month / 10, month % 10, -3, dayOfMonth / 10, dayOfMonth % 10]
        // -3 + 48 is the ASCII hyphen.
        for (i, digit) in digits.enumerated() { dateBytes[i] = UInt8(48 + digit) }
    }

    /// Year, month 1–12 and day 1–31 of a day number (Howard Hinnant's civil_from_days).
    static func civilDate(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    /// Writes a non-negative integer in decimal, two digits at a time, and returns the position after it.
    @inline(__always)
    func decimal(_ value: UInt64, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var digits = 1
        var rest = value
        while rest >= 100 {
            rest /= 100
            digits &+= 2
        }
        if rest >= 10 { digits &+= 1 }
        var x = value
        var i = digits
        while x >= 100 {
            let pair = Int(truncatingIfNeeded: x % 100) &* 2
            x /= 100
            i &-= 2
            p[i] = digitPairs[pair]
            p[i &+ 1] = digitPairs[pair &+ 1]
        }
        if x >= 10 {
            let pair = Int(truncatingIfNeeded: x) &* 2
            p[0] = digitPairs[pair]
            p[1] = digitPairs[pair &+ 1]
        } else {
            p[0] = UInt8(truncatingIfNeeded: 48 &+ x)
        }
        return p + digits
    }
}

/// The context of a listening session: time of day, day of week, device and stream source.
///
/// Every field may be unknown (stored as -1 here and NULL in the workspace):
/// a field that the log lacks is never invented.
public struct SessionContext: Sendable, Hashable, Codable {
    /// Hour of day 0–23 (UTC), or -1.
    public var hour: Int8
    /// Day of week 0 = Monday … 6 = Sunday (UTC), or -1.
    public var weekday: Int8
    /// Index into the workspace's device vocabulary, or -1.
    public var device: Int16
    /// Index into the workspace's source vocabulary, or -1.
    public var source: Int16

    public init(hour: Int8 = -1, weekday: Int8 = -1, device: Int16 = -1, source: Int16 = -1) {
        self.hour = hour
        self.weekday = weekday
        self.device = device
        self.source = source
    }

    /// A context where nothing is known.
    public static let unknown = SessionContext()

    /// The daypart bucket of `hour`, or nil when the hour is unknown.
    public var daypart: Daypart? { hour < 0 ? nil : Daypart(hour: Int(hour)) }

    /// The context of a session that starts at a Unix time, with device and source given.
    public init(unixTime: Int64, device: Int16 = -1, source: Int16 = -1) {
        let clock = UTCClock(unixTime: unixTime)
        self.init(hour: Int8(clock.hour), weekday: Int8(clock.weekday), device: device, source: source)
    }
}

/// Hour of day and day of week of a Unix time, in UTC, without Foundation's calendar (hot path).
public struct UTCClock: Sendable {
    /// Hour 0–23.
    public let hour: Int
    /// 0 = Monday … 6 = Sunday.
    public let weekday: Int

    public init(unixTime: Int64) {
        let secondsPerDay: Int64 = 86_400
        var day = unixTime / secondsPerDay
        var second = unixTime % secondsPerDay
        if second < 0 {
            second += secondsPerDay
            day -= 1
        }
        hour = Int(second / 3600)
        // 1970-01-01 was a Thursday (index 3 when Monday is 0).
        var w = (day + 3) % 7
        if w < 0 { w += 7 }
        weekday = Int(w)
    }
}

import Foundation

extension SyntheticGenerator {
    /// Generates users on `threads` worker threads and delivers their sessions to `body` in user order.
    ///
    /// Workers generate chunks of `chunk` users into compact buffers; the calling
    /// thread hands them to `body` in order, so the output is identical to
    /// `generate(users:_:)`. At most `threads + 2` chunks exist at once, which bounds
    /// memory at roughly `(threads + 2) × chunk × sessions × plays × 24` bytes. If
    /// `body` throws, the workers stop and the error is rethrown. The `Session`
    /// passed to `body` is reused: copy it to keep it.
    public func generateParallel(
        users range: Range<Int>? = nil,
        threads: Int = 2,
        chunk: Int = 256,
        _ body: (Session) throws -> Void
    ) rethrows {
        let users = (range ?? 0..<totalUsers).clamped(to: 0..<totalUsers)
        let chunkSize = max(1, chunk)
        let chunkCount = (users.count + chunkSize - 1) / chunkSize
        guard threads > 1, chunkCount > 1 else {
            try generate(users: users, body)
            return
        }
        let pipeline = SyntheticPipeline(chunkCount: chunkCount, maxInFlight: threads + 2)
        let done = DispatchSemaphore(value: 0)
        let generator = self
        for _ in 0..<threads {
            let thread = Thread {
                while let index = pipeline.claim() {
                    let lower = users.lowerBound + index * chunkSize
                    let upper = min(users.upperBound, lower + chunkSize)
                    pipeline.deliver(index, generator.chunk(users: lower..<upper))
                }
                done.signal()
            }
            thread.name = "setlist.synthetic"
            thread.start()
        }
        // Runs on return and on throw: stop the workers and wait for them before the pipeline goes away.
        defer {
            pipeline.cancel()
            for _ in 0..<threads { done.wait() }
        }

        var session = Session(user: 0, start: 0, context: .unknown, plays: [])
        for index in 0..<chunkCount {
            let chunk = pipeline.take(index)
            var offset = 0
            for header in chunk.sessions {
                let count = Int(header.playCount)
                session.user = header.user
                session.start = header.start
                session.context = header.context
                session.plays.removeAll(keepingCapacity: true)
                session.plays.append(contentsOf: chunk.plays[offset..<offset + count])
                offset += count
                try body(session)
            }
        }
    }

    /// Sessions of a range of users in compact form.
    func chunk(users range: Range<Int>) -> SyntheticChunk {
        var result = SyntheticChunk()
        let estimate = range.count * tables.meanSessions
        result.sessions.reserveCapacity(estimate)
        result.plays.reserveCapacity(estimate * tables.meanPlays)
        generate(users: range) { session in
            result.sessions.append(
                SyntheticChunk.Header(
                    user: session.user, start: session.start, context: session.context,
                    playCount: Int32(session.plays.count)))
            result.plays.append(contentsOf: session.plays)
        }
        return result
    }
}

/// Sessions of consecutive users without one array allocation per session.
struct SyntheticChunk: Sendable {
    struct Header: Sendable {
        var user: Int32
        var start: Int64
        var context: SessionContext
        var playCount: Int32
    }

    var sessions: [Header] = []
    var plays: [Play] = []
}

/// Hands out chunk indices to workers and returns finished chunks in order, with bounded look-ahead.
final class SyntheticPipeline: @unchecked Sendable {
    private let condition = NSCondition()
    private let chunkCount: Int
    private let maxInFlight: Int
    private var nextClaim = 0
    private var nextTake = 0
    private var cancelled = false
    private var ready: [Int: SyntheticChunk] = [:]

    init(chunkCount: Int, maxInFlight: Int) {
        self.chunkCount = chunkCount
        self.maxInFlight = max(1, maxInFlight)
    }

    /// The next chunk to generate, waiting while too many are ahead of the consumer; nil when done.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled, nextClaim < chunkCount, nextClaim - nextTake >= maxInFlight {
            condition.wait()
        }
        guard !cancelled, nextClaim < chunkCount else { return nil }
        nextClaim += 1
        return nextClaim - 1
    }

    func deliver(_ index: Int, _ chunk: SyntheticChunk) {
        condition.lock()
        ready[index] = chunk
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for chunk `index` and removes it.
    func take(_ index: Int) -> SyntheticChunk {
        condition.lock()
        defer { condition.unlock() }
        while ready[index] == nil {
            condition.wait()
        }
        let chunk = ready.removeValue(forKey: index) ?? SyntheticChunk()
        nextTake = index + 1
        condition.broadcast()
        return chunk
    }

    func cancel() {
        condition.lock()
        cancelled = true
        ready.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

import Foundation

/// Runs an experiment's independent training jobs, several at a time, and returns their results in job order.
///
/// Each worker takes the next job not yet started, so long and short jobs share the workers evenly.
/// With one worker the jobs run in order on the calling thread. The first error stops new jobs
/// from starting and is rethrown once the running ones end.
enum ConcurrentJobs {
    static func run<T>(count: Int, workers: Int, _ job: (Int) throws -> T) throws -> [T] {
        guard workers > 1, count > 1 else { return try (0..<count).map(job) }
        let state = JobState<T>(count: count)
        // concurrentPerform returns only when every worker has, so the job never outlives this call.
        return try withoutActuallyEscaping(job) { job in
            // The jobs share nothing mutable but what `state` locks; each trains its own model.
            let unchecked = UncheckedJob(job: job)
            DispatchQueue.concurrentPerform(iterations: min(workers, count)) { _ in
                while let index = state.next() {
                    state.finish(index, Result { try unchecked.job(index) })
                }
            }
            return try state.results()
        }
    }
}

/// A job closure handed to worker threads.
private struct UncheckedJob<T>: @unchecked Sendable {
    let job: (Int) throws -> T
}

/// The next job to start and the results so far, behind a lock.
private final class JobState<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private var failed = false
    private var outcomes: [Result<T, any Error>?]

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    func next() -> Int? {
        lock.withLock {
            guard !failed, nextIndex < outcomes.count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }

    func finish(_ index: Int, _ outcome: Result<T, any Error>) {
        lock.withLock {
            outcomes[index] = outcome
            if case .failure = outcome { failed = true }
        }
    }

    func results() throws -> [T] {
        try lock.withLock {
            if let failure = outcomes.lazy.compactMap({ $0 }).first(where: { if case .failure = $0 { true } else { false } }) {
                _ = try failure.get()
            }
            return try outcomes.map { try ($0 ?? .failure(CancellationError())).get() }
        }
    }
}

/// An experiment's event handler that several training threads may call; calls are serialised.
final class SerialEvents<Event>: @unchecked Sendable {
    private let lock = NSLock()
    private let handler: ((Event) -> Void)?

    init(_ handler: ((Event) -> Void)?) { self.handler = handler }

    var isActive: Bool { handler != nil }

    func send(_ event: Event) {
        guard let handler else { return }
        lock.withLock { handler(event) }
    }
}

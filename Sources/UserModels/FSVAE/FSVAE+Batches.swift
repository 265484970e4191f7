import Foundation
import Listening
import Tensor

extension FSVAEExamples {
    /// Mean and standard deviation (at least 1e-3) of each slow feature over the examples.
    func slowStatistics() -> (mean: [Float], deviation: [Float]) {
        var mean = [Double](repeating: 0, count: slowCount)
        var square = [Double](repeating: 0, count: slowCount)
        for example in 0..<count {
            for s in 0..<slowCount {
                let value = Double(slow[example * slowCount + s])
                mean[s] += value
                square[s] += value * value
            }
        }
        let n = Double(max(1, count))
        let means = mean.map { $0 / n }
        let deviations = zip(square, means).map { Float(max(1e-6, $0 / n - $1 * $1).squareRoot()) }
        return (means.map { Float($0) }, deviations.map { max(1e-3, $0) })
    }

    /// Gathers the examples at `indices` into tensors (embeddings looked up in `tracks`).
    ///
    /// With `config.shuffleSequence` the real steps of each window are permuted by a generator
    /// seeded from the config seed and `shuffleSalt[i]`, so a given example always gets the same order.
    func batch(
        _ indices: some Collection<Int>, tracks: TrackVectors, config: FSVAEConfig,
        slowNormalization: (mean: [Float], deviation: [Float])? = nil
    ) -> FSVAEBatch {
        let b = indices.count
        let d = tracks.dimension
        var targetValues = [Float](repeating: 0, count: b * d)
        var fast: Tensor?
        var mask: Tensor?
        var slowTensor: Tensor?
        let width = config.fastWidth(dimension: d)
        let scalarKinds = config.fastScalars
        var fastValues = window > 0 ? [Float](repeating: 0, count: b * window * width) : []
        var maskValues = window > 0 ? [Float](repeating: 0, count: b * window) : []
        var slowValues = [Float](repeating: 0, count: b * slowCount)
        var order = [Int](repeating: 0, count: window)
        tracks.values.withUnsafeBufferPointer { all in
            for (row, example) in indices.enumerated() {
                let target = targets[example]
                if target >= 0 {
                    for j in 0..<d { targetValues[row * d + j] = all[Int(target) * d + j] }
                }
                for s in 0..<slowCount {
                    let value = slow[example * slowCount + s]
                    slowValues[row * slowCount + s] = slowNormalization.map { (value - $0.mean[s]) / $0.deviation[s] } ?? value
                }
                guard window > 0 else { continue }
                let base = example * window
                for step in 0..<window { order[step] = step }
                if config.shuffleSequence {
                    let firstReal = (0..<window).first { windowTracks[base + $0] >= 0 } ?? window
                    var random = SeededRandom(seed: config.seed &* 0x9E37_79B9 &+ UInt64(example))
                    order[firstReal...].shuffle(using: &random)
                }
                for step in 0..<window {
                    let source = base + order[step]
                    let track = windowTracks[source]
                    guard track >= 0 else { continue }
                    maskValues[row * window + step] = 1
                    let out = (row * window + step) * width
                    for j in 0..<d { fastValues[out + j] = all[Int(track) * d + j] }
                    for (k, kind) in scalarKinds.enumerated() {
                        fastValues[out + d + k] = Self.scalar(kind, at: source, skips: windowSkips, gaps: windowGaps, hours: windowHours)
                    }
                }
            }
        }
        if window > 0 {
            fast = Tensor(shape: [b, window, width], scalars: fastValues)
            mask = Tensor(shape: [b, window], scalars: maskValues)
        }
        if slowCount > 0 { slowTensor = Tensor(shape: [b, slowCount], scalars: slowValues) }
        return FSVAEBatch(fast: fast, mask: mask, slow: slowTensor, target: Tensor(shape: [b, d], scalars: targetValues))
    }

    /// The value of one fast scalar at a stored window step.
    static func scalar(_ kind: FastScalar, at index: Int, skips: [Float], gaps: [Float], hours: [Int8]) -> Float {
        switch kind {
        case .skipped: return skips[index]
        case .logTimeGap: return gaps[index]
        case .hourSine, .hourCosine:
            let hour = hours[index]
            guard hour >= 0 else { return 0 }
            let angle = 2 * Float.pi * Float(hour) / 24
            return kind == .hourSine ? sinf(angle) : cosf(angle)
        }
    }
}

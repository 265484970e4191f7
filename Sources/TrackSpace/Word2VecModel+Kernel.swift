import CPrefetch

#if canImport(Accelerate)
import Accelerate
#elseif canImport(COpenBLAS)
import COpenBLAS
#endif

extension Word2VecModel {
    /// One thread's share of every epoch: subsample each sentence, then skip-gram updates with negative sampling.
    func runThread(_ thread: Int, sentences: Range<Int>, shared: Word2VecProgress, progress: (@Sendable (Double) -> Void)?) {
        let d = dimension
        let window = config.window
        let negatives = config.negatives
        let epochs = config.epochs
        let totalWords = Double(corpus.tokens.count * epochs)
        let startRate = config.learningRate
        let endRate = config.minLearningRate
        let input = self.input
        let output = self.output
        let sigmoid = self.sigmoid
        let keep = keepThreshold
        let aliasProbability = self.aliasProbability
        let alias = self.alias
        let trackCount = UInt64(self.trackCount)
        let windowSize = UInt64(window)
        let sigmoidScale = Float(Self.sigmoidSize) / Self.maxExp / 2
        let maxExp = Self.maxExp
        var rng = XorShiftRandom(seed: config.seed &+ 0x1000 &* UInt64(thread + 1))

        let longest = (0..<corpus.sentenceCount).reduce(0) { max($0, corpus.sentenceStarts[$1 + 1] - corpus.sentenceStarts[$1]) }
        let sentence = UnsafeMutablePointer<Int32>.allocate(capacity: max(longest, 1))
        let maxContexts = 2 * window
        // Input-row offsets of the window's context tracks, their gradients (maxContexts × d), and per-context scalars.
        let contexts = UnsafeMutablePointer<Int>.allocate(capacity: maxContexts)
        let gradients = UnsafeMutablePointer<Float>.allocate(capacity: maxContexts * d)
        let scales = UnsafeMutablePointer<Float>.allocate(capacity: maxContexts)
        let targets = UnsafeMutablePointer<Int32>.allocate(capacity: negatives + 1)
        // Negatives are drawn one window ahead, so their output rows can be prefetched while the current window trains.
        let drawn = UnsafeMutablePointer<Int32>.allocate(capacity: max(negatives, 1))
        defer {
            sentence.deallocate()
            contexts.deallocate()
            gradients.deallocate()
            scales.deallocate()
            targets.deallocate()
            drawn.deallocate()
        }
        let rowBytes = d &* MemoryLayout<Float>.stride
        @inline(__always) func prefetchRow(_ row: UnsafeMutablePointer<Float>) {
            let raw = UnsafeRawPointer(row)
            var offset = 0
            while offset < rowBytes {
                setlist_prefetch(raw + offset)
                offset &+= 64
            }
            setlist_prefetch(raw + (rowBytes &- 1))
        }
        @inline(__always) func drawNegatives(_ rng: inout XorShiftRandom) {
            var k = 0
            while k < negatives {
                let r = rng.next()
                let slot = Int(truncatingIfNeeded: ((r >> 32) &* trackCount) >> 32)
                let target =
                    UInt32(truncatingIfNeeded: r) & 0xFF_FFFF < aliasProbability[slot] ? Int32(truncatingIfNeeded: slot) : alias[slot]
                drawn[k] = target
                prefetchRow(output + Int(target) &* d)
                k &+= 1
            }
        }
        drawNegatives(&rng)
        var rate = startRate
        var pendingWords = 0
        var pendingEffective = 0

        corpus.tokens.withUnsafeBufferPointer { tokenBuffer in
            corpus.sentenceStarts.withUnsafeBufferPointer { startBuffer in
                inVocabulary.withUnsafeBufferPointer { vocabularyBuffer in
                    guard let tokens = tokenBuffer.baseAddress, let starts = startBuffer.baseAddress,
                        let inVocabulary = vocabularyBuffer.baseAddress
                    else { return }
                    for _ in 0..<epochs {
                        for s in sentences {
                            // Min-count filter and subsampling, per sentence and epoch.
                            var length = 0
                            let first = starts[s]
                            let end = starts[s &+ 1]
                            var i = first
                            while i < end {
                                let token = tokens[i]
                                i &+= 1
                                if !inVocabulary[Int(token)] { continue }
                                if (rng.next() >> 32) >= keep[Int(token)] { continue }
                                sentence[length] = token
                                length &+= 1
                            }
                            pendingWords &+= end &- first
                            pendingEffective &+= length
                            if pendingWords >= Self.updateInterval {
                                let done = shared.words.add(pendingWords, ordering: .relaxed).newValue
                                shared.effective.add(pendingEffective, ordering: .relaxed)
                                pendingWords = 0
                                pendingEffective = 0
                                let fraction = min(1, Double(done) / max(totalWords, 1))
                                rate = max(endRate, startRate - (startRate - endRate) * Float(fraction))
                                progress?(fraction)
                            }
                            if length < 2 { continue }
                            var position = 0
                            while position < length {
                                defer { position &+= 1 }
                                let centre = sentence[position]
                                // Lemire's multiply-shift instead of a division: uniform in 0..<window.
                                let reduced = window &- Int(truncatingIfNeeded: ((rng.next() >> 32) &* windowSize) >> 32)
                                let lower = max(0, position &- reduced)
                                let upper = min(length &- 1, position &+ reduced)
                                var contextCount = 0
                                var c = lower
                                while c <= upper {
                                    if c != position {
                                        contexts[contextCount] = Int(sentence[c]) &* d
                                        contextCount &+= 1
                                    }
                                    c &+= 1
                                }
                                // The window's targets: the centre, then the negatives drawn ahead (minus the centre itself).
                                targets[0] = centre
                                var targetCount = 1
                                var k = 0
                                while k < negatives {
                                    if drawn[k] != centre {
                                        targets[targetCount] = drawn[k]
                                        targetCount &+= 1
                                    }
                                    k &+= 1
                                }
                                drawNegatives(&rng)
                                if position &+ 1 < length {
                                    prefetchRow(output + Int(sentence[position &+ 1]) &* d)
                                    prefetchRow(input + Int(sentence[min(length &- 1, position &+ 1 &+ window)]) &* d)
                                }
                                Self.trainWindow(
                                    input: input, output: output, contexts: contexts, contextCount: contextCount,
                                    targets: targets, targetCount: targetCount, gradients: gradients, scales: scales,
                                    d: d, rate: rate, sigmoid: sigmoid, sigmoidScale: sigmoidScale, maxExp: maxExp)
                            }
                        }
                    }
                }
            }
        }
        shared.words.add(pendingWords, ordering: .relaxed)
        shared.effective.add(pendingEffective, ordering: .relaxed)
    }

    /// One skip-gram window with shared negatives (Ji et al., "Parallelizing Word2Vec in Shared and Distributed Memory").
    ///
    /// Every context track's input vector predicts the centre (target 0, label 1)
    /// against the same negatives (label 0): a `contextCount × targetCount` block of
    /// dot products instead of one set of negatives per pair, so each output row
    /// is loaded once per window rather than once per context. Input gradients
    /// are taken against the output rows before their update and applied at the end.
    @inline(__always)
    static func trainWindow(
        input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
        contexts: UnsafeMutablePointer<Int>, contextCount: Int,
        targets: UnsafeMutablePointer<Int32>, targetCount: Int,
        gradients: UnsafeMutablePointer<Float>, scales: UnsafeMutablePointer<Float>,
        d: Int, rate: Float, sigmoid: UnsafeMutablePointer<Float>, sigmoidScale: Float, maxExp: Float
    ) {
        zero(gradients, contextCount &* d)
        var t = 0
        while t < targetCount {
            let l2 = output + Int(targets[t]) &* d
            let label: Float = t == 0 ? 1 : 0
            var b = 0
            while b < contextCount {
                let f = VectorMath.dot(input + contexts[b], l2, d)
                let g: Float
                if f >= maxExp {
                    g = (label - 1) * rate
                } else if f > -maxExp {
                    g = (label - sigmoid[Int((f + maxExp) * sigmoidScale)]) * rate
                } else {
                    // Also NaN, from a diverged run: no table index, and `train` reports the divergence.
                    g = label * rate
                }
                scales[b] = g
                axpy(g, l2, gradients + b &* d, d)
                b &+= 1
            }
            // l2 += Σ_b g_b · input_b, one pass over l2.
            accumulate(scales, input, contexts, contextCount, into: l2, d)
            t &+= 1
        }
        var b = 0
        while b < contextCount {
            axpy(1, gradients + b &* d, input + contexts[b], d)
            b &+= 1
        }
    }

    /// y += Σ_b a[b] · x(b) with x(b) = base + offsets[b]: one read and write of y for all rows.
    @inline(__always)
    static func accumulate(
        _ a: UnsafeMutablePointer<Float>, _ base: UnsafeMutablePointer<Float>, _ offsets: UnsafeMutablePointer<Int>,
        _ rows: Int, into y: UnsafeMutablePointer<Float>, _ n: Int
    ) {
        #if DEBUG
        for b in 0..<rows { cblas_saxpy(Int32(n), a[b], base + offsets[b], 1, y, 1) }
        #else
        let yRaw = UnsafeMutableRawPointer(y)
        var i = 0
        while i &+ 8 <= n {
            var sum = yRaw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            var b = 0
            while b < rows {
                let x = UnsafeRawPointer(base + offsets[b]).loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                sum += a[b] * x
                b &+= 1
            }
            yRaw.storeBytes(of: sum, toByteOffset: i &* 4, as: SIMD8<Float>.self)
            i &+= 8
        }
        while i < n {
            var sum = y[i]
            var b = 0
            while b < rows {
                sum += a[b] * base[offsets[b] &+ i]
                b &+= 1
            }
            y[i] = sum
            i &+= 1
        }
        #endif
    }

    @inline(__always)
    static func zero(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        x.update(repeating: 0, count: n)
    }

    /// y += a·x; BLAS in debug builds, where an unoptimised loop would be ten times slower.
    @inline(__always)
    static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        #if DEBUG
        cblas_saxpy(Int32(n), a, x, 1, y, 1)
        #else
        var i = 0
        while i < n {
            y[i] += a * x[i]
            i &+= 1
        }
        #endif
    }
}

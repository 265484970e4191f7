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
        let gradient = UnsafeMutablePointer<Float>.allocate(capacity: d)
        let targets = UnsafeMutablePointer<Int32>.allocate(capacity: negatives + 1)
        let dots = UnsafeMutablePointer<Float>.allocate(capacity: negatives + 1)
        defer {
            sentence.deallocate()
            gradient.deallocate()
            targets.deallocate()
            dots.deallocate()
        }
        var rate = startRate
        var pendingWords = 0
        var pendingEffective = 0

        corpus.tokens.withUnsafeBufferPointer { tokenBuffer in
            corpus.sentenceStarts.withUnsafeBufferPointer { startBuffer in
                inVocabulary.withUnsafeBufferPointer { vocabularyBuffer in
                    guard let tokens = tokenBuffer.baseAddress, let starts = startBuffer.baseAddress,
                          let inVocabulary = vocabularyBuffer.baseAddress else { return }
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

                            for position in 0..<length {
                                let centre = sentence[position]
                                // Lemire's multiply-shift instead of a division: uniform in 0..<window.
                                let reduced = window &- Int(truncatingIfNeeded: ((rng.next() >> 32) &* windowSize) >> 32)
                                let lower = max(0, position &- reduced)
                                let upper = min(length &- 1, position &+ reduced)
                                var c = lower
                                while c <= upper {
                                    defer { c &+= 1 }
                                    if c == position { continue }
                                    // word2vec.c's orientation: the context track's input vector predicts the centre.
                                    let l1 = input + Int(sentence[c]) &* d
                                    // Draw every target first, then take all dot products, then update: l1 is
                                    // fixed until the end of the pair, so this equals word2vec.c's order (up to a
                                    // target drawn twice), and the independent row loads overlap in memory.
                                    targets[0] = centre
                                    var targetCount = 1
                                    var k = 0
                                    while k < negatives {
                                        k &+= 1
                                        let r = rng.next()
                                        let slot = Int(truncatingIfNeeded: ((r >> 32) &* trackCount) >> 32)
                                        let target = UInt32(truncatingIfNeeded: r) & 0xFF_FFFF < aliasProbability[slot] ? Int32(truncatingIfNeeded: slot) : alias[slot]
                                        if target == centre { continue }
                                        targets[targetCount] = target
                                        targetCount &+= 1
                                    }
                                    var j = 0
                                    while j < targetCount {
                                        dots[j] = VectorMath.dot(l1, output + Int(targets[j]) &* d, d)
                                        j &+= 1
                                    }
                                    Self.zero(gradient, d)
                                    j = 0
                                    while j < targetCount {
                                        let l2 = output + Int(targets[j]) &* d
                                        let label: Float = j == 0 ? 1 : 0
                                        let f = dots[j]
                                        let g: Float
                                        if f >= maxExp {
                                            g = (label - 1) * rate
                                        } else if f <= -maxExp {
                                            g = label * rate
                                        } else {
                                            g = (label - sigmoid[Int((f + maxExp) * sigmoidScale)]) * rate
                                        }
                                        Self.axpy(g, l2, gradient, d)
                                        Self.axpy(g, l1, l2, d)
                                        j &+= 1
                                    }
                                    Self.axpy(1, gradient, l1, d)
                                }
                            }
                        }
                    }
                }
            }
        }
        shared.words.add(pendingWords, ordering: .relaxed)
        shared.effective.add(pendingEffective, ordering: .relaxed)
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

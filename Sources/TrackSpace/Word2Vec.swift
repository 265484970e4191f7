import Foundation
import Synchronization

/// What a word2vec run produced and how fast.
public struct Word2VecTraining: Sendable {
    /// The trained vectors; tracks below min-count have a zero row and `trained == false`.
    public var embeddings: TrackEmbeddings
    /// Corpus tokens read over all epochs, counting those subsampling dropped (as word2vec.c and gensim report words/s).
    public var wordsProcessed: Int
    /// Tokens that survived min-count and subsampling, over all epochs.
    public var effectiveWords: Int
    /// Wall time of the training loop, without the tables.
    public var seconds: Double

    /// Corpus tokens per second.
    public var wordsPerSecond: Double { seconds > 0 ? Double(wordsProcessed) / seconds : 0 }
}

/// word2vec skip-gram with negative sampling (Mikolov et al., 2013) over sessions as sentences.
///
/// Threads update the shared weight buffers without locks ("Hogwild!", Recht et
/// al., 2011), as word2vec.c and gensim do: two threads rarely touch the same
/// row at the same moment, and a lost update only perturbs one SGD step. That is
/// a data race by the letter of the memory model, confined to plain Float loads
/// and stores on raw buffers; results with more than one thread are therefore
/// not bit-reproducible. With one thread they are.
public enum Word2Vec {
    /// Trains track vectors on `corpus`; `progress` receives the finished fraction from time to time.
    public static func train(
        _ corpus: Word2VecCorpus, config: Word2VecConfig,
        progress: (@Sendable (Double) -> Void)? = nil
    ) throws -> Word2VecTraining {
        try config.validate()
        let model = try Word2VecModel(corpus: corpus, config: config)
        defer { model.deallocate() }
        let threads = min(config.threads, max(1, corpus.sentenceCount))
        let ranges = model.partition(threads: threads)
        let shared = Word2VecProgress()
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            model.runThread(thread, sentences: ranges[thread], shared: shared, progress: thread == 0 ? progress : nil)
        }
        let seconds = Date().timeIntervalSince(start)
        progress?(1)
        var metadata = config.metadata
        metadata["vocabulary_size"] = String(model.vocabularyCount)
        metadata["training_words"] = String(corpus.tokens.count)
        let vectors = model.trainedVectors()
        guard vectors.allSatisfy(\.isFinite) else { throw TrackSpaceError.diverged(learningRate: config.learningRate) }
        let embeddings = try TrackEmbeddings(
            dimension: config.dimension, vectors: vectors, trained: model.inVocabulary, metadata: metadata)
        return Word2VecTraining(
            embeddings: embeddings, wordsProcessed: shared.words.load(ordering: .relaxed),
            effectiveWords: shared.effective.load(ordering: .relaxed), seconds: seconds)
    }
}

/// Word counters shared by the training threads.
final class Word2VecProgress: Sendable {
    let words = Atomic<Int>(0)
    let effective = Atomic<Int>(0)
}

import Listening

/// Sentences of track ids, stored flat: the training input of word2vec.
public struct Word2VecCorpus: Sendable {
    /// Every sentence's tokens, one after another.
    public private(set) var tokens: [Int32] = []
    /// Where each sentence starts in `tokens`, plus a final entry at `tokens.count`.
    public private(set) var sentenceStarts: [Int] = [0]
    /// Tokens are track ids in 0..<vocabularySize.
    public let vocabularySize: Int

    /// An empty corpus over `vocabularySize` tracks.
    public init(vocabularySize: Int) {
        self.vocabularySize = vocabularySize
    }

    /// A corpus with one sentence per session: its tracks in play order.
    public init(sessions: [Session], vocabularySize: Int) throws {
        self.init(vocabularySize: vocabularySize)
        tokens.reserveCapacity(sessions.reduce(0) { $0 + $1.plays.count })
        sentenceStarts.reserveCapacity(sessions.count + 1)
        for session in sessions { try append(session) }
    }

    /// Number of sentences.
    public var sentenceCount: Int { sentenceStarts.count - 1 }

    /// Appends a session's tracks as one sentence.
    public mutating func append(_ session: Session) throws {
        for play in session.plays {
            guard play.track >= 0, Int(play.track) < vocabularySize else {
                throw TrackSpaceError.invalidArgument("track id \(play.track) is outside the vocabulary of \(vocabularySize) tracks")
            }
            tokens.append(play.track)
        }
        sentenceStarts.append(tokens.count)
    }

    /// Appends one sentence of track ids.
    public mutating func append(sentence: [Int32]) throws {
        for track in sentence where track < 0 || Int(track) >= vocabularySize {
            throw TrackSpaceError.invalidArgument("track id \(track) is outside the vocabulary of \(vocabularySize) tracks")
        }
        tokens.append(contentsOf: sentence)
        sentenceStarts.append(tokens.count)
    }

    /// Plays of each track.
    public func counts() -> [Int] {
        var counts = [Int](repeating: 0, count: vocabularySize)
        for token in tokens { counts[Int(token)] += 1 }
        return counts
    }
}

import Foundation

extension TrackEmbeddings {
    /// The trained vectors in word2vec text format: "count dim", then "key v1 ... vd" per track (gensim's `load_word2vec_format`).
    ///
    /// `keys` are the workspace track keys, indexed by track id. Whitespace separates the format's
    /// fields, so keys are written escaped (`escapedKey`): "%" as "%25" and every whitespace
    /// character as "%" and its UTF-8 bytes in hex ("Daft Punk" → "Daft%20Punk"). Import reverses it.
    public func word2VecText(keys: [String]) throws -> String {
        guard keys.count == trackCount else {
            throw TrackSpaceError.invalidArgument("\(keys.count) track keys for \(trackCount) embeddings")
        }
        var text = "\(trainedCount) \(dimension)\n"
        text.reserveCapacity(trainedCount * (dimension * 11 + 16))
        for t in 0..<trackCount where trained[t] {
            let key = keys[t]
            guard !key.isEmpty else {
                throw TrackSpaceError.invalidArgument("track \(t) has an empty key; the word2vec text format cannot hold it")
            }
            text += Self.escapedKey(key)
            for d in 0..<dimension {
                text += " "
                // Float's description is the shortest text that reads back to the same value.
                text += vectors[t * dimension + d].description
            }
            text += "\n"
        }
        return text
    }

    /// Writes the word2vec text format to a file atomically.
    public func exportWord2VecText(to path: String, keys: [String]) throws {
        try AtomicFile.write(Data(try word2VecText(keys: keys).utf8), to: path)
    }

    /// Reads a word2vec text file; vectors of keys the workspace lacks are skipped and counted.
    ///
    /// Tracks the file does not mention are untrained. A header that disagrees with
    /// the rows, a malformed number, a duplicate key or a missing row is an error.
    public static func importWord2VecText(
        from path: String, keys: [String], metadata: [String: String] = [:]
    ) throws -> (embeddings: TrackEmbeddings, unknownKeys: Int) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TrackSpaceError.io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TrackSpaceError.invalidText(path: path, line: 1, reason: "not UTF-8 text (binary word2vec files are not supported)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first else { throw TrackSpaceError.invalidText(path: path, line: 1, reason: "empty file") }
        let headerFields = header.split(whereSeparator: \.isWhitespace)
        guard headerFields.count == 2, let rowCount = Int(headerFields[0]), let dimension = Int(headerFields[1]),
            rowCount >= 0, dimension > 0
        else {
            throw TrackSpaceError.invalidText(
                path: path, line: 1, reason: "expected a header 'count dimension', found '\(header.prefix(80))'")
        }
        guard lines.count - 1 == rowCount else {
            throw TrackSpaceError.invalidText(
                path: path, line: lines.count,
                reason: "the header announces \(rowCount) vectors but the file has \(lines.count - 1) rows (truncated?)")
        }
        var idOfKey: [String: Int] = [:]
        idOfKey.reserveCapacity(keys.count)
        for (id, key) in keys.enumerated() { idOfKey[key] = id }

        var vectors = [Float](repeating: 0, count: keys.count * dimension)
        var trained = [Bool](repeating: false, count: keys.count)
        var unknown = 0
        for (offset, line) in lines.dropFirst().enumerated() {
            let lineNumber = offset + 2
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count == dimension + 1 else {
                throw TrackSpaceError.invalidText(
                    path: path, line: lineNumber, reason: "expected a key and \(dimension) values, found \(max(0, fields.count - 1)) values"
                )
            }
            let key = Self.unescapedKey(fields[0])
            guard let id = idOfKey[key] else {
                unknown += 1
                continue
            }
            guard !trained[id] else { throw TrackSpaceError.invalidText(path: path, line: lineNumber, reason: "duplicate key '\(key)'") }
            for d in 0..<dimension {
                guard let value = Float(fields[d + 1]), value.isFinite else {
                    throw TrackSpaceError.invalidText(path: path, line: lineNumber, reason: "'\(fields[d + 1])' is not a finite number")
                }
                vectors[id * dimension + d] = value
            }
            trained[id] = true
        }
        var info = metadata
        info["origin"] = "word2vec text import"
        let embeddings = try TrackEmbeddings(dimension: dimension, vectors: vectors, trained: trained, metadata: info)
        return (embeddings, unknown)
    }

    /// A key with "%" and whitespace percent-encoded, so it is one word2vec field.
    public static func escapedKey(_ key: String) -> String {
        var out = ""
        for character in key {
            if character == "%" || character.isWhitespace {
                for byte in String(character).utf8 { out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) }
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// The key `escapedKey` encoded; a "%" not followed by two hex digits stays as it is.
    public static func unescapedKey(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count,
                let byte = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(byte)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

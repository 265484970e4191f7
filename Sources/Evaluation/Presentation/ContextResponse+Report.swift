extension ContextResponse {
    /// The analysis as text: one row per context value, a summary per field, and `reference`'s
    /// field summaries beside this model's when given (the Context average, for scale).
    public func report(reference: ContextResponse? = nil) -> [String] {
        var lines = [
            "Context response of \(model): \(users) users' first test session, predicted in its own context and with each context field set to each value; top-\(k) over the catalogue"
        ]
        switch grouping {
        case .plantedCluster:
            lines.append(
                "target: the planted cluster whose share of training plays rises most in the value; lift = its share of the top-\(k) with the value − its mean share with the other values"
            )
        case .artist:
            lines.append(
                "target: the artist whose share of training plays rises most in the value; lift = its share of the top-\(k) with the value − its mean share with the other values"
            )
        case .none: lines.append("the log has no artists, so no target lift")
        }
        lines.append("")
        // Values and targets as wide as the longest, so real names ("editorial_playlist", artists) keep the columns aligned.
        let valueWidth = max(14, rows.map(\.value.count).max() ?? 0)
        let targetWidth = max(13, rows.map { ($0.targetGroup ?? "-").count }.max() ?? 0)
        let header = [
            pad("field", 8), pad("value", valueWidth), pad("users", 5, right: true), pad("cosine", 7, right: true),
            pad("kept", 6, right: true), pad("target", targetWidth), pad("lift", 7, right: true), pad("lift>0", 7, right: true),
        ]
        lines.append(header.joined(separator: "  "))
        for row in rows {
            var cells = [
                pad(row.dimension.rawValue, 8), pad(row.value, valueWidth), pad("\(row.editedUsers)", 5, right: true),
                pad(fixed(row.meanCosine), 7, right: true), pad(percent(row.meanOverlap), 6, right: true),
                pad(row.targetGroup ?? "-", targetWidth), pad(row.meanLift.map(signed) ?? "-", 7, right: true),
                pad(row.positiveLiftShare.map(percent) ?? "-", 7, right: true),
            ]
            if grouping == .artist, !row.gained.isEmpty || !row.lost.isEmpty {
                cells.append(
                    "gained " + row.gained.map { "\($0.group) (\($0.tracks))" }.joined(separator: ", ")
                        + "; lost " + row.lost.map { "\($0.group) (\($0.tracks))" }.joined(separator: ", "))
            }
            lines.append(cells.joined(separator: "  "))
        }
        lines.append("")
        lines.append("per field (cosine and kept: mean over users whose own value differs; lift: over every (user, value) pair)")
        for field in fields {
            var line =
                "  \(pad(field.dimension.rawValue, 8))  \(model): cosine \(fixed(field.meanCosine)), kept \(percent(field.meanOverlap))"
            if let lift = field.meanLift, let share = field.positiveLiftShare, let negative = field.negativeLiftShare {
                line +=
                    ", lift \(signed(lift)), positive in \(percent(share)) and negative in \(percent(negative)) of \(field.liftPairs) pairs"
            }
            if let reference, let other = reference.fields.first(where: { $0.dimension == field.dimension }) {
                line += "  |  \(reference.model): cosine \(fixed(other.meanCosine)), kept \(percent(other.meanOverlap))"
                if let lift = other.meanLift, let share = other.positiveLiftShare {
                    line += ", lift \(signed(lift)), positive in \(percent(share))"
                }
            }
            lines.append(line)
        }
        if fields.isEmpty { lines.append("  no context field has two values with enough training sessions") }
        return lines
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let count = text.count
        guard count < width else { return text }
        let fill = String(repeating: " ", count: width - count)
        return right ? fill + text : text + fill
    }

    private func fixed(_ value: Double) -> String { SampleSummary.fixed(value, 3) }
    private func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + SampleSummary.fixed(value, 3) }
    private func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}

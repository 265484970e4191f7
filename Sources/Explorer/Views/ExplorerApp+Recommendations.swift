import Listening
import UserModels

extension ExplorerApp {
    /// Posterior samples drawn in sampling mode.
    static let posteriorSamples = 10

    func drawRecommendations(_ grid: inout CellGrid, _ area: Area) {
        drawSessionHeader(&grid, area)
        let model = min(state.model, data.models.count - 1)
        let list = recommendations(model: model)
        let before = state.before[model]
        let top = area.y + 3
        // The context panel keeps 38 columns; the list takes the rest, up to 60.
        let right = area.x + min(62, area.width - 38)
        let listWidth = right - area.x - 2
        grid.put("top \(topK) for \(data.models[model].name)", x: area.x + 1, y: top, style: .heading, maxWidth: listWidth)
        grid.put(readsLine(model), x: area.x + 1, y: top + 1, style: .muted, maxWidth: listWidth)
        let tracks = list.map(\.track)
        let movements = before.map { RankMovement.of(tracks, against: $0) }
        let stability = state.sampling ? posteriorStability(model: model, list: tracks) : nil
        let played = Set(data.users[user][state.session].plays.filter { $0.skip != .skipped }.map(\.track))
        for (i, item) in list.prefix(area.height - 5).enumerated() {
            let y = top + 2 + i
            var line = "\(String(i + 1).leftPadded(3)). \(Self.fixed(Double(item.score), 3))"
            let arrowX = area.x + 1 + line.count + 1
            if let movements { line += " " + movements[i].label(glyphs).padding(toLength: 3, withPad: " ", startingAt: 0) }
            if let stability { line += " " + "\(stability.count(item.track))/\(stability.samples)".leftPadded(5) }
            let hit = played.contains(item.track) ? (glyphs.unicode ? " ✓" : " *") : ""
            line += "  \(data.trackName(item.track))\(hit)"
            let entered = movements?[i] == .new
            grid.put(line, x: area.x + 1, y: y, style: entered ? CellStyle(bold: true, color: .good) : .plain, maxWidth: listWidth)
            switch movements?[i] {
            case .up: grid.style(x: arrowX, y: y, width: 3, CellStyle(color: .good))
            case .down: grid.style(x: arrowX, y: y, width: 3, CellStyle(color: .bad))
            case .same: grid.style(x: arrowX, y: y, width: 3, .muted)
            case .new, nil: break
            }
        }
        drawContextPanel(
            &grid, Area(x: right, y: top, width: area.x + area.width - right - 1, height: area.y + area.height - top),
            model: model, list: tracks, stability: stability)
    }

    /// "reads: hour, weekday, device, source": the context fields the model's prediction depends on.
    func readsLine(_ model: Int) -> String {
        "reads: " + ContextField.list(data.models[model].model.contextFields)
    }

    /// The stability of `list` under the model's posterior samples, or nil when it has no posterior.
    func posteriorStability(model: Int, list: [Int32]) -> PosteriorStability? {
        data.stability(
            model: model, user: user, session: state.session, context: state.context, list: list, k: topK,
            count: Self.posteriorSamples)
    }

    func drawCompare(_ grid: inout CellGrid, _ area: Area) {
        drawSessionHeader(&grid, area)
        let models = Array(data.models.indices.prefix(2))
        let lists = models.map { recommendations(model: $0) }
        let top = area.y + 3
        let columnWidth = (grid.width - 2) / max(models.count, 1)
        let overlap = lists.count == 2 ? Set(lists[0].map(\.track)).intersection(lists[1].map(\.track)) : []
        for (column, model) in models.enumerated() {
            let x = area.x + 1 + column * columnWidth
            let prediction = data.prediction(model: model, user: user, session: state.session, context: state.context)
            let ranks = relevantRanks(model: model, prediction: prediction)
            grid.put(data.models[model].name, x: x, y: top, style: CellStyle(bold: true, color: column == 0 ? .first : .second))
            grid.put(readsLine(model), x: x, y: top + 1, style: .muted, maxWidth: columnWidth - 1)
            grid.put(
                "AP \(Self.fixed(ranks.averagePrecision, 3))  R@10 \(Self.fixed(ranks.recall(at: 10), 2))  best rank \(ranks.positions.first.map(String.init) ?? "n/a")",
                x: x, y: top + 2, style: .muted, maxWidth: columnWidth - 1)
            for (i, item) in lists[column].prefix(area.height - 8).enumerated() {
                let shared = overlap.contains(item.track)
                grid.put(
                    "\(shared ? glyphs.bullet : " ")\(String(i + 1).leftPadded(3)). \(data.trackName(item.track))", x: x, y: top + 3 + i,
                    style: shared ? CellStyle(bold: true) : .plain, maxWidth: columnWidth - 1)
            }
        }
        let summary =
            lists.count == 2
            ? "overlap \(overlap.count)/\(topK) (\(glyphs.bullet) in both lists)"
            : "only one model is available: train the other to compare"
        grid.put(summary, x: area.x + 1, y: area.y + area.height - 1, style: .heading)
    }
}

import Listening

extension ExplorerApp {
    func drawRecommendations(_ grid: inout CellGrid, _ area: Area) {
        drawSessionHeader(&grid, area)
        let model = min(state.model, data.models.count - 1)
        let list = recommendations(model: model)
        let before = state.before[model]
        let top = area.y + 3
        grid.put("top \(topK) for \(data.models[model].name)", x: area.x + 1, y: top, style: .heading)
        grid.put("(m: next model)", x: area.x + 30, y: top, style: .muted)
        let played = Set(data.users[user][state.session].plays.filter { $0.skip != .skipped }.map(\.track))
        for (i, item) in list.prefix(area.height - 5).enumerated() {
            let entered = before.map { !$0.contains(item.track) } ?? false
            let mark = entered ? String(glyphs.entered) : " "
            let hit = played.contains(item.track) ? " ✓" : ""
            let line = "\(mark)\(String(i + 1).leftPadded(3)). \(Self.fixed(Double(item.score), 3))  \(data.trackName(item.track))\(glyphs.unicode ? hit : (hit.isEmpty ? "" : " *"))"
            grid.put(line, x: area.x + 1, y: top + 1 + i, style: entered ? CellStyle(bold: true, color: .good) : .plain, maxWidth: 60)
        }
        // The editor and what left the list.
        let right = area.x + 62
        grid.put("context editor", x: right, y: top, style: .heading)
        let keys = [("d", "daypart"), ("w", "day"), ("v", "device"), ("o", "source"), ("r", "reset")]
        for (i, (key, name)) in keys.enumerated() { grid.put("\(key)  \(name)", x: right, y: top + 1 + i) }
        if let before {
            let current = Set(list.map(\.track))
            let left = before.filter { !current.contains($0) }
            let entered = list.filter { !before.contains($0.track) }.count
            grid.put("\(glyphs.entered)\(entered) entered  \(glyphs.left)\(left.count) left", x: right, y: top + 7, style: .heading)
            for (i, track) in left.prefix(area.height - 12).enumerated() {
                grid.put("\(glyphs.left) \(data.trackName(track))", x: right, y: top + 8 + i, style: CellStyle(dim: true, color: .bad),
                         maxWidth: grid.width - right - 1)
            }
        }
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
            grid.put("AP \(Self.fixed(ranks.averagePrecision, 3))  R@10 \(Self.fixed(ranks.recall(at: 10), 2))  best rank \(ranks.positions.first.map(String.init) ?? "n/a")",
                     x: x, y: top + 1, style: .muted, maxWidth: columnWidth - 1)
            for (i, item) in lists[column].prefix(area.height - 7).enumerated() {
                let shared = overlap.contains(item.track)
                grid.put("\(shared ? glyphs.bullet : " ")\(String(i + 1).leftPadded(3)). \(data.trackName(item.track))", x: x, y: top + 2 + i,
                         style: shared ? CellStyle(bold: true) : .plain, maxWidth: columnWidth - 1)
            }
        }
        let summary = lists.count == 2
            ? "overlap \(overlap.count)/\(topK) (\(glyphs.bullet) in both lists)"
            : "only one model is available: train the other to compare"
        grid.put(summary, x: area.x + 1, y: area.y + area.height - 1, style: .heading)
    }
}

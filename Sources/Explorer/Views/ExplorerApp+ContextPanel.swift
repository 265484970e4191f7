import Evaluation
import Listening
import UserModels

/// One row of the context editor: its key, the field and its current value.
struct ContextEditorRow {
    var key: String
    var name: String
    var value: String
    /// The model fields that make this row matter to a model.
    var fields: Set<ContextField>
    /// Whether the analyst changed it from the session's own.
    var edited: Bool
}

extension ExplorerApp {
    /// The recommendations screen's right panel: the context editor, how far the edit moved the prediction,
    /// the gate split, posterior samples, the artist or cluster mix, and what entered and left the list.
    func drawContextPanel(_ grid: inout CellGrid, _ area: Area, model: Int, list: [Int32], stability: PosteriorStability?) {
        let entry = data.models[model]
        let x = area.x, bottom = area.y + area.height
        var y = area.y
        grid.put("context editor", x: x, y: y, style: .heading)
        y += 1
        let reads = entry.model.contextFields
        for row in contextEditorRows() {
            // Fields the model does not read are dimmed: editing them cannot move its list.
            let style = row.edited ? CellStyle(bold: true, color: .warning) : (reads.isDisjoint(with: row.fields) ? .muted : .plain)
            grid.put(
                "\(row.key)  \(row.name.padding(toLength: 9, withPad: " ", startingAt: 0))\(row.value)", x: x, y: y, style: style,
                maxWidth: area.width)
            y += 1
        }
        grid.put("r  reset", x: x, y: y)
        if data.models.contains(where: { $0.sampler != nil }) {
            grid.put(
                "u  samples  \(state.sampling ? "on" : "off")", x: x + 11, y: y, style: state.sampling ? CellStyle(bold: true) : .plain)
        }
        y += 2
        if let edited = state.context {
            let own = data.prediction(model: model, user: user, session: state.session, context: nil)
            let now = data.prediction(model: model, user: user, session: state.session, context: edited)
            grid.put("shift  cos \(Self.fixed(Double(VectorOps.cosine(own, now)), 3)) vs unedited", x: x, y: y, maxWidth: area.width)
            y += 1
        }
        if entry.gate != nil {
            drawGateSplit(&grid, x: x, y: y, width: area.width, model: model)
            y += 1
        }
        if state.sampling {
            let text =
                stability.map { "\($0.samples) samples · mean pairwise cos \(Self.fixed($0.meanPairwiseCosine, 3))" }
                ?? "samples: \(entry.name) has no posterior"
            grid.put(text, x: x, y: y, maxWidth: area.width)
            y += 1
        }
        y = drawMix(&grid, x: x, y: y + 1, width: area.width, before: state.before[model], list: list)
        drawEnteredAndLeft(&grid, Area(x: x, y: y + 1, width: area.width, height: bottom - y - 1), before: state.before[model], list: list)
    }

    /// The editor's rows for the context in force.
    func contextEditorRows() -> [ContextEditorRow] {
        let now = context, own = data.users[user][state.session].context
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        func name(_ dimension: ContextDimension) -> String {
            dimension.value(now).map { dimension.name($0, vocabulary: data.vocabulary) } ?? "?"
        }
        let daypart = now.daypart.map { "\($0) \(now.hour)h" } ?? "?"
        let day = now.weekday >= 0 && now.weekday < 7 ? days[Int(now.weekday)] : "?"
        return [
            ContextEditorRow(key: "d", name: "daypart", value: daypart, fields: [.daypart, .hour], edited: now.hour != own.hour),
            ContextEditorRow(key: "w", name: "day", value: day, fields: [.weekday], edited: now.weekday != own.weekday),
            ContextEditorRow(key: "v", name: "device", value: name(.device), fields: [.device], edited: now.device != own.device),
            ContextEditorRow(key: "o", name: "source", value: name(.source), fields: [.source], edited: now.source != own.source),
        ]
    }

    /// "gate  ū 31% ███░░░░░░ 69% û": the long-term share, a bar of it, and the short-term share.
    func drawGateSplit(_ grid: inout CellGrid, x: Int, y: Int, width: Int, model: Int) {
        guard let split = data.gateSplit(model: model, user: user, session: state.session, context: state.context) else {
            grid.put("gate   none: no long-term part", x: x, y: y, style: .muted, maxWidth: width)
            return
        }
        func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%".leftPadded(4) }
        let (long, short) = glyphs.unicode ? ("ū", "û") : ("long", "short")
        let head = "gate   \(long) \(percent(split.longTerm)) ", tail = " \(percent(split.shortTerm)) \(short)"
        let bar = glyphs.bar(split.longTerm, width: max(4, min(20, width - head.count - tail.count)))
        var column = x + grid.put(head, x: x, y: y, maxWidth: width)
        column += grid.put(bar, x: column, y: y, style: CellStyle(color: .accent), maxWidth: x + width - column)
        grid.put(tail, x: column, y: y, maxWidth: x + width - column)
    }

    /// Bars of the top-k's artist (or planted cluster) mix before and after the edit, with a legend; returns the next free row.
    func drawMix(_ grid: inout CellGrid, x: Int, y: Int, width: Int, before: [Int32]?, list: [Int32]) -> Int {
        let lists = before.map { [$0, list] } ?? [list]
        let mix = data.groups.mix(of: lists, slots: glyphs.barFills.count - 1)
        guard !mix.names.isEmpty else { return y }
        grid.put("\(data.groups.grouping.rawValue) mix of the top \(topK)", x: x, y: y, style: .heading, maxWidth: width)
        var row = y + 1
        let labels = lists.count == 2 ? ["before", "after"] : ["now"]
        let barWidth = max(1, min(topK, width - 8))
        for (label, counts) in zip(labels, mix.counts) {
            grid.put(label, x: x, y: row)
            grid.put(
                stackedBar(counts, width: barWidth, other: mix.names.last == "other"), x: x + 7, y: row, style: CellStyle(color: .accent))
            row += 1
        }
        for (slot, name) in mix.names.enumerated() {
            let counts = mix.counts.map { String($0[slot]) }.joined(separator: " \(glyphs.arrowRight) ")
            let shade = shade(slot: slot, of: mix.names.count, other: mix.names.last == "other")
            grid.put(
                "\(shade) \(name.padding(toLength: max(1, min(20, width - 10)), withPad: " ", startingAt: 0))\(counts.leftPadded(7))",
                x: x, y: row, style: .muted, maxWidth: width)
            row += 1
        }
        return row
    }

    /// The fill of segment `slot` of `count`: a shade each, the last shade reserved for "other".
    func shade(slot: Int, of count: Int, other: Bool) -> Character {
        other && slot == count - 1 ? glyphs.barFills[glyphs.barFills.count - 1] : glyphs.barFills[min(slot, glyphs.barFills.count - 2)]
    }

    /// A bar of `width` cells divided among `counts` in proportion, each segment in its own shade.
    func stackedBar(_ counts: [Int], width: Int, other: Bool) -> String {
        let total = counts.reduce(0, +)
        guard total > 0 else { return String(repeating: " ", count: width) }
        var cells = ""
        var slot = 0, cumulative = counts[0]
        for cell in 0..<width {
            // The segment that holds the cell's centre.
            let centre = (Double(cell) + 0.5) * Double(total) / Double(width)
            while Double(cumulative) <= centre && slot < counts.count - 1 {
                slot += 1
                cumulative += counts[slot]
            }
            cells.append(shade(slot: slot, of: counts.count, other: other))
        }
        return cells
    }

    /// "+3 entered −3 left" and the tracks that left, while the context is edited.
    func drawEnteredAndLeft(_ grid: inout CellGrid, _ area: Area, before: [Int32]?, list: [Int32]) {
        guard let before, area.height > 0 else { return }
        let current = Set(list)
        let left = before.filter { !current.contains($0) }
        let entered = list.filter { !before.contains($0) }.count
        grid.put("\(glyphs.entered)\(entered) entered  \(glyphs.left)\(left.count) left", x: area.x, y: area.y, style: .heading)
        for (i, track) in left.prefix(area.height - 1).enumerated() {
            grid.put(
                "\(glyphs.left) \(data.trackName(track))", x: area.x, y: area.y + 1 + i, style: CellStyle(dim: true, color: .bad),
                maxWidth: area.width)
        }
    }
}

import Evaluation
import Listening
import UserModels

extension ExplorerApp {
    /// "evening 19h · Tue · mobile · radio", with "?" for unknown fields.
    func describe(_ context: SessionContext) -> String {
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let daypart = context.daypart.map { "\($0) \(context.hour)h" } ?? "?"
        let day = context.weekday >= 0 && context.weekday < 7 ? days[Int(context.weekday)] : "?"
        let device =
            context.device >= 0 && Int(context.device) < data.vocabulary.devices.count ? data.vocabulary.devices[Int(context.device)] : "?"
        let source =
            context.source >= 0 && Int(context.source) < data.vocabulary.sources.count ? data.vocabulary.sources[Int(context.source)] : "?"
        return "\(daypart) · \(day) · \(device) · \(source)"
    }

    /// Header lines shared by the session screens.
    func drawSessionHeader(_ grid: inout CellGrid, _ area: Area) {
        let sessions = data.users[user]
        let session = sessions[state.session]
        let stats = data.stats[user]
        let split = TimeSplit().part(ofSession: state.session, in: sessions)
        grid.put(
            "\(stats.key)  session \(state.session + 1)/\(sessions.count) (\(split.rawValue))", x: area.x + 1, y: area.y, style: .heading)
        let skip = session.skipRate.map { " · skipped \(Self.percent($0))" } ?? ""
        grid.put("context  \(describe(session.context)) · \(session.plays.count) plays\(skip)", x: area.x + 1, y: area.y + 1)
        if let override = state.context {
            grid.put("editing  \(describe(override))", x: area.x + 1, y: area.y + 2, style: CellStyle(bold: true, color: .warning))
        }
    }

    /// The rank (1-based, ties against) of each relevant track of the session in a model's catalogue ranking.
    func relevantRanks(model: Int, prediction: [Float]) -> RelevantPositions {
        let session = data.users[user][state.session]
        let relevant = SessionRankingProtocol.relevantTracks(of: session)
        let scores = data.models[model].tracks.dotProducts([prediction])
        return RelevantPositions(scores: scores, relevant: Set(relevant.map(Int.init)))
    }

    func drawTrajectory(_ grid: inout CellGrid, _ area: Area) {
        drawSessionHeader(&grid, area)
        let session = data.users[user][state.session]
        let top = area.y + 3
        // The track list gives up width on narrow terminals so the path keeps room.
        let listWidth = min(44, max(30, area.width * 2 / 5))
        grid.put("tracks", x: area.x + 1, y: top, style: .heading)
        for (i, play) in session.plays.prefix(area.height - 5).enumerated() {
            let mark: String = play.skip == .skipped ? "✗" : (play.skip == .played ? "✓" : "·")
            let style = play.skip == .skipped ? CellStyle(dim: true, color: .bad) : .plain
            grid.put(
                "\(glyphs.unicode ? mark : (play.skip == .skipped ? "x" : "+")) \(data.trackName(play.track))", x: area.x + 1,
                y: top + 1 + i,
                style: style, maxWidth: listWidth - 2)
        }
        // Each model: cosine to the real session and the ranks of the real tracks.
        let right = area.x + listWidth
        grid.put("predictions", x: right, y: top, style: .heading)
        var y = top + 1
        for model in data.models.indices {
            let prediction = data.prediction(model: model, user: user, session: state.session, context: state.context)
            let target = SessionRankingProtocol.target(of: session, tracks: data.models[model].tracks)
            let cosine = VectorOps.cosine(prediction, target)
            let ranks = relevantRanks(model: model, prediction: prediction)
            grid.put(data.models[model].name, x: right, y: y, style: Self.predictionStyle(model))
            grid.put("cos \(Self.fixed(Double(cosine), 3))  AP \(Self.fixed(ranks.averagePrecision, 3))", x: right + 18, y: y)
            let shown = ranks.positions.prefix(8).map(String.init).joined(separator: " ")
            grid.put(
                "ranks of real tracks: \(shown)\(ranks.positions.count > 8 ? " …" : "")", x: right + 2, y: y + 1, style: .muted,
                maxWidth: grid.width - right - 2)
            y += 2
        }
        drawPath(&grid, Area(x: right, y: y + 1, width: grid.width - right - 1, height: area.y + area.height - y - 1))
    }
}

import Listening
import Tensor

/// Where a local user's or item's current state lives on the tape during a span.
private struct StateRows {
    /// The variables whose rows are concatenated into the table that t-batches gather from.
    var parts: [Variable]
    /// First row of each part in the concatenation.
    var offsets: [Int]
    var total: Int
    /// Per local entity: its current row in the concatenation.
    var current: [Int]
    /// Per local entity: the part and row holding its latest state.
    var latest: [(part: Int, row: Int)?]

    init(parts: [Variable], current: [Int], latest: [(part: Int, row: Int)?]) {
        self.parts = parts
        var offsets: [Int] = [], total = 0
        for part in parts {
            offsets.append(total)
            total += part.shape[0]
        }
        self.offsets = offsets
        self.total = total
        self.current = current
        self.latest = latest
    }

    /// The table of every row so far.
    var table: Variable { parts.count == 1 ? parts[0] : Variable.concatenate(parts, axis: 0) }

    /// Appends a t-batch's new states, row r belonging to local entity `owners[r]`.
    mutating func append(_ states: Variable, owners: [Int]) {
        let part = parts.count
        parts.append(states)
        offsets.append(total)
        for (row, owner) in owners.enumerated() {
            current[owner] = total + row
            latest[owner] = (part, row)
        }
        total += states.shape[0]
    }

    /// The latest state of local entity `j`, if it was computed in this span or carried in.
    func value(_ j: Int) -> ArraySlice<Float>? {
        guard let (part, row) = latest[j] else { return nil }
        let values = parts[part].value.scalars
        let width = parts[part].shape[1]
        return values[(row * width)..<((row + 1) * width)]
    }
}

extension JODIE {
    /// The training loss of one span of interactions on `tape`, t-batch by t-batch; the states it
    /// ends with are written back (detached) into `state`.
    ///
    /// Per interaction: ‖ĵ − [i(t⁻), ī]‖² averaged over its H + D elements (the target's dynamic part
    /// detached, as the official code; tracks without a vector are not targets), plus
    /// λ_U‖u(t) − u(t⁻)‖² and λ_I‖i(t) − i(t⁻)‖² averaged over H (previous states detached), all
    /// averaged over the span's interactions.
    /// `detachTargets: false` keeps the targets' gradients (only for finite-difference checks, which
    /// cannot see a stop-gradient).
    func spanLoss(
        _ span: Range<Int>, data: JODIEInteractions, tracks: TrackVectors, state: JODIEEpochState, tape: Tape,
        detachTargets: Bool = true
    ) -> Variable {
        let h = config.dynamicSize, d = dimension, fw = config.featureWidth
        // Local indices of the span's users and items (in order of first appearance: deterministic).
        var localUser: [Int32: Int] = [:], localItem: [Int32: Int] = [:]
        var userIDs: [Int32] = [], itemIDs: [Int32] = []
        func item(_ track: Int32) {
            if localItem[track] == nil {
                localItem[track] = itemIDs.count
                itemIDs.append(track)
            }
        }
        for k in span {
            if localUser[data.user[k]] == nil {
                localUser[data.user[k]] = userIDs.count
                userIDs.append(data.user[k])
            }
            item(data.track[k])
            if data.previous[k] >= 0 { item(data.previous[k]) }
        }
        // Row 0: the learned initial state; then the states carried in from earlier spans.
        var userStart = [Float](repeating: 0, count: userIDs.count * h)
        for (j, user) in userIDs.enumerated() where state.userSeen[Int(user)] {
            userStart.replaceSubrange((j * h)..<((j + 1) * h), with: state.users[(Int(user) * h)..<((Int(user) + 1) * h)])
        }
        var users = StateRows(
            parts: [tape.parameter(initialUser), tape.constant(Tensor(shape: [userIDs.count, h], scalars: userStart))],
            current: userIDs.enumerated().map { state.userSeen[Int($1)] ? 1 + $0 : 0 },
            latest: userIDs.enumerated().map { state.userSeen[Int($1)] ? (1, $0) : nil })
        // Items: row 0 the initial state, row 1 zeros (no previous item), then the carried states.
        var itemStart = [Float](repeating: 0, count: itemIDs.count * h)
        for (j, track) in itemIDs.enumerated() where state.items.has(track) {
            itemStart.replaceSubrange((j * h)..<((j + 1) * h), with: state.items.states[(Int(track) * h)..<((Int(track) + 1) * h)])
        }
        var items = StateRows(
            parts: [
                tape.parameter(initialItem), tape.constant(.zeros([1, h])),
                tape.constant(Tensor(shape: [itemIDs.count, h], scalars: itemStart)),
            ],
            current: itemIDs.enumerated().map { state.items.has($1) ? 2 + $0 : 0 },
            latest: itemIDs.enumerated().map { state.items.has($1) ? (2, $0) : nil })

        var total: Variable?
        for batch in data.tBatches(span) {
            let b = batch.count
            let batchUsers = batch.map { localUser[data.user[$0]] ?? 0 }
            let batchItems = batch.map { localItem[data.track[$0]] ?? 0 }
            var gapU = [Float](repeating: 0, count: b), gapI = gapU, mask = gapU
            var itemStatic = [Float](repeating: 0, count: b * d), previousStatic = itemStatic, staticUser = itemStatic
            var features = [Float](repeating: 0, count: b * fw)
            var previousRows = [Int](repeating: 1, count: b)
            for (r, k) in batch.enumerated() {
                gapU[r] = data.userGap[k]
                gapI[r] = data.itemGap[k]
                let track = data.track[k], user = Int(data.user[k])
                mask[r] = tracks.hasVector(track) ? 1 : 0
                tracks.withVector(track) { itemStatic.replaceSubrange((r * d)..<((r + 1) * d), with: $0) }
                if data.previous[k] >= 0 {
                    tracks.withVector(data.previous[k]) { previousStatic.replaceSubrange((r * d)..<((r + 1) * d), with: $0) }
                    previousRows[r] = items.current[localItem[data.previous[k]] ?? 0]
                }
                var mean = Array(state.userSum[(user * d)..<((user + 1) * d)])
                mean.withUnsafeMutableBufferPointer { VectorOps.normalize($0) }
                staticUser.replaceSubrange((r * d)..<((r + 1) * d), with: mean)
                features.withUnsafeMutableBufferPointer { buffer in
                    if let base = buffer.baseAddress {
                        JODIEFeatures.write(into: base + r * fw, skip: data.skip[k], context: data.context[k], config: config)
                    }
                }
            }
            let userTable = users.table, itemTable = items.table
            let u = userTable.gather(batchUsers.map { users.current[$0] })
            let i = itemTable.gather(batchItems.map { items.current[$0] })
            let previous = itemTable.gather(previousRows)
            let userGap = tape.constant(Tensor(shape: [b, 1], scalars: gapU))
            let itemGap = tape.constant(Tensor(shape: [b, 1], scalars: gapI))
            let itemVector = tape.constant(Tensor(shape: [b, d], scalars: itemStatic))
            let feature = tape.constant(Tensor(shape: [b, fw], scalars: features))
            let terms = interactionLoss(
                user: u, item: i, previous: previous, userGap: userGap, itemGap: itemGap, itemStatic: itemVector,
                previousStatic: tape.constant(Tensor(shape: [b, d], scalars: previousStatic)),
                staticUser: tape.constant(Tensor(shape: [b, d], scalars: staticUser)), features: feature,
                mask: tape.constant(Tensor(shape: [b], scalars: mask)), detachTargets: detachTargets)
            total = total.map { $0 + terms.loss } ?? terms.loss
            users.append(terms.newUser, owners: batchUsers)
            items.append(terms.newItem, owners: batchItems)
            // The static user embedding of a user's next interaction includes this track.
            for (r, k) in batch.enumerated() {
                let user = Int(data.user[k])
                for j in 0..<d { state.userSum[user * d + j] += itemStatic[r * d + j] }
            }
        }
        // Carry the final states into the next span, detached.
        for (j, user) in userIDs.enumerated() {
            guard let value = users.value(j) else { continue }
            state.users.replaceSubrange((Int(user) * h)..<((Int(user) + 1) * h), with: value)
            state.userSeen[Int(user)] = true
        }
        var lastTime: [Int32: Int64] = [:]
        for k in span { lastTime[data.track[k]] = data.time[k] }
        for (j, track) in itemIDs.enumerated() where Int(track) < state.items.count {
            guard let value = items.value(j) else { continue }
            state.items.states.replaceSubrange((Int(track) * h)..<((Int(track) + 1) * h), with: value)
            state.items.seen[Int(track)] = true
            if let time = lastTime[track] { state.items.lastTime[Int(track)] = time }
        }
        return (total ?? tape.constant(Tensor(0))) * (1 / Float(max(1, span.count)))
    }

    /// The loss terms of one t-batch and the updated states.
    ///
    /// Shapes: `user`, `item`, `previous` `[B, H]`; gaps `[B, 1]`; static vectors `[B, D]`;
    /// `features` `[B, F]`; `mask` `[B]` (1 where the item is a prediction target).
    func interactionLoss(
        user: Variable, item: Variable, previous: Variable, userGap: Variable, itemGap: Variable, itemStatic: Variable,
        previousStatic: Variable, staticUser: Variable, features: Variable, mask: Variable, detachTargets: Bool = true
    ) -> (loss: Variable, newUser: Variable, newItem: Variable, prediction: Variable) {
        let tape = user.tape
        func held(_ state: Variable) -> Variable { detachTargets ? tape.constant(state.value) : state }
        let projected = projection(user, gap: userGap)
        let prediction = predictor(Variable.concatenate([projected, staticUser, previous, previousStatic], axis: 1))
        let target = Variable.concatenate([held(item), itemStatic], axis: 1)
        let predictionLoss = ((prediction - target).squared().mean(axis: 1) * mask).sum()
        let newUser = userRNN(Variable.concatenate([user, item, itemStatic, features, userGap], axis: 1)).tanh().l2Normalized()
        let newItem = itemRNN(Variable.concatenate([item, user, features, itemGap], axis: 1)).tanh().l2Normalized()
        let userDrift = (newUser - held(user)).squared().mean(axis: 1).sum()
        let itemDrift = (newItem - held(item)).squared().mean(axis: 1).sum()
        let loss = predictionLoss + userDrift * config.userDriftWeight + itemDrift * config.itemDriftWeight
        return (loss, newUser, newItem, prediction)
    }
}

extension Variable {
    /// Zeros each element with probability `rate` and scales survivors by 1/(1 − rate).
    ///
    /// Identity on an inference tape or when `rate` is 0. Draws from `tape.random`,
    /// so a tape seeded the same way drops the same elements.
    public func dropout(rate: Float) -> Variable {
        precondition(rate >= 0 && rate < 1, "dropout rate \(rate) outside [0, 1)")
        guard tape.isTraining, rate > 0 else { return self }
        let x = value
        let keep = 1 / (1 - rate)
        var mask = Tensor.zeros(x.shape)
        mask.withMutablePointer { mp in
            for i in 0..<x.count { mp[i] = tape.random.uniform() < rate ? 0 : keep }
        }
        let y = Tensor.binary(x, mask, .multiply)
        return tape.record(y, inputs: [self]) { tape, g in
            tape.accumulate(self.id) { gx in
                g.withPointer { gp in
                    mask.withPointer { mp in for i in 0..<g.count { gx[i] += gp[i] * mp[i] } }
                }
            }
        }
    }
}

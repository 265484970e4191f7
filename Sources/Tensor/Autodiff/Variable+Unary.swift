import RealModule

extension Variable {
    /// Records an element-wise map whose derivative is `derivative(x, y)` with y = f(x).
    ///
    /// Always inlined so each op's closures are specialised into tight loops.
    @inline(__always)
    func elementwise(
        _ forward: (Float) -> Float, derivative: @escaping (Float, Float) -> Float
    ) -> Variable {
        let x = value
        let y = x.map(forward)
        return tape.record(y, inputs: [self]) { tape, g in
            tape.accumulate(self.id) { gx in
                g.withPointer { gp in
                    x.withPointer { xp in
                        y.withPointer { yp in
                            for i in 0..<g.count { gx[i] += gp[i] * derivative(xp[i], yp[i]) }
                        }
                    }
                }
            }
        }
    }

    /// Hyperbolic tangent.
    public func tanh() -> Variable {
        elementwise({ Float.tanh($0) }, derivative: { _, y in 1 - y * y })
    }

    /// Logistic sigmoid 1 / (1 + e^-x).
    public func sigmoid() -> Variable {
        elementwise({ logisticSigmoid($0) }, derivative: { _, y in y * (1 - y) })
    }

    /// max(x, 0).
    public func relu() -> Variable {
        elementwise({ max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 })
    }

    /// x for x > 0, else slope · x (PyTorch's default slope is 0.01).
    public func leakyRelu(slope: Float = 0.01) -> Variable {
        elementwise({ $0 > 0 ? $0 : slope * $0 }, derivative: { x, _ in x > 0 ? 1 : slope })
    }

    /// e^x.
    public func exp() -> Variable {
        elementwise({ Float.exp($0) }, derivative: { _, y in y })
    }

    /// Natural logarithm.
    public func log() -> Variable {
        elementwise({ Float.log($0) }, derivative: { x, _ in 1 / x })
    }

    /// x².
    public func squared() -> Variable {
        elementwise({ $0 * $0 }, derivative: { x, _ in 2 * x })
    }

    /// √x.
    public func squareRoot() -> Variable {
        elementwise({ $0.squareRoot() }, derivative: { _, y in 0.5 / y })
    }
}

/// The logistic sigmoid, written to stay finite for large |x|.
@inline(__always)
func logisticSigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + Float.exp(-x)) }
    let e = Float.exp(x)
    return e / (1 + e)
}

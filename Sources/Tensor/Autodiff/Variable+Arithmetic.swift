/// Element-wise binary operations, broadcasting like NumPy.
enum BinaryOperation {
    case add, subtract, multiply, divide
}

extension Tensor {
    /// The element-wise result of `operation` on broadcast operands.
    static func binary(_ left: Tensor, _ right: Tensor, _ operation: BinaryOperation) -> Tensor {
        let plan = Broadcast(left.shape, right.shape)
        return Tensor.build(plan.shape) { out in
            left.withPointer { a in
                right.withPointer { b in
                    plan.forEachRun { o, ia, ib, n, sa, sb in
                        switch operation {
                        case .add: for j in 0..<n { out[o &+ j] = a[ia &+ j &* sa] + b[ib &+ j &* sb] }
                        case .subtract: for j in 0..<n { out[o &+ j] = a[ia &+ j &* sa] - b[ib &+ j &* sb] }
                        case .multiply: for j in 0..<n { out[o &+ j] = a[ia &+ j &* sa] * b[ib &+ j &* sb] }
                        case .divide: for j in 0..<n { out[o &+ j] = a[ia &+ j &* sa] / b[ib &+ j &* sb] }
                        }
                    }
                }
            }
        }
    }
}

extension Variable {
    /// Records `left op right` with broadcasting; gradients are summed back over broadcast axes.
    static func binary(_ left: Variable, _ right: Variable, _ operation: BinaryOperation) -> Variable {
        precondition(left.tape === right.tape, "operands from different tapes")
        let tape = left.tape
        let a = left.value, b = right.value
        let result = Tensor.binary(a, b, operation)
        return tape.record(result, inputs: [left, right]) { tape, g in
            let plan = Broadcast(a.shape, b.shape)
            let needLeft = tape.needsGradient(left), needRight = tape.needsGradient(right)
            g.withPointer { gp in
                a.withPointer { ap in
                    b.withPointer { bp in
                        if needLeft {
                            tape.accumulate(left.id) { ga in
                                plan.forEachRun { o, ia, ib, n, sa, sb in
                                    switch operation {
                                    case .add, .subtract:
                                        for j in 0..<n { ga[ia &+ j &* sa] += gp[o &+ j] }
                                    case .multiply:
                                        for j in 0..<n { ga[ia &+ j &* sa] += gp[o &+ j] * bp[ib &+ j &* sb] }
                                    case .divide:
                                        for j in 0..<n { ga[ia &+ j &* sa] += gp[o &+ j] / bp[ib &+ j &* sb] }
                                    }
                                }
                            }
                        }
                        if needRight {
                            tape.accumulate(right.id) { gb in
                                plan.forEachRun { o, ia, ib, n, sa, sb in
                                    switch operation {
                                    case .add:
                                        for j in 0..<n { gb[ib &+ j &* sb] += gp[o &+ j] }
                                    case .subtract:
                                        for j in 0..<n { gb[ib &+ j &* sb] -= gp[o &+ j] }
                                    case .multiply:
                                        for j in 0..<n { gb[ib &+ j &* sb] += gp[o &+ j] * ap[ia &+ j &* sa] }
                                    case .divide:
                                        for j in 0..<n {
                                            let bv = bp[ib &+ j &* sb]
                                            gb[ib &+ j &* sb] -= gp[o &+ j] * ap[ia &+ j &* sa] / (bv * bv)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Element-wise sum with broadcasting.
    public static func + (left: Variable, right: Variable) -> Variable { binary(left, right, .add) }
    /// Element-wise difference with broadcasting.
    public static func - (left: Variable, right: Variable) -> Variable { binary(left, right, .subtract) }
    /// Element-wise product with broadcasting.
    public static func * (left: Variable, right: Variable) -> Variable { binary(left, right, .multiply) }
    /// Element-wise quotient with broadcasting.
    public static func / (left: Variable, right: Variable) -> Variable { binary(left, right, .divide) }

    /// `scale * x + shift` element-wise, for scalar constants.
    public func affine(scale: Float, shift: Float = 0) -> Variable {
        let x = value
        let result = x.map { scale * $0 + shift }
        return tape.record(result, inputs: [self]) { tape, g in
            tape.accumulate(self.id) { gx in
                g.withPointer { gp in for i in 0..<g.count { gx[i] += scale * gp[i] } }
            }
        }
    }

    /// Adds a scalar constant.
    public static func + (left: Variable, right: Float) -> Variable { left.affine(scale: 1, shift: right) }
    /// Adds a scalar constant.
    public static func + (left: Float, right: Variable) -> Variable { right.affine(scale: 1, shift: left) }
    /// Subtracts a scalar constant.
    public static func - (left: Variable, right: Float) -> Variable { left.affine(scale: 1, shift: -right) }
    /// Subtracts from a scalar constant.
    public static func - (left: Float, right: Variable) -> Variable { right.affine(scale: -1, shift: left) }
    /// Multiplies by a scalar constant.
    public static func * (left: Variable, right: Float) -> Variable { left.affine(scale: right) }
    /// Multiplies by a scalar constant.
    public static func * (left: Float, right: Variable) -> Variable { right.affine(scale: left) }
    /// Divides by a scalar constant.
    public static func / (left: Variable, right: Float) -> Variable { left.affine(scale: 1 / right) }
    /// Negation.
    public static prefix func - (operand: Variable) -> Variable { operand.affine(scale: -1) }
}

/// How two shapes broadcast together (NumPy rules), with strides in element units.
struct Broadcast {
    /// The output shape.
    let shape: [Int]
    /// Stride of each operand per output dimension; 0 where the operand is broadcast.
    let leftStrides: [Int]
    let rightStrides: [Int]

    init(_ left: [Int], _ right: [Int]) {
        let rank = max(left.count, right.count)
        let paddedLeft = [Int](repeating: 1, count: rank - left.count) + left
        let paddedRight = [Int](repeating: 1, count: rank - right.count) + right
        var shape = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let l = paddedLeft[axis], r = paddedRight[axis]
            precondition(l == r || l == 1 || r == 1, "shapes \(left) and \(right) do not broadcast")
            shape[axis] = l == 1 ? r : l
        }
        self.shape = shape
        self.leftStrides = Broadcast.strides(paddedLeft, against: shape)
        self.rightStrides = Broadcast.strides(paddedRight, against: shape)
    }

    private static func strides(_ operand: [Int], against shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = operand[axis] == 1 && shape[axis] != 1 ? 0 : step
            step *= operand[axis]
        }
        return strides
    }

    /// Calls `body(out, left, right, length, leftStep, rightStep)` for each innermost run.
    ///
    /// Runs keep the inner loop free of index arithmetic so it can vectorise.
    func forEachRun(_ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        guard let inner = shape.last else {
            body(0, 0, 0, 1, 0, 0)
            return
        }
        let total = shape.reduce(1, *)
        guard total > 0 else { return }
        let outerRank = shape.count - 1
        let leftStep = leftStrides[outerRank], rightStep = rightStrides[outerRank]
        var index = [Int](repeating: 0, count: outerRank)
        var left = 0, right = 0, out = 0
        while out < total {
            body(out, left, right, inner, leftStep, rightStep)
            out &+= inner
            // Odometer increment over the outer dimensions.
            var axis = outerRank - 1
            while axis >= 0 {
                index[axis] &+= 1
                left &+= leftStrides[axis]
                right &+= rightStrides[axis]
                if index[axis] < shape[axis] { break }
                left &-= leftStrides[axis] &* shape[axis]
                right &-= rightStrides[axis] &* shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}

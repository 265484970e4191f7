import Foundation
import Testing

@testable import Tensor

@Suite struct FastMathTests {
    @Test func matchesLibmClosely() {
        var worstExp = 0.0, worstSigmoid = 0.0, worstTanh = 0.0
        for step in -200_000...200_000 {
            let x = Float(step) * 4.5e-4  // −90 … 90
            let reference = Foundation.exp(Double(x))
            if reference < Double(Float.greatestFiniteMagnitude) / 2, reference > 1e-37 {
                worstExp = max(worstExp, abs(Double(FastMath.exp(x)) - reference) / reference)
            }
            worstSigmoid = max(worstSigmoid, abs(Double(FastMath.sigmoid(x)) - 1 / (1 + Foundation.exp(-Double(x)))))
            worstTanh = max(worstTanh, abs(Double(FastMath.tanh(x)) - Foundation.tanh(Double(x))))
        }
        #expect(worstExp < 2e-7, "exp relative error \(worstExp)")
        #expect(worstSigmoid < 3e-7, "sigmoid absolute error \(worstSigmoid)")
        #expect(worstTanh < 3e-7, "tanh absolute error \(worstTanh)")
        #expect(FastMath.exp(1000).isFinite && FastMath.exp(-1000) >= 0)
        #expect(FastMath.sigmoid(-1000) == 0 || FastMath.sigmoid(-1000) < 1e-37)
        #expect(FastMath.tanh(50) == 1 && FastMath.tanh(-50) == -1)
    }
}

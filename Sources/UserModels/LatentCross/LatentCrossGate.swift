import Listening
import Tensor

/// The latent cross of Beutel et al. (WSDM 2018): `(1 + w_c) ∘ h`, where the context embedding
/// `w_c` is the sum of one learned embedding per context field.
///
/// Each field has a table `[values + 1, width]` whose row 0 is "unknown" (a missing or
/// out-of-vocabulary value), so an absent field gets its own learned effect and nothing is invented.
/// Built from tape ops (gather, add, multiply), so its gradients reach both `h` and the tables.
final class LatentCrossGate: Layer {
    /// The fields, in table order.
    let fields: [LatentCrossField]
    /// One table per field.
    let tables: [Parameter]
    /// Width of the gated vectors.
    let width: Int

    /// Tables initialised uniform in ±0.05, so the gate starts near the identity.
    init(fields: [LatentCrossField], config: LatentCrossConfig, width: Int, random: inout SeededRandom) {
        self.fields = fields
        self.width = width
        tables = fields.map { Parameter(Initializer.uniform(bound: 0.05).tensor([$0.rows(config: config), width], using: &random)) }
    }

    /// Gates `input` `[N, width]` row by row; `indices[f][n]` is row n's value index in field f's table.
    func callAsFunction(_ input: Variable, indices: [[Int]]) -> Variable {
        precondition(indices.count == fields.count, "one index list per context field")
        guard !fields.isEmpty else { return input }
        let tape = input.tape
        var embedding = tape.parameter(tables[0]).gather(indices[0])
        for f in 1..<fields.count { embedding = embedding + tape.parameter(tables[f]).gather(indices[f]) }
        return input + input * embedding
    }

    /// The context embedding `w_c` of one context (no tape), for inspection.
    func embedding(of context: SessionContext, config: LatentCrossConfig) -> [Float] {
        var sum = [Float](repeating: 0, count: width)
        for (f, field) in fields.enumerated() {
            let row = field.index(of: context, config: config)
            let values = tables[f].value.scalars
            for j in 0..<width { sum[j] += values[row * width + j] }
        }
        return sum
    }

    var namedParameters: [(name: String, parameter: Parameter)] {
        zip(fields, tables).map { ("\($0.rawValue).embedding", $1) }
    }
}

extension LatentCrossField {
    /// The row of `context`'s value in this field's table (0: unknown or out of vocabulary).
    func index(of context: SessionContext, config: LatentCrossConfig) -> Int {
        switch self {
        case .hour: return context.hour >= 0 && context.hour < 24 ? Int(context.hour) + 1 : 0
        case .daypart: return context.daypart.map { Int($0.rawValue) + 1 } ?? 0
        case .weekday: return context.weekday >= 0 && context.weekday < 7 ? Int(context.weekday) + 1 : 0
        case .device: return context.device >= 0 && Int(context.device) < config.deviceCount ? Int(context.device) + 1 : 0
        case .source: return context.source >= 0 && Int(context.source) < config.sourceCount ? Int(context.source) + 1 : 0
        }
    }
}

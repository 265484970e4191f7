import Listening
import Tensor

/// VAE-CF, the multinomial variational autoencoder of Liang et al. (WWW 2018), over each user's
/// bag of plays.
///
/// The input is the user's play counts over the catalogue, L2-normalised, with dropout. A tanh
/// encoder layer gives the mean and log-variance of a Gaussian latent; a reparameterised sample
/// goes through a tanh decoder layer to logits over the catalogue, and the loss is the multinomial
/// negative log-likelihood of the counts plus β·KL, with β annealed linearly to `betaMax`.
/// Prediction folds in the plays before the prediction point and uses the latent mean.
///
/// The first layer's weight is stored item-major (`[I, hidden]`, the transpose of a PyTorch
/// `Linear`), so folding in a play adds one contiguous row. Not thread-safe while training;
/// prediction only reads the parameters.
public final class VAECF: Layer {
    /// The settings the model was built with.
    public let config: VAECFConfig
    /// The items the softmax runs over.
    public let catalogue: VAECFCatalogue

    /// `[I, hidden]`: row i is what one play of item i adds to the first layer.
    let inputWeight: Parameter
    /// `[hidden]`.
    let inputBias: Parameter
    let encoderMean: Linear
    let encoderLogVariance: Linear
    let decoderHidden: Linear
    let decoderOutput: Linear

    /// A freshly initialised model over `catalogue` (Xavier-uniform weights, zero biases, as the paper).
    public init(config: VAECFConfig, catalogue: VAECFCatalogue) throws {
        try config.validate()
        self.config = config
        self.catalogue = catalogue
        var random = SeededRandom(seed: config.seed)
        let (items, hidden, latent) = (catalogue.count, config.hidden, config.latent)
        inputWeight = Parameter(Initializer.xavierUniform.tensor([items, hidden], using: &random))
        inputBias = Parameter(.zeros([hidden]))
        encoderMean = Linear(inputSize: hidden, outputSize: latent, random: &random)
        encoderLogVariance = Linear(inputSize: hidden, outputSize: latent, random: &random)
        decoderHidden = Linear(inputSize: latent, outputSize: hidden, random: &random)
        decoderOutput = Linear(inputSize: hidden, outputSize: items, random: &random)
    }

    /// A fresh model over the catalogue of `users`' training sessions (at most `config.maxCatalogue` tracks).
    public convenience init(config: VAECFConfig, users: [[Session]], trackCount: Int, split: TimeSplit = TimeSplit()) throws {
        try config.validate()
        try self.init(
            config: config, catalogue: .build(users: users, split: split, trackCount: trackCount, maximumSize: config.maxCatalogue))
    }

    /// Name used in tables.
    public var name: String { config.name }

    /// Every parameter, with names that say which part of the model it belongs to.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        [("encoder.input.weight_items", inputWeight), ("encoder.input.bias", inputBias)]
            + encoderMean.namedParameters(prefix: "encoder.mean")
            + encoderLogVariance.namedParameters(prefix: "encoder.log_variance")
            + decoderHidden.namedParameters(prefix: "decoder.layer0")
            + decoderOutput.namedParameters(prefix: "decoder.layer1")
    }
}

/// The loss of one batch and its parts.
struct VAECFLoss {
    /// NLL + β·KL.
    var total: Variable
    /// Multinomial negative log-likelihood, summed over items, averaged over users.
    var likelihood: Variable
    /// KL to the prior, summed over the latent, averaged over users (β not applied).
    var kl: Variable
}

extension VAECF {
    /// The first layer's activation `[B, hidden]` for L2-normalised bags `[B, I]` (a constant).
    func encoderHidden(_ normalisedBags: Variable) -> Variable {
        let tape = normalisedBags.tape
        let input = normalisedBags.dropout(rate: config.dropout)
        return (input.matmul(tape.parameter(inputWeight)) + tape.parameter(inputBias)).tanh()
    }

    /// The decoder: latent `[B, K]` → logits `[B, I]`.
    func decode(_ latent: Variable) -> Variable {
        decoderOutput(decoderHidden(latent).tanh())
    }

    /// The training loss of the bags `counts` `[B, I]`: multinomial NLL + `beta`·KL, averaged over users.
    func loss(counts: Tensor, tape: Tape, beta: Float) -> VAECFLoss {
        let hidden = encoderHidden(tape.constant(Self.l2NormalisedRows(counts)))
        let mean = encoderMean(hidden), logVariance = encoderLogVariance(hidden)
        let logits = decode(tape.sampleGaussian(mean: mean, logVariance: logVariance))
        let likelihood = Self.multinomialNLL(logits: logits, counts: counts)
        let kl = Loss.gaussianKLDivergence(mean: mean, logVariance: logVariance)
        return VAECFLoss(total: likelihood + kl * beta, likelihood: likelihood, kl: kl)
    }

    /// −Σᵢ xᵢ log softmax(logits)ᵢ per row, averaged over rows: the multinomial log-likelihood (without
    /// the multinomial coefficient, which does not depend on the parameters).
    ///
    /// Built from existing ops as n·logsumexp(ℓ) − x·ℓ with n = Σᵢ xᵢ; the row maximum is taken out
    /// as a constant first, which changes neither value nor gradient but keeps exp from overflowing,
    /// and the log's argument is then at least 1.
    static func multinomialNLL(logits: Variable, counts: Tensor) -> Variable {
        let tape = logits.tape
        let value = logits.value
        let (rows, width) = (value.shape[0], value.shape[1])
        var maxima = [Float](repeating: 0, count: rows), totals = maxima
        value.withUnsafeBufferPointer { v in
            counts.withUnsafeBufferPointer { x in
                for r in 0..<rows {
                    var m = -Float.infinity, n: Float = 0
                    for i in 0..<width {
                        m = max(m, v[r &* width &+ i])
                        n += x[r &* width &+ i]
                    }
                    maxima[r] = m
                    totals[r] = n
                }
            }
        }
        let shifted = logits - tape.constant(Tensor(shape: [rows, 1], scalars: maxima))
        let logSumExp = shifted.exp().sum(axis: 1).log()
        let observed = (shifted * tape.constant(counts)).sum(axis: 1)
        return (logSumExp * tape.constant(Tensor(shape: [rows], scalars: totals)) - observed).mean()
    }

    /// Each row of `counts` `[B, I]` divided by its L2 norm (zero rows stay zero), as the paper's input.
    static func l2NormalisedRows(_ counts: Tensor) -> Tensor {
        var out = counts
        let width = counts.shape[1]
        out.withUnsafeMutableBufferPointer { buffer in
            for r in 0..<counts.shape[0] {
                VectorOps.normalize(UnsafeMutableBufferPointer(rebasing: buffer[(r * width)..<((r + 1) * width)]))
            }
        }
        return out
    }
}

import Listening
import Synchronization
import Tensor

/// FS-VAE (Fazelnia et al., WSDM 2022): a variational user model over slow and fast features
/// that predicts the embedding of the next track.
///
/// A sequential encoder (stacked LSTM, LeakyReLU) reads the last w tracks, each its embedding plus
/// scalars; a feed-forward encoder (two LeakyReLU layers) reads per-user aggregates. Each gives a
/// Gaussian latent of size K; the two are concatenated, reparameterised, and a two-layer decoder
/// outputs the next track's embedding. Prediction uses the latent mean. With
/// `FSVAEConfig.aggregatesWindow` one feed-forward layer over the mean of the window's steps takes
/// the LSTM's place (the Aggregate sequence baseline).
///
/// Not thread-safe while training; prediction only reads the parameters.
public final class FSVAE: Layer {
    /// The settings the model was built with.
    public let config: FSVAEConfig
    /// Dimension of the track space.
    public let dimension: Int

    let sequential: LSTM?
    /// The layer over the window's mean that replaces the LSTM with `config.aggregatesWindow`.
    let fastAggregate: Linear?
    let fastMean: Linear?
    let fastLogVariance: Linear?
    let slowFirst: Linear?
    let slowSecond: Linear?
    let slowMean: Linear?
    let slowLogVariance: Linear?
    let decoderHidden: Linear
    let decoderOutput: Linear
    /// The decoder's log σ²_x head, when the likelihood variance is learned.
    let decoderLogVariance: Linear?
    /// The recurrent model's g: [z^s, z^n] → z_u (nil for concatenation and the windowed model).
    let combinationCell: Linear?
    /// The recurrent model's h_t = GRU([window summary, z_u(t)], h_{t−1}) (nil for the windowed model).
    let stateCell: GRULayer?
    /// The recurrent model's slow decoder over z^n (Eq. 2); `decoderHidden`/`decoderOutput` are then the fast one.
    let slowDecoderHidden: Linear?
    let slowDecoderOutput: Linear?
    /// Per-feature mean and standard deviation of the slow features, set from the training
    /// examples (counts grow over years, so they are standardised) and saved with checkpoints.
    var slowNormalization: (mean: [Float], deviation: [Float])
    /// The recurrent state after the last session-start history a query ran over (`recurrentQuery`).
    let historyCache = Mutex<FSVAEHistoryCache?>(nil)

    /// Builds a freshly initialised model for a `dimension`-d track space.
    public init(config: FSVAEConfig, dimension: Int) throws {
        try config.validate()
        try ConfigurationError.require(dimension >= 1, "FS-VAE", field: "dimension", allowed: "≥ 1", value: dimension)
        self.config = config
        self.dimension = dimension
        let slowWidth = config.slowWidth(dimension: dimension)
        slowNormalization = ([Float](repeating: 0, count: slowWidth), [Float](repeating: 1, count: slowWidth))
        var random = SeededRandom(seed: config.seed)
        let k = config.latent
        if config.usesFastFeatures {
            let width = config.fastWidth(dimension: dimension)
            if config.aggregatesWindow {
                sequential = nil
                fastAggregate = Linear(inputSize: width, outputSize: config.sequentialHidden, random: &random)
            } else {
                sequential = LSTM(
                    inputSize: width, hiddenSize: config.sequentialHidden,
                    layerCount: config.sequentialLayers, dropout: config.dropout, random: &random)
                fastAggregate = nil
            }
            // The recurrent model's fast posterior reads the window and h_{t−1} (Eq. 5).
            let posteriorInput = config.sequentialHidden + (config.recurrentHidden ?? 0)
            fastMean = Linear(inputSize: posteriorInput, outputSize: k, random: &random)
            fastLogVariance = config.probabilistic ? Linear(inputSize: posteriorInput, outputSize: k, random: &random) : nil
        } else {
            (sequential, fastAggregate, fastMean, fastLogVariance) = (nil, nil, nil, nil)
        }
        if config.usesSlowFeatures {
            slowFirst = Linear(inputSize: slowWidth, outputSize: config.slowHidden, random: &random)
            slowSecond = Linear(inputSize: config.slowHidden, outputSize: config.slowHidden, random: &random)
            slowMean = Linear(inputSize: config.slowHidden, outputSize: k, random: &random)
            slowLogVariance = config.probabilistic ? Linear(inputSize: config.slowHidden, outputSize: k, random: &random) : nil
        } else {
            (slowFirst, slowSecond, slowMean, slowLogVariance) = (nil, nil, nil, nil)
        }
        let latentSize = k * ((config.usesFastFeatures ? 1 : 0) + (config.usesSlowFeatures ? 1 : 0))
        if let stateSize = config.recurrentHidden {
            // The fast decoder reads [z^s, h_{t−1}]; without fast features, h_{t−1} alone.
            let fastLatent = config.usesFastFeatures ? k : 0
            decoderHidden = Linear(inputSize: fastLatent + stateSize, outputSize: config.decoderHidden, random: &random)
            decoderOutput = Linear(inputSize: config.decoderHidden, outputSize: dimension, random: &random)
            if config.usesSlowFeatures {
                slowDecoderHidden = Linear(inputSize: k, outputSize: config.decoderHidden, random: &random)
                slowDecoderOutput = Linear(inputSize: config.decoderHidden, outputSize: dimension, random: &random)
            } else {
                (slowDecoderHidden, slowDecoderOutput) = (nil, nil)
            }
            combinationCell =
                config.latentCombination == .cell ? Linear(inputSize: latentSize, outputSize: k, random: &random) : nil
            let representation = config.latentCombination == .cell ? k : latentSize
            let windowSummary = config.usesFastFeatures ? config.sequentialHidden : 0
            stateCell = GRULayer(inputSize: windowSummary + representation, hiddenSize: stateSize, random: &random)
            decoderLogVariance = nil
        } else {
            decoderHidden = Linear(inputSize: latentSize, outputSize: config.decoderHidden, random: &random)
            decoderOutput = Linear(inputSize: config.decoderHidden, outputSize: dimension, random: &random)
            decoderLogVariance =
                config.reconstructionVariance == nil
                ? Linear(inputSize: config.decoderHidden, outputSize: dimension, random: &random) : nil
            (slowDecoderHidden, slowDecoderOutput, combinationCell, stateCell) = (nil, nil, nil, nil)
        }
        // Start with small posterior variances: unit noise at initialisation drowns the latent
        // before the decoder learns to read it, and the KL term then collapses it to the prior.
        for head in [fastLogVariance, slowLogVariance].compactMap({ $0 }) {
            head.bias?.value = Tensor(shape: [k], repeating: config.initialLogVariance ?? Self.initialLogVariance)
        }
    }

    /// Initial bias of the log-variance heads (variance e⁻¹⁰ ≈ 5e-5: training starts as an autoencoder and the KL term grows the variance).
    static let initialLogVariance: Float = -10

    /// Size of the concatenated latent (K per encoder that exists).
    public var latentSize: Int { config.latent * ((config.usesFastFeatures ? 1 : 0) + (config.usesSlowFeatures ? 1 : 0)) }

    /// Size of the user representation z_u: K with the learned cell, else the concatenated latent.
    public var representationSize: Int { combinationCell == nil ? latentSize : config.latent }

    /// Name used in tables.
    public var name: String { config.name }

    /// Every parameter, with names that say which part of the model it belongs to.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        var all: [(name: String, parameter: Parameter)] = []
        if let sequential { all += sequential.namedParameters(prefix: "fast.lstm") }
        if let fastAggregate { all += fastAggregate.namedParameters(prefix: "fast.aggregate") }
        if let fastMean { all += fastMean.namedParameters(prefix: "fast.mean") }
        if let fastLogVariance { all += fastLogVariance.namedParameters(prefix: "fast.log_variance") }
        if let slowFirst { all += slowFirst.namedParameters(prefix: "slow.layer0") }
        if let slowSecond { all += slowSecond.namedParameters(prefix: "slow.layer1") }
        if let slowMean { all += slowMean.namedParameters(prefix: "slow.mean") }
        if let slowLogVariance { all += slowLogVariance.namedParameters(prefix: "slow.log_variance") }
        if config.isRecurrent {
            all += decoderHidden.namedParameters(prefix: "decoder.fast.layer0")
            all += decoderOutput.namedParameters(prefix: "decoder.fast.layer1")
            if let slowDecoderHidden { all += slowDecoderHidden.namedParameters(prefix: "decoder.slow.layer0") }
            if let slowDecoderOutput { all += slowDecoderOutput.namedParameters(prefix: "decoder.slow.layer1") }
            if let combinationCell { all += combinationCell.namedParameters(prefix: "combination") }
            if let stateCell { all += stateCell.namedParameters(prefix: "state.gru") }
        } else {
            all += decoderHidden.namedParameters(prefix: "decoder.layer0")
            all += decoderOutput.namedParameters(prefix: "decoder.layer1")
        }
        if let decoderLogVariance { all += decoderLogVariance.namedParameters(prefix: "decoder.log_variance") }
        return all
    }
}

/// One mini-batch as tensors: the fast window, the slow features and the target embeddings.
struct FSVAEBatch {
    /// `[B, w, D + scalars]`, or nil without fast features.
    var fast: Tensor?
    /// `[B, w]` of 0/1 (padding is 0), or nil without fast features.
    var mask: Tensor?
    /// `[B, S]`, or nil without slow features.
    var slow: Tensor?
    /// `[B, D]` next-track embeddings.
    var target: Tensor
    var size: Int { target.shape[0] }
}

/// The loss of one batch and its parts.
struct FSVAELoss {
    var total: Variable
    var reconstruction: Variable
    /// β is not applied; nil for the non-probabilistic models.
    var kl: Variable?
    var prediction: Variable
}

extension FSVAE {
    /// The posterior mean and log-variance `[B, latentSize]` (log-variance nil when deterministic).
    func encode(_ batch: FSVAEBatch, tape: Tape) -> (mean: Variable, logVariance: Variable?) {
        var means: [Variable] = []
        var logVariances: [Variable] = []
        let rate = config.dropout
        if let fastMean, let fast = batch.fast, let summary = fastSummary(fast, mask: batch.mask, tape: tape) {
            let hidden = summary.leakyRelu().dropout(rate: rate)
            means.append(fastMean(hidden))
            if let fastLogVariance { logVariances.append(fastLogVariance(hidden)) }
        }
        if let slowFirst, let slowSecond, let slowMean, let slow = batch.slow {
            let first = slowFirst(tape.constant(slow)).leakyRelu().dropout(rate: rate)
            let hidden = slowSecond(first).leakyRelu().dropout(rate: rate)
            means.append(slowMean(hidden))
            if let slowLogVariance { logVariances.append(slowLogVariance(hidden)) }
        }
        let mean = means.count == 1 ? means[0] : Variable.concatenate(means, axis: 1)
        guard config.probabilistic else { return (mean, nil) }
        let logVariance = logVariances.count == 1 ? logVariances[0] : Variable.concatenate(logVariances, axis: 1)
        return (mean, logVariance)
    }

    /// The fast encoder's output `[B, sequentialHidden]` before its activation: the aggregate layer
    /// over the window's mean, or the LSTM's last step (nil without fast features).
    func fastSummary(_ fast: Tensor, mask: Tensor?, tape: Tape) -> Variable? {
        if let fastAggregate {
            // The inputs are constants, so the mean is taken outside the tape.
            return fastAggregate(tape.constant(Self.windowMean(fast, mask: mask)))
        }
        guard let sequential else { return nil }
        let (output, _) = sequential(tape.constant(fast), mask: mask)
        let steps = fast.shape[1]
        // Left padding puts the last real step at the end of every row.
        return output.slice(axis: 1, (steps - 1)..<steps).reshaped([fast.shape[0], config.sequentialHidden])
    }

    /// The mean `[B, F]` of each row's real window steps in `fast` `[B, w, F]`; padding steps (mask 0)
    /// are left out, and a row without a real step is all zero.
    static func windowMean(_ fast: Tensor, mask: Tensor?) -> Tensor {
        let (rows, steps, width) = (fast.shape[0], fast.shape[1], fast.shape[2])
        let weights = mask?.scalars ?? [Float](repeating: 1, count: rows * steps)
        var out = [Float](repeating: 0, count: rows * width)
        fast.withUnsafeBufferPointer { values in
            for row in 0..<rows {
                var count: Float = 0
                for step in 0..<steps where weights[row * steps + step] > 0 {
                    count += 1
                    let base = (row * steps + step) * width
                    for j in 0..<width { out[row * width + j] += values[base + j] }
                }
                if count > 1 { for j in 0..<width { out[row * width + j] /= count } }
            }
        }
        return Tensor(shape: [rows, width], scalars: out)
    }

    /// The decoder: latent `[B, latentSize]` → predicted embedding `[B, D]`.
    func decode(_ latent: Variable) -> Variable {
        decodeDistribution(latent).mean
    }

    /// The decoder's mean `[B, D]` and, when learned, its log σ²_x `[B, D]`.
    ///
    /// σ²_x = exp(raw) + 1e-4: the floor keeps the likelihood bounded when a dimension is fitted exactly.
    func decodeDistribution(_ latent: Variable) -> (mean: Variable, logVariance: Variable?) {
        let hidden = decoderHidden(latent).leakyRelu().dropout(rate: config.dropout)
        let logVariance = decoderLogVariance.map { $0(hidden).exp().affine(scale: 1, shift: Self.minimumDecoderVariance).log() }
        return (decoderOutput(hidden), logVariance)
    }

    /// The floor of the learned likelihood variance.
    static let minimumDecoderVariance: Float = 1e-4

    /// The Gaussian negative log-likelihood of the batch's targets, averaged over the batch (constants dropped).
    func reconstruction(_ prediction: Variable, logVariance: Variable?, target: Tensor) -> Variable {
        let squared = (prediction - prediction.tape.constant(target)).squared()
        guard let logVariance else {
            return squared.sum(axis: -1).mean() * (1 / (2 * (config.reconstructionVariance ?? 1)))
        }
        return ((squared * logVariance.affine(scale: -1).exp() + logVariance).sum(axis: -1).mean()) * 0.5
    }

    /// Reconstruction (the Gaussian likelihood, learned or fixed σ²) averaged over the batch, plus β·KL when probabilistic.
    ///
    /// `klWeight` overrides β (KL annealing during training).
    func loss(_ batch: FSVAEBatch, tape: Tape, klWeight: Float? = nil) -> FSVAELoss {
        let (mean, logVariance) = encode(batch, tape: tape)
        let latent = logVariance.map { tape.sampleGaussian(mean: mean, logVariance: $0) } ?? mean
        let decoded = decodeDistribution(latent)
        let prediction = decoded.mean
        let reconstruction = reconstruction(prediction, logVariance: decoded.logVariance, target: batch.target)
        guard let logVariance else {
            return FSVAELoss(total: reconstruction, reconstruction: reconstruction, kl: nil, prediction: prediction)
        }
        let kl = Loss.gaussianKLDivergence(mean: mean, logVariance: logVariance)
        return FSVAELoss(
            total: reconstruction + kl * (klWeight ?? config.beta), reconstruction: reconstruction, kl: kl, prediction: prediction)
    }
}

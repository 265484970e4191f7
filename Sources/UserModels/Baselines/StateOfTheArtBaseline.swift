import Foundation
import Listening

/// The state-of-the-art baselines both papers compare against, trained like CoSeRNN and FS-VAE.
///
/// JODIE (Kumar et al., KDD 2019), LatentCross (Beutel et al., WSDM 2018) and VAE-CF (Liang et al.,
/// WWW 2018); Docs/baselines.md states how each follows its paper. Every one trains through
/// `TrainingLoop` with the `TrainingOptions` it is given, so an experiment can give all its trained
/// rows the same budget; each reads `batchSize` in its own unit (Docs/baselines.md).
public enum StateOfTheArtBaseline: String, CaseIterable, Codable, Sendable {
    case jodie
    case latentCross = "latentcross"
    case vaeCF = "vaecf"

    /// The name in tables: "JODIE", "LatentCross" or "VAE-CF".
    public var name: String {
        switch self {
        case .jodie: "JODIE"
        case .latentCross: "LatentCross"
        case .vaeCF: "VAE-CF"
        }
    }

    /// A fresh model with the default sizes for `tracks` and `vocabulary`, trained on `users`' training sessions.
    ///
    /// `checkpoint` and `resume` work as for CoSeRNN: a checkpoint after every epoch, and a stopped run
    /// continued from it ends as an uninterrupted one would.
    public func train(
        users: [[Session]], tracks: TrackVectors, vocabulary: Vocabulary, split: TimeSplit, options: TrainingOptions,
        checkpoint: URL? = nil, resume: Bool = false, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> TrainedBaseline {
        switch self {
        case .jodie:
            let config = JODIEConfig(deviceCount: vocabulary.devices.count, sourceCount: vocabulary.sources.count, seed: options.seed)
            let model = try JODIE(config: config, dimension: tracks.dimension)
            let result = try model.train(
                users: users, tracks: tracks, split: split, options: options,
                checkpoint: checkpoint, resume: resume, progress: progress)
            return TrainedBaseline(predictor: try JODIEUserModel(model: model, tracks: tracks), result: result, save: model.save)
        case .latentCross:
            let config = LatentCrossConfig(deviceCount: vocabulary.devices.count, sourceCount: vocabulary.sources.count, seed: options.seed)
            let model = try LatentCross(config: config, dimension: tracks.dimension)
            let result = try model.train(
                users: users, tracks: tracks, split: split, options: options,
                checkpoint: checkpoint, resume: resume, progress: progress)
            return TrainedBaseline(predictor: try LatentCrossUserModel(model: model, tracks: tracks), result: result, save: model.save)
        case .vaeCF:
            var config = VAECFConfig()
            config.seed = options.seed
            let catalogue = try VAECFCatalogue.build(users: users, split: split, trackCount: tracks.count, maximumSize: config.maxCatalogue)
            let model = try VAECF(config: config, catalogue: catalogue)
            let result = try model.train(
                users: users, tracks: tracks, split: split, options: options,
                checkpoint: checkpoint, resume: resume, progress: progress)
            return TrainedBaseline(predictor: try VAECFUserModel(model: model, tracks: tracks), result: result, save: model.save)
        }
    }

    /// The model `save` wrote to `url`, bound to `tracks`.
    public func load(from url: URL, tracks: TrackVectors) throws -> any UserModel & NextTrackPredictor {
        switch self {
        case .jodie: try JODIEUserModel(model: JODIE.load(from: url), tracks: tracks)
        case .latentCross: try LatentCrossUserModel(model: LatentCross.load(from: url), tracks: tracks)
        case .vaeCF: try VAECFUserModel(model: VAECF.load(from: url), tracks: tracks)
        }
    }
}

/// A trained state-of-the-art baseline: its predictor, how training ended, and a way to save it.
public struct TrainedBaseline {
    /// The trained model as a session and next-track predictor.
    public let predictor: any UserModel & NextTrackPredictor
    /// The training loop's end state (best epoch, validation curve).
    public let result: TrainingResult
    let saveModel: (URL) throws -> Void

    init(predictor: any UserModel & NextTrackPredictor, result: TrainingResult, save: @escaping (URL) throws -> Void) {
        self.predictor = predictor
        self.result = result
        saveModel = save
    }

    /// Saves the weights and config atomically (safetensors with the config as metadata).
    public func save(to url: URL) throws { try saveModel(url) }
}

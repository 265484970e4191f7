// `SeededRandom` is part of Tensor's API (initialisers and dropout take one) but lives in the
// Randomness module, which Listening shares; re-exporting it keeps `import Tensor` enough.
@_exported import Randomness

import Testing

@testable import Tensor

/// The kernel override asks for what the CPU's flags support, and only when OpenBLAS chose generic kernels.
struct BLASKernelTests {
    @Test func genericKernelsOnCapableCPUsAreUpgradedAndOthersLeftAlone() {
        let avx512: Set = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"]
        #expect(BLASKernel.better(than: "Prescott", flags: avx512) == "SkylakeX")
        #expect(BLASKernel.better(than: "Prescott", flags: ["sse3", "avx", "avx2", "fma"]) == "Haswell")
        #expect(BLASKernel.better(than: "Prescott", flags: ["sse3", "avx"]) == "Sandybridge")
        #expect(BLASKernel.better(than: "Prescott", flags: ["sse3"]) == nil)
        // OpenBLAS's own choice of a modern kernel stands.
        #expect(BLASKernel.better(than: "Haswell", flags: avx512) == nil)
        #expect(BLASKernel.better(than: "Zen", flags: avx512) == nil)
    }
}

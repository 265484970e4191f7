import Foundation

#if canImport(COpenBLAS)
import COpenBLAS
#endif

/// Which OpenBLAS kernels run, and which faster ones the CPU supports.
///
/// OpenBLAS picks its kernels from the CPU model at load time. Virtual machines that report a generic
/// model ("Intel Xeon Processor") get the SSE3 `Prescott` kernels even when the CPU has AVX2 or
/// AVX-512, which makes every matrix product two to three times slower (`setlist bench tensor`).
/// OpenBLAS reads `OPENBLAS_CORETYPE` only when it loads, so a process has to be started with it set.
public enum BLASKernel {
    /// The kernel family OpenBLAS is using ("Prescott", "Haswell", "SkylakeX", …; "unknown" without OpenBLAS).
    public static var current: String {
        #if canImport(COpenBLAS)
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
        #else
        return "unknown"
        #endif
    }

    /// Kernel families that use none of AVX, AVX2 or AVX-512.
    static let generic: Set<String> = ["prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "unknown"]

    /// The kernel to ask for when OpenBLAS chose a generic one on a CPU with the instruction-set
    /// `flags` (as /proc/cpuinfo lists them); nil when its own choice is as good.
    public static func better(than current: String, flags: Set<String>) -> String? {
        guard generic.contains(current.lowercased()) else { return nil }
        if ["avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"].allSatisfy(flags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(flags.contains) { return "Haswell" }
        if flags.contains("avx") { return "Sandybridge" }
        return nil
    }

    /// This machine's CPU flags from /proc/cpuinfo (empty where there is none).
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}

import Foundation

/// Sweep progress on standard error: a live line (done/total, rate, ETA) on a terminal, plain log
/// lines (about every 5%) otherwise. Wall-clock time appears here only, never in a result.
final class SweepProgress: @unchecked Sendable {
    private let total: Int
    private let interactive: Bool
    private let start = DispatchTime.now().uptimeNanoseconds
    private var done = 0
    private var lastLogged = -1
    private let enabled: Bool

    init(total: Int, alreadyDone: Int, enabled: Bool) {
        self.total = total
        self.done = alreadyDone
        self.interactive = isatty(STDERR_FILENO) != 0
        self.enabled = enabled
        if enabled && alreadyDone > 0 { emit("resuming: \(alreadyDone)/\(total) runs already done\n") }
    }

    /// One more run finished (call under the sweep's lock).
    func tick(resumedFrom: Int) {
        done += 1
        guard enabled else { return }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let fresh = done - resumedFrom
        let rate = elapsed > 0 ? Double(fresh) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let text = String(format: "runs %d/%d, %.1f runs/s, ETA %.0f s", done, total, rate, eta)
        if interactive {
            emit("\r\u{1B}[K" + text + (done == total ? "\n" : ""))
        } else {
            let step = max(1, total / 20)
            if done == total || done / step != lastLogged {
                lastLogged = done / step
                emit(text + "\n")
            }
        }
    }

    private func emit(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}

import Foundation
import KFTestSupport

/// Locations in the repository and beside it, for tests that read real files.
enum Paths {
    /// The repository root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// A scenario shipped in `scenarios/`.
    static func scenario(_ name: String) -> String { root.appendingPathComponent("scenarios/\(name)").path }
    /// `../shared/data`, if present.
    static var sharedData: String? {
        let p = root.deletingLastPathComponent().appendingPathComponent("shared/data").path
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }
    /// A fresh temporary folder, removed with the test process's scratch space.
    static func temporary() -> String { (try? Scratch.folder()) ?? Scratch.path("test") }
}

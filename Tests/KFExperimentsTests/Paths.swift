import Foundation

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
    /// A fresh temporary folder.
    static func temporary() -> String {
        let p = NSTemporaryDirectory() + "kfsim-test-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }
}

import Foundation

/// Scratch space for tests. Every folder and file a test makes lives under one root per test process
/// (`$TMPDIR/kfsim-tests-<pid>`), removed when the process exits; roots of test processes that died
/// (untouched for a day) are removed by a later one. A test run leaves nothing in the temporary folder, so it does not fill
/// up over many runs.
public enum Scratch {
    /// This process's root, created on first use.
    public static let root: String = {
        let base = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
        removeRootsOfDeadProcesses(in: base)
        let path = base + "kfsim-tests-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: Scratch.root) }
        return path
    }()

    /// A fresh path under the root, not created: `<root>/<label>-<uuid>`.
    public static func path(_ label: String) -> String { "\(root)/\(label)-\(UUID().uuidString)" }

    /// A fresh folder under the root holding `files` (name: contents).
    public static func folder(_ label: String = "test", files: [String: String] = [:]) throws -> String {
        let dir = path(label)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
        return dir
    }

    private static func removeRootsOfDeadProcesses(in base: String) {
        let prefix = "kfsim-tests-"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where entry.hasPrefix(prefix) {
            // A process of another PID namespace sharing this folder also looks gone: only a day's
            // quiet makes a root abandoned.
            guard let pid = Int32(entry.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH,
                  let modified = (try? FileManager.default.attributesOfItem(atPath: base + entry))?[.modificationDate] as? Date,
                  modified < Date(timeIntervalSinceNow: -86_400) else { continue }
            try? FileManager.default.removeItem(atPath: base + entry)
        }
    }
}

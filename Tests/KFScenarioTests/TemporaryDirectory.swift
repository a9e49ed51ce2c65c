import Foundation

/// A fresh temporary folder holding `files` (name: contents), for scenarios and manifests written by tests.
func temporaryDirectory(_ files: [String: String] = [:]) throws -> String {
    let dir = NSTemporaryDirectory() + "kfsim-scenario-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for (name, text) in files { try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
    return dir
}

import Foundation
import KFTestSupport

/// A fresh temporary folder holding `files` (name: contents), for scenarios and manifests written by
/// tests; removed with the test process's scratch space.
func temporaryDirectory(_ files: [String: String] = [:]) throws -> String { try Scratch.folder("scenario", files: files) }

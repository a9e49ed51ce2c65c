import CSystem
import Foundation

/// Output folders kfsim owns. kfsim writes into a folder that is missing, empty or its own (it holds
/// the `.kfsim-output` marker), and never into one holding other files. It replaces its own folder as
/// a whole: the files go into a fresh staging folder (in `.<name>.staging` beside it), which is then swapped in atomically
/// (`renameat2` with `RENAME_EXCHANGE`), so a reader sees the old outputs or the new ones, never a mix
/// and never a stale file of an earlier run.
public enum OutputFolder {
    /// The marker file of a folder kfsim wrote.
    public static let markerName = ".kfsim-output"
    /// Files kfsim writes (a folder of only these, from before the marker, counts as kfsim's).
    static let knownNames: Set<String> = [
        "pods.csv", "jobs.csv", "timeseries.csv", "summary.json", "training.csv", "training-timeline.csv", "events.csv",
        "trace.json", "runs.csv", "points.csv", "comparisons.csv", "sweep.json", ".sweep-journal", "speedup.csv", "fit.json",
        "report.html", "nodes.csv",
    ]

    /// Why an output folder was refused (bad argument: exit 2) or could not be written (exit 1).
    public struct Problem: Error, CustomStringConvertible {
        /// The folder.
        public var path: String
        /// What is wrong.
        public var reason: String
        /// True when the folder is refused (it holds files kfsim did not write).
        public var refused: Bool
        public var description: String { "\(path): \(reason)" }
    }

    /// Whether kfsim may write into `dir`: missing, empty, or written by kfsim.
    public static func check(_ dir: String) throws(Problem) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw Problem(path: dir, reason: "exists and is not a folder", refused: true) }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        if entries.isEmpty || entries.contains(markerName) || entries.allSatisfy(knownNames.contains) { return }
        let foreign = entries.sorted().first { !knownNames.contains($0) } ?? entries[0]
        throw Problem(path: dir, reason: "holds files kfsim did not write (e.g. '\(foreign)'); choose a new or empty folder",
                      refused: true)
    }

    /// Creates `dir` when missing and marks it as kfsim's (a sweep keeps its journal there while it runs).
    public static func claim(_ dir: String, kind: String) throws(Problem) {
        try check(dir)
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw Problem(path: dir, reason: "cannot create: \(error.localizedDescription)", refused: false)
        }
        try writeNew("\(dir)/\(markerName)", contents: "kfsim \(kind)\n", replacing: true)
    }

    /// Replaces `dir` as a whole with `files` (names without folders) and the marker; returns the
    /// paths written, in order.
    @discardableResult
    public static func replace(_ dir: String, kind: String, files: [(name: String, contents: String)],
                               streamed: [(name: String, write: (BufferedFileWriter) -> Void)] = []) throws(Problem) -> [String] {
        try check(dir)
        for f in files.map(\.name) + streamed.map(\.name) where f.contains("/") || f.hasPrefix(".") || f.isEmpty {
            throw Problem(path: dir, reason: "refusing output name '\(f)'", refused: false)
        }
        let url = URL(fileURLWithPath: dir)
        let parent = url.deletingLastPathComponent().path, base = url.lastPathComponent
        do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw Problem(path: parent, reason: "cannot create: \(error.localizedDescription)", refused: false)
        }
        let container = "\(parent)/.\(base).staging"
        let staging = try makeStaging(in: container, for: dir)
        CleanupOnSignal.register(staging, then: container)
        defer {
            CleanupOnSignal.unregister(staging)
            rmdir(container)  // fails, harmlessly, while another run of the same folder stages there
        }
        do {
            try writeConcurrently(streamed, in: staging)
            for f in files { try writeNew("\(staging)/\(f.name)", contents: f.contents, replacing: false) }
            try writeNew("\(staging)/\(markerName)", contents: "kfsim \(kind)\n", replacing: false)
            try swapIn(staging, for: dir)
        } catch {
            removeTree(staging)
            throw error
        }
        return (streamed.map(\.name) + files.map(\.name)).map { "\(dir)/\($0)" }
    }

    /// Puts `staging` at `dir`, atomically when `dir` exists (exchange, then the old folder goes).
    static func swapIn(_ staging: String, for dir: String) throws(Problem) {
        if rename(staging, dir) == 0 { return }
        // `dir` exists (a non-empty folder cannot be renamed over): exchange the two.
        if kfsim_exchange_paths(staging, dir) == 0 {
            removeTree(staging)
            return
        }
        // No exchange on this file system: the old folder steps aside, the new one takes its place (if
        // the second step fails the old folder goes back; if the run is killed between the two, the
        // next run puts it back: `removeAbandonedStaging`).
        let aside = staging + ".old"
        guard rename(dir, aside) == 0 else {
            throw Problem(path: dir, reason: "cannot replace: \(String(cString: strerror(errno)))", refused: false)
        }
        guard rename(staging, dir) == 0 else {
            let reason = String(cString: strerror(errno))
            rename(aside, dir)
            throw Problem(path: dir, reason: "cannot replace: \(reason)", refused: false)
        }
        removeTree(aside)
    }

    /// Writes a new file exclusively (never through a symlink), flushed to disk.
    static func writeNew(_ path: String, contents: String, replacing: Bool) throws(Problem) {
        if replacing { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Problem(path: path, reason: String(cString: strerror(errno)), refused: false) }
        defer { close(fd) }
        guard AtomicFile.writeAll(fd, contents), fsync(fd) == 0 else {
            throw Problem(path: path, reason: String(cString: strerror(errno)), refused: false)
        }
    }

    /// Writes a new file exclusively (never through a symlink) through a buffered writer, flushed to disk.
    static func writeNew(_ path: String, _ body: (BufferedFileWriter) -> Void) throws(Problem) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Problem(path: path, reason: String(cString: strerror(errno)), refused: false) }
        defer { close(fd) }
        let writer = BufferedFileWriter(fd: fd)
        body(writer)
        writer.flush()
        guard writer.ok else { throw Problem(path: path, reason: String(cString: strerror(writer.failure)), refused: false) }
        guard fsync(fd) == 0 else { throw Problem(path: path, reason: String(cString: strerror(errno)), refused: false) }
    }

    /// Writes the streamed files, each on its own thread when there are several (a large run's
    /// `pods.csv` and `jobs.csv` are written side by side). The first failure, in list order, is thrown.
    static func writeConcurrently(_ streamed: [(name: String, write: (BufferedFileWriter) -> Void)], in staging: String) throws(Problem) {
        guard streamed.count > 1 else {
            for f in streamed { try writeNew("\(staging)/\(f.name)", f.write) }
            return
        }
        // Each writer reads only the finished run's immutable result.
        nonisolated(unsafe) let files = streamed
        let outcomes = Outcomes(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            do throws(Problem) { try writeNew("\(staging)/\(files[i].name)", files[i].write) } catch { outcomes.set(i, error) }
        }
        if let first = outcomes.firstFailure { throw first }
    }

    /// Failures of concurrent writes, by file.
    private final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var failures: [Problem?]

        init(count: Int) { failures = Array(repeating: nil, count: count) }

        func set(_ i: Int, _ problem: Problem) { lock.withLock { failures[i] = problem } }

        var firstFailure: Problem? { lock.withLock { failures.compactMap { $0 }.first } }
    }

    /// A fresh staging folder `<pid>-<random>` for `dir` in `container` (the output folder's own
    /// `.<name>.staging` beside it, so finding what killed runs left never lists the parent, however full
    /// it is). The container is created when missing and must be a real folder of this user's (never
    /// followed through a symlink); what killed runs left in it is cleared first.
    static func makeStaging(in container: String, for dir: String) throws(Problem) -> String {
        var failure = EEXIST
        for _ in 0..<8 {
            if mkdir(container, 0o755) != 0 && errno != EEXIST {
                failure = errno
                break
            }
            var info = stat()
            guard lstat(container, &info) == 0 else {
                failure = errno
                if failure == ENOENT { continue }  // a concurrent run removed it: again
                break
            }
            guard info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid() else {
                throw Problem(path: container, reason: "is not a folder of this user's (kfsim stages its outputs there); remove it",
                              refused: true)
            }
            removeAbandonedStaging(in: container, for: dir)
            let staging = "\(container)/\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            if mkdir(staging, 0o755) == 0 { return staging }
            failure = errno
            // ENOENT: a concurrent run of the same folder removed the emptied container; EEXIST: a clash.
            guard failure == ENOENT || failure == EEXIST else { break }
        }
        rmdir(container)
        throw Problem(path: container, reason: String(cString: strerror(failure)), refused: false)
    }

    /// Staging folders in `container` left by runs that were killed (`<pid>-<n>`, their process gone)
    /// are removed. An old output folder set aside by such a run (`<pid>-<n>.old`, only where the file
    /// system cannot exchange two folders) goes back to `dir` if nothing took its place, else is removed.
    /// Other names are left alone.
    static func removeAbandonedStaging(in container: String, for dir: String) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: container)) ?? [] {
            let name = entry.hasSuffix(".old") ? entry.dropLast(4) : Substring(entry)
            let parts = name.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let pid = Int32(parts[0]), pid > 0, UInt32(parts[1]) != nil,
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = "\(container)/\(entry)"
            if entry.hasSuffix(".old") && access(dir, F_OK) != 0 && rename(path, dir) == 0 { continue }
            removeTree(path)
        }
    }

    static func removeTree(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
}

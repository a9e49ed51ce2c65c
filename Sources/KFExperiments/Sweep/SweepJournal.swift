import Foundation
import KFScenario

/// The append-only record of finished runs of an interrupted-able sweep: `.sweep-journal` in the output
/// folder. Its first line names the sweep; each further line is `index<TAB>row<TAB>checksum`, written
/// with one `write(2)`, so a kill leaves at most a torn last line, which the checksum rejects.
/// Appends happen under the sweep runner's lock.
final class SweepJournal: @unchecked Sendable {
    static let fileName = ".sweep-journal"
    let path: String
    private var fd: Int32 = -1

    init(directory: String) {
        path = "\(directory)/\(SweepJournal.fileName)"
    }

    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// The rows recorded for sweep `identity` (complete, checksummed lines only).
    func recorded(identity: String) throws -> [Int: String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        let text = String(decoding: data, as: UTF8.self)
        // Killed before the header was complete: nothing was recorded.
        if !text.contains("\n") { return [:] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let head = lines.first, head == "kfsim-sweep-journal \(identity)" else {
            throw SweepError("\(path) belongs to another sweep (other scenario, parameters or seeds); remove it or choose another --out")
        }
        lines.removeFirst()
        if !text.hasSuffix("\n") { lines.removeLast() } // torn last line
        var rows: [Int: String] = [:]
        for line in lines where !line.isEmpty {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 3, let index = Int(parts[0]) else { continue }
            let row = String(parts[1]) + "\n"
            guard fnv1aHex(row) == parts[2] else { continue }
            rows[index] = row
        }
        return rows
    }

    /// Opens for appending (creating it with its header line when new).
    func open(identity: String) throws {
        let existing = FileManager.default.contents(atPath: path) ?? Data()
        let isNew = !existing.contains(10)
        if isNew { unlink(path) }
        fd = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw SweepError("cannot open \(path): \(String(cString: strerror(errno)))") }
        if isNew {
            try append("kfsim-sweep-journal \(identity)\n")
        } else if existing.last != 10 {
            try append("\n") // end a torn last line, so that the next record starts clean
        }
    }

    /// Records run `index` with its formatted row (which ends with a newline).
    func record(_ index: Int, row: String) throws {
        try append("\(index)\t\(row.dropLast())\t\(fnv1aHex(row))\n")
    }

    private func append(_ line: String) throws {
        let bytes = Array(line.utf8)
        let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard n == bytes.count else { throw SweepError("cannot append to \(path): \(String(cString: strerror(errno)))") }
    }

    func close() {
        if fd >= 0 { Foundation.close(fd) }
        fd = -1
    }

    func remove() {
        close()
        unlink(path)
    }
}

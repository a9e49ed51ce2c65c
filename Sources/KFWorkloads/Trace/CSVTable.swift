import Foundation
import KFConfig

/// A small CSV reader for the trace files (no quoting: the traces use none), with located errors.
///
/// The file is kept as bytes and each field as a byte range: a cell becomes a `String` only when one is
/// asked for, and integers are read from the bytes. Hot readers look a column up once (`column(_:)`)
/// rather than by name at every cell.
struct CSVTable {
    /// One data row: its 1-based line and its fields (`fieldCount` of them from `firstField`).
    struct Row {
        let line: Int
        let firstField: Int
        let fieldCount: Int
    }

    /// A column looked up once: its name (for messages) and its index.
    struct Column {
        let name: String
        let index: Int
    }

    let file: String
    let header: [String: Int]
    let rows: [Row]
    private let bytes: [UInt8]
    /// Each field's byte range, flattened over the lines (the header's fields first when it has one).
    private let starts: [Int32], ends: [Int32]
    /// Each line's first byte, for error columns.
    private let lineStarts: [Int32]

    init(file: String, required: [String]) throws(InputError) {
        self.file = file
        let split = try Self.split(file)
        (bytes, starts, ends, lineStarts) = (split.bytes, split.starts, split.ends, split.lineStarts)
        let lines = split.lines
        guard let first = lines.first, !(first.count == 1 && starts[first.lowerBound] == ends[first.lowerBound]) else {
            throw InputError(file: file, line: 1, column: 1, message: "empty file; expected a header line")
        }
        var header: [String: Int] = [:]
        for (i, f) in first.enumerated() {
            header[Self.text(split.bytes, Int(split.starts[f]), Int(split.ends[f])).trimmingCharacters(in: .whitespacesAndNewlines)] = i
        }
        for name in required where header[name] == nil {
            throw InputError(file: file, line: 1, column: 1,
                             message: "missing column '\(name)'; required columns: \(required.joined(separator: ","))")
        }
        self.header = header
        var rows: [Row] = []
        rows.reserveCapacity(lines.count)
        for (i, f) in lines.enumerated().dropFirst() {
            if f.count == 1 && split.starts[f.lowerBound] == split.ends[f.lowerBound] { continue }
            guard f.count >= header.count else {
                throw InputError(file: file, line: i + 1, column: 1, message: "expected \(header.count) fields, found \(f.count)")
            }
            rows.append(Row(line: i + 1, firstField: f.lowerBound, fieldCount: f.count))
        }
        self.rows = rows
    }

    /// A table without a header line whose columns are `columns` in order (as the PAI 2020 tables ship);
    /// a first line that names them is skipped.
    init(file: String, columns: [String]) throws(InputError) {
        self.file = file
        let split = try Self.split(file)
        (bytes, starts, ends, lineStarts) = (split.bytes, split.starts, split.ends, split.lineStarts)
        var header: [String: Int] = [:]
        for (i, name) in columns.enumerated() { header[name] = i }
        self.header = header
        var rows: [Row] = []
        for (i, f) in split.lines.enumerated() {
            if f.count == 1 && split.starts[f.lowerBound] == split.ends[f.lowerBound] { continue }
            if i == 0 && f.count >= columns.count
                && zip(f, columns).allSatisfy({ Self.text(split.bytes, Int(split.starts[$0]), Int(split.ends[$0])).trimmingCharacters(in: .whitespaces) == $1 }) {
                continue
            }
            guard f.count >= columns.count else {
                throw InputError(file: file, line: i + 1, column: 1, message: "expected \(columns.count) fields (\(columns.joined(separator: ","))), found \(f.count)")
            }
            rows.append(Row(line: i + 1, firstField: f.lowerBound, fieldCount: f.count))
        }
        guard !rows.isEmpty else { throw InputError(file: file, line: 1, column: 1, message: "no rows") }
        self.rows = rows
    }

    /// The file's bytes, each field's byte range and each line's fields (a range of field numbers).
    /// Lines end at `\n` (a `\r` before it is dropped); fields at `,`.
    private static func split(_ file: String) throws(InputError) -> (bytes: [UInt8], starts: [Int32], ends: [Int32], lineStarts: [Int32], lines: [Range<Int>]) {
        let bytes: [UInt8]
        do { bytes = try InputFile.bytes(file, maxBytes: InputFile.maxTraceBytes) } catch { throw InputError(error) }
        guard bytes.count < Int(Int32.max) else {
            throw InputError(file: file, line: 1, column: 1, message: "the file has \(bytes.count) bytes; at most \(Int32.max - 1) are accepted")
        }
        var starts: [Int32] = [], ends: [Int32] = [], lineStarts: [Int32] = [], lines: [Range<Int>] = []
        // Room for a field every 8 bytes and a line every 64 (traces have about 14 and 140; denser files
        // grow the lists): room reserved far beyond use still costs, as the heap is on huge pages.
        starts.reserveCapacity(bytes.count / 8 + 1)
        ends.reserveCapacity(bytes.count / 8 + 1)
        lineStarts.reserveCapacity(bytes.count / 64 + 1)
        lines.reserveCapacity(bytes.count / 64 + 1)
        bytes.withUnsafeBufferPointer { b in
            var fieldStart = 0, lineStart = 0, lineFirstField = 0
            func endLine(_ end: Int) {
                var e = end
                if e > fieldStart && b[e - 1] == UInt8(ascii: "\r") { e -= 1 }
                starts.append(Int32(fieldStart))
                ends.append(Int32(e))
                lineStarts.append(Int32(lineStart))
                lines.append(lineFirstField..<starts.count)
                lineFirstField = starts.count
            }
            for i in 0..<b.count {
                let c = b[i]
                if c == UInt8(ascii: ",") {
                    starts.append(Int32(fieldStart))
                    ends.append(Int32(i))
                    fieldStart = i + 1
                } else if c == UInt8(ascii: "\n") {
                    endLine(i)
                    lineStart = i + 1
                    fieldStart = i + 1
                }
            }
            if lineStart != b.count { endLine(b.count) }
        }
        return (bytes, starts, ends, lineStarts, lines)
    }

    private static func text(_ bytes: [UInt8], _ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The column `name` (which the table has).
    func column(_ name: String) -> Column { Column(name: name, index: header[name]!) }

    /// The text of field `index` of `row`.
    func text(_ row: Row, _ index: Int) -> String {
        Self.text(bytes, Int(starts[row.firstField + index]), Int(ends[row.firstField + index]))
    }

    /// Whether a cell is empty.
    func isEmpty(_ row: Row, _ c: Column) -> Bool { starts[row.firstField + c.index] == ends[row.firstField + c.index] }

    /// A finite non-negative decimal cell (`4550879.0`); nil when empty or `NaN` (a time not yet known).
    func decimal(_ row: Row, _ name: String, max: Double = InputBounds.seconds) throws(InputError) -> Double? {
        let text = text(row, header[name]!).trimmingCharacters(in: .whitespaces)
        if text.isEmpty || text.lowercased() == "nan" || text == "None" { return nil }
        guard let v = Double(text), v.isFinite, v >= 0 else {
            throw error(row, name, "'\(name)' must be a non-negative number, got '\(InputError.excerpt(text))'")
        }
        guard v <= max else { throw error(row, name, "'\(name)' must be at most \(max), got \(v)") }
        return v
    }

    func optional(_ row: Row, _ name: String) -> String? { header[name].map { text(row, $0) } }

    func string(_ row: Row, _ name: String) throws(InputError) -> String { try string(row, column(name)) }

    func string(_ row: Row, _ c: Column) throws(InputError) -> String {
        guard !isEmpty(row, c) else { throw error(row, c.name, "empty '\(c.name)'") }
        return text(row, c.index)
    }

    /// A non-negative integer cell, at most `max` (a larger value is refused: no sum can overflow).
    func int(_ row: Row, _ name: String, max: Int64) throws(InputError) -> Int64 { try int(row, column(name), max: max) }

    func int(_ row: Row, _ c: Column, max: Int64) throws(InputError) -> Int64 {
        let f = row.firstField + c.index
        let start = Int(starts[f]), end = Int(ends[f])
        // Up to 18 plain digits: read from the bytes; anything else as `Int64(String)` reads it.
        var value: Int64? = nil
        if end > start && end - start <= 18 {
            var v: Int64 = 0
            var digits = true
            for i in start..<end {
                let d = bytes[i] &- UInt8(ascii: "0")
                if d > 9 { digits = false; break }
                v = v * 10 + Int64(d)
            }
            if digits { value = v }
        }
        if value == nil { value = Int64(Self.text(bytes, start, end)) }
        guard let v = value, v >= 0 else {
            throw error(row, c.name, "'\(c.name)' must be a non-negative integer, got '\(InputError.excerpt(Self.text(bytes, start, end)))'")
        }
        guard v <= max else { throw error(row, c.name, "'\(c.name)' must be at most \(max), got \(v)") }
        return v
    }

    /// An error at a cell (its column counted in characters from the line's start).
    func error(_ row: Row, _ name: String, _ message: String) -> InputError {
        let f = row.firstField + header[name]!
        let lineStart = Int(lineStarts[row.line - 1])
        let column = Self.text(bytes, lineStart, Int(starts[f])).count + 1
        return InputError(file: file, line: row.line, column: column, message: message)
    }
}

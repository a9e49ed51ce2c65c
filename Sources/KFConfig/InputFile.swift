import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `read(2)` (qualified: `InputFile.read` shadows it inside the type).
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(fd, buffer, count)
    #else
    Darwin.read(fd, buffer, count)
    #endif
}

/// Reads an input file (scenario, manifest, trace) safely: a regular file only, its size checked
/// before it is read whole, UTF-8 checked with the first bad byte located, a binary file (a NUL byte)
/// refused. Problems come as `file:line:column:` (`1:1` when there is no better place).
public enum InputFile {
    /// The largest scenario or manifest file accepted.
    public static let maxYAMLBytes = 64 << 20
    /// The largest trace (CSV) file accepted.
    public static let maxTraceBytes = 1 << 30

    /// Why a file was refused, located.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// The file.
        public var file: String
        /// 1-based line and column.
        public var line: Int, column: Int
        /// What is wrong.
        public var message: String
        /// True when the problem is the file as a whole (missing, unreadable, too large), not a place in it.
        public var wholeFile = false
        public var description: String { "\(file):\(line):\(column): \(message)" }
    }

    /// The text of `path`, at most `maxBytes` long.
    public static func read(_ path: String, maxBytes: Int) throws(Problem) -> String {
        String(decoding: try bytes(path, maxBytes: maxBytes), as: UTF8.self)
    }

    /// The bytes of `path`, at most `maxBytes` long, checked as `read` checks them (UTF-8 text).
    public static func bytes(_ path: String, maxBytes: Int) throws(Problem) -> [UInt8] {
        func problem(_ message: String, _ line: Int = 1, _ column: Int = 1, inside: Bool = false) -> Problem {
            Problem(file: path, line: line, column: column, message: message, wholeFile: !inside)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw problem("no such file") }
        guard !isDirectory.boolValue else { throw problem("is a folder, not a file") }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard (attributes?[.type] as? FileAttributeType) == .typeRegular else { throw problem("not a regular file") }
        if let size = attributes?[.size] as? Int, size > maxBytes {
            throw problem("the file has \(size) bytes; at most \(maxBytes) are accepted")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw problem("cannot read the file") }
        defer { close(fd) }
        // Read straight into the result, at most one byte more than allowed: a file that grows (or lies
        // about its size) is caught.
        let expected = min(attributes?[.size] as? Int ?? 0, maxBytes) + 1
        var failed = false
        var data = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
            count = 0
            while count < buffer.count {
                let n = systemRead(fd, buffer.baseAddress! + count, buffer.count - count)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failed = true }
                if n <= 0 { break }
                count += n
            }
        }
        if data.count == expected && !failed {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while data.count <= maxBytes {
                let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, min($0.count, maxBytes + 1 - data.count)) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failed = true }
                if n <= 0 { break }
                data += chunk[0..<n]
            }
        }
        guard !failed else { throw problem("cannot read the file") }
        guard data.count <= maxBytes else { throw problem("the file has more than \(maxBytes) bytes") }
        let verdict: (offset: Int, nul: Bool, byte: UInt8, line: Int, column: Int)? = data.withUnsafeBufferPointer { bytes in
            guard let bad = firstInvalidUTF8(bytes) else { return nil }
            let (line, column) = position(of: bad.offset, in: bytes)
            return (bad.offset, bad.nul, bytes[bad.offset], line, column)
        }
        if let bad = verdict {
            throw problem(bad.nul ? "a NUL byte: this is a binary file, not text" : "not UTF-8 text (byte 0x\(String(bad.byte, radix: 16)))",
                          bad.line, bad.column, inside: true)
        }
        return data
    }

    /// The offset of the first byte that is not valid UTF-8 or is NUL.
    static func firstInvalidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> (offset: Int, nul: Bool)? {
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0 { return (i, true) }
            if c < 0x80 { i += 1; continue }
            let length: Int, minimum: UInt32
            switch c {
            case 0xC2...0xDF: length = 2; minimum = 0x80
            case 0xE0...0xEF: length = 3; minimum = 0x800
            case 0xF0...0xF4: length = 4; minimum = 0x10000
            default: return (i, false)
            }
            guard i + length <= b.count else { return (i, false) }
            var scalar = UInt32(c) & (0xFF >> (length + 1))
            for k in 1..<length {
                let next = b[i + k]
                guard next & 0xC0 == 0x80 else { return (i, false) }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return (i, false) }
            i += length
        }
        return nil
    }

    /// 1-based line and column (in bytes) of `offset`.
    static func position(of offset: Int, in b: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var line = 1, lineStart = 0
        for i in 0..<offset where b[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }
}

/// Short, printable excerpts of input text for messages: an error never echoes a file.
public enum Excerpt {
    /// At most `limit` characters of `text`, control and non-ASCII characters escaped, an ellipsis
    /// when cut.
    public static func of(_ text: String, limit: Int = 40) -> String {
        var out = ""
        var count = 0
        for u in text.unicodeScalars {
            if count >= limit { return out + "..." }
            if u.value >= 0x20 && u.value < 0x7F {
                out.unicodeScalars.append(u)
            } else {
                out += "\\u{\(String(u.value, radix: 16))}"
            }
            count += 1
        }
        return out
    }

    /// `message` with every quoted part ('...', opened after a non-letter: an apostrophe inside a word
    /// is not a quote) cut to a short excerpt, and control characters escaped.
    public static func sanitize(_ message: String, limit: Int = 40) -> String {
        let chars = Array(message)
        var out = ""
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            let opens = ch == "'" && (i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber))
            if opens, let close = closingQuote(chars, after: i) {
                out += "'" + of(String(chars[(i + 1)..<close]), limit: limit) + "'"
                i = close + 1
                continue
            }
            out += of(String(ch), limit: 1_000)
            i += 1
        }
        return out.count > 2_000 ? String(out.prefix(2_000)) + "..." : out
    }

    /// The quote closing the one at `open`: the next `'` not followed by a letter or digit.
    static func closingQuote(_ chars: [Character], after open: Int) -> Int? {
        var j = open + 1
        while j < chars.count {
            if chars[j] == "'" && (j + 1 == chars.count || !(chars[j + 1].isLetter || chars[j + 1].isNumber)) { return j }
            j += 1
        }
        return nil
    }
}

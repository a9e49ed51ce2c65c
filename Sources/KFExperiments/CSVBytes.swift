import KFEngine
import KFControlPlane

/// CSV text built as bytes, field by field, with no string made per field or line. It writes exactly what
/// `Format.csvLine` of `Format.seconds`, `Format.metric` and `String(_:)` fields would.
public struct CSVBytes {
    /// The text so far.
    public private(set) var bytes: [UInt8] = []
    private var atLineStart = true

    /// Empty text with room for `capacity` bytes.
    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Bytes so far.
    public var count: Int { bytes.count }

    /// Forgets the text, keeping the room.
    public mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
        atLineStart = true
    }

    /// Appends raw text.
    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    private mutating func separate() {
        if atLineStart { atLineStart = false } else { bytes.append(0x2C) }
    }

    /// A text field, quoted when it holds a comma, quote or newline (`Format.csvField`).
    public mutating func field(_ s: String) {
        separate()
        var text = s
        let plain = text.withUTF8 { utf8 in
            // Copied as is unless it holds a comma, a quote or a line break (then quoted, as Format.csvField).
            for b in utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if !plain { bytes.append(contentsOf: Format.csvField(s).utf8) }
    }

    /// An integer field.
    public mutating func integer<I: BinaryInteger>(_ v: I) {
        separate()
        digits(Int64(v))
    }

    /// A time in seconds with six decimals, empty when negative (`Format.seconds`).
    public mutating func seconds(_ t: SimTime) {
        separate()
        guard t >= 0 else { return }
        sixDecimals(t)
    }

    /// A metric with six decimals, empty when there is no data (nil or NaN; `Format.metric`).
    public mutating func metric(_ v: Double?) {
        guard let v, !v.isNaN else {
            separate()
            return
        }
        guard !v.isInfinite, let (micros, negative) = Format.signedMicros(v) else {
            field(Format.number(v))
            return
        }
        separate()
        if negative { bytes.append(0x2D) }
        sixDecimals(micros)
    }

    /// `micros` (non-negative) as seconds with six decimals.
    private mutating func sixDecimals(_ t: Int64) {
        appendRightAligned { b, end in
            let micros = UInt64(t.magnitude), perSecond = UInt64(Clock.microsPerSecond)
            let point = CSVBytes.digits(micros % perSecond, into: b, end: end, width: 6) - 1
            b[point] = 0x2E
            return CSVBytes.digits(micros / perSecond, into: b, end: point, width: 1)
        }
    }

    /// Ends the line.
    public mutating func endLine() {
        bytes.append(0x0A)
        atLineStart = true
    }

    private mutating func digits(_ v: Int64) {
        appendRightAligned { b, end in
            let k = CSVBytes.digits(v.magnitude, into: b, end: end, width: 1)
            guard v < 0 else { return k }
            b[k - 1] = 0x2D
            return k - 1
        }
    }

    /// Appends what `write` puts at the end of a 32-byte stack buffer (it returns where its text starts):
    /// a number's bytes are appended at once, with no heap buffer.
    @inline(__always)
    private mutating func appendRightAligned(_ write: (UnsafeMutableBufferPointer<UInt8>, Int) -> Int) {
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0) // room for a sign, 20 digits, a point and 6 decimals
        withUnsafeMutableBytes(of: &buffer) { raw in
            let b = raw.bindMemory(to: UInt8.self)
            let start = write(b, b.count)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<b.count]))
        }
    }

    /// "00" to "99", two bytes each.
    private static let pairs: [UInt8] = (0..<100).flatMap { (n: Int) -> [UInt8] in [UInt8(48 + n / 10), UInt8(48 + n % 10)] }

    /// Writes `m` in decimal, at least `width` digits (zero-padded), ending just before `end`; returns
    /// where the digits start. Two digits per division.
    @inline(__always)
    private static func digits(_ m: UInt64, into b: UnsafeMutableBufferPointer<UInt8>, end: Int, width: Int) -> Int {
        var m = m, k = end
        pairs.withUnsafeBufferPointer { p in
            while m >= 100 || end - k + 2 < width {
                let r = Int(m % 100)
                m /= 100
                k -= 2
                b[k] = p[2 * r]
                b[k + 1] = p[2 * r + 1]
            }
            if m >= 10 || end - k + 2 <= width {
                k -= 2
                b[k] = p[2 * Int(m)]
                b[k + 1] = p[2 * Int(m) + 1]
            } else {
                k -= 1
                b[k] = 0x30 + UInt8(m)
            }
        }
        return k
    }
}

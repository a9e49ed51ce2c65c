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
        digits(t / Clock.microsPerSecond)
        bytes.append(0x2E)
        var frac = t % Clock.microsPerSecond
        var six: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &six) { b in
            for k in stride(from: 5, through: 0, by: -1) {
                b[k] = 0x30 + UInt8(frac % 10)
                frac /= 10
            }
        }
        // Byte by byte: a few appends beat a generic append of a raw buffer.
        withUnsafeBytes(of: &six) { for k in 0..<6 { bytes.append($0[k]) } }
    }

    /// Ends the line.
    public mutating func endLine() {
        bytes.append(0x0A)
        atLineStart = true
    }

    private mutating func digits(_ v: Int64) {
        if v < 0 { bytes.append(0x2D) }
        var m = v.magnitude
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes: room for 20 digits
        withUnsafeMutableBytes(of: &buffer) { b in
            var k = b.count
            repeat {
                k -= 1
                b[k] = 0x30 + UInt8(m % 10)
                m /= 10
            } while m > 0
            for i in k..<b.count { bytes.append(b[i]) }
        }
    }
}

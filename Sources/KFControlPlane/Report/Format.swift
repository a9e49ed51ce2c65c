import Foundation
import KFEngine

/// Number formatting for output files: fixed, locale-free, identical on every machine.
public enum Format {
    /// A time in seconds with exactly six decimals, computed in integers; empty for "never" (-1).
    public static func seconds(_ t: SimTime) -> String {
        guard t >= 0 else { return "" }
        let whole = t / Clock.microsPerSecond
        let frac = t % Clock.microsPerSecond
        let digits = String(frac)
        return "\(whole)." + String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// A floating-point value with six decimals (`nan` and infinities spelled out).
    public static func number(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        guard let (micros, negative) = signedMicros(v) else { return String(format: "%.6f", v) }
        return (negative ? "-" : "") + seconds(micros)
    }

    /// A finite value in micro-units, rounded, and whether it prints with a minus sign (never for a value
    /// that rounds to zero); nil when too large for integer formatting (`number` then uses `%.6f`).
    public static func signedMicros(_ v: Double) -> (micros: Int64, negative: Bool)? {
        let scaled = (abs(v) * 1e6).rounded()
        guard scaled < 9e15 else { return nil }
        let micros = Int64(scaled)
        return (micros, micros != 0 && v < 0)
    }

    /// A metric in a CSV cell: six decimals, or empty when there is no data (nil or NaN; never 0).
    public static func metric(_ v: Double?) -> String {
        guard let v, !v.isNaN else { return "" }
        return number(v)
    }

    /// A CSV field, quoted when it holds a comma, quote or newline.
    public static func csvField(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One CSV line (with the trailing newline).
    public static func csvLine(_ fields: [String]) -> String {
        var size = fields.count
        for f in fields { size += f.utf8.count }
        var line = ""
        line.reserveCapacity(size + 2)
        for (i, f) in fields.enumerated() {
            if i > 0 { line.append(",") }
            line.append(csvField(f))
        }
        line.append("\n")
        return line
    }
}

/// Exact parsing of Kubernetes resource quantities (`500m`, `1.5`, `129e6`, `123Mi`, `1Gi`, `1G`).
///
/// A quantity is `<number><suffix>`: the number has digits with at most one decimal point, the suffix
/// is a binary SI suffix (`Ki` … `Ei`), a decimal SI suffix (`n`, `u`, `m`, `k`, `M`, `G`, `T`, `P`, `E`),
/// an exponent (`e3`, `E-2`), or nothing. Values are computed in integers and rounded up, as
/// Kubernetes does in `Quantity.Value()` and `MilliValue()`.
public enum Quantity {
    /// Why a string is not a quantity.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The refused text.
        public var text: String
        /// What is wrong with it.
        public var problem: String
        public var description: String { "'\(text)' is not a Kubernetes quantity: \(problem)" }
    }

    /// The accepted forms, for error messages.
    public static let acceptedForms =
        "a number with an optional suffix: m, k, M, G, T, P, E (decimal), Ki, Mi, Gi, Ti, Pi, Ei (binary) or an exponent such as e6"

    /// The value in thousandths, rounded up (CPU in millicores).
    public static func milli(_ text: String) throws(ParseError) -> Int64 {
        try scaled(text, decimalScale: 3)
    }

    /// The value, rounded up to a whole number (memory in bytes, counts).
    public static func value(_ text: String) throws(ParseError) -> Int64 {
        try scaled(text, decimalScale: 0)
    }

    /// The value as a floating-point number (for bandwidths and other rates).
    public static func double(_ text: String) throws(ParseError) -> Double {
        let parts = try parse(text)
        var v = Double(parts.mantissa) * Double(parts.binaryMultiplier)
        v *= pow10(parts.exponent10)
        return parts.negative ? -v : v
    }

    struct Parts {
        var negative: Bool
        var mantissa: Int64
        var exponent10: Int
        var binaryMultiplier: Int64
    }

    static func parse(_ text: String) throws(ParseError) -> Parts {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw ParseError(text: text, problem: "empty") }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var sawPoint = false
        var sawDigit = false
        while index < bytes.count {
            let b = bytes[index]
            if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                digits.append(b - UInt8(ascii: "0"))
                if sawPoint { fractionDigits += 1 }
                sawDigit = true
            } else if b == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { throw ParseError(text: text, problem: "no digits; expected \(acceptedForms)") }
        let suffix = String(decoding: bytes[index...], as: UTF8.self)
        guard let (suffixExponent, binary) = suffixScale(suffix) else {
            throw ParseError(text: text, problem: "unknown suffix '\(suffix)'; expected \(acceptedForms)")
        }
        var exponent10 = suffixExponent - fractionDigits
        // Drop leading zeros, then trailing zeros (moving them into the exponent).
        var start = 0
        while start < digits.count - 1 && digits[start] == 0 { start += 1 }
        var end = digits.count
        while end - start > 1 && digits[end - 1] == 0 { end -= 1; exponent10 += 1 }
        guard end - start <= 18 else { throw ParseError(text: text, problem: "too many significant digits") }
        var mantissa: Int64 = 0
        for d in digits[start..<end] { mantissa = mantissa * 10 + Int64(d) }
        return Parts(negative: negative && mantissa != 0, mantissa: mantissa, exponent10: exponent10, binaryMultiplier: binary)
    }

    /// The power of ten and the binary multiplier a suffix stands for (nil: not a suffix).
    static func suffixScale(_ suffix: String) -> (exponent10: Int, binary: Int64)? {
        switch suffix {
        case "": return (0, 1)
        case "n": return (-9, 1)
        case "u": return (-6, 1)
        case "m": return (-3, 1)
        case "k": return (3, 1)
        case "M": return (6, 1)
        case "G": return (9, 1)
        case "T": return (12, 1)
        case "P": return (15, 1)
        case "E": return (18, 1)
        case "Ki": return (0, 1 << 10)
        case "Mi": return (0, 1 << 20)
        case "Gi": return (0, 1 << 30)
        case "Ti": return (0, 1 << 40)
        case "Pi": return (0, 1 << 50)
        case "Ei": return (0, 1 << 60)
        default: return exponentSuffix(suffix).map { ($0, 1) }
        }
    }

    static func exponentSuffix(_ suffix: String) -> Int? {
        guard let first = suffix.first, first == "e" || first == "E" else { return nil }
        let rest = suffix.dropFirst()
        guard !rest.isEmpty, rest.count <= 4, let value = Int(rest) else { return nil }
        return value
    }

    static func scaled(_ text: String, decimalScale: Int) throws(ParseError) -> Int64 {
        let parts = try parse(text)
        let tooLarge = ParseError(text: text, problem: "too large")
        let (base, o1) = parts.mantissa.multipliedReportingOverflow(by: parts.binaryMultiplier)
        if o1 { throw tooLarge }
        let shift = parts.exponent10 + decimalScale
        var result: Int64
        if base == 0 {
            result = 0
        } else if shift >= 0 {
            guard shift <= 18 else { throw tooLarge }
            let (v, o2) = base.multipliedReportingOverflow(by: power10(shift))
            if o2 { throw tooLarge }
            result = v
        } else if -shift > 18 {
            result = 1 // rounds up to the smallest unit
        } else {
            let divisor = power10(-shift)
            result = base / divisor + (base % divisor == 0 ? 0 : 1)
        }
        return parts.negative ? -result : result
    }

    static func power10(_ n: Int) -> Int64 {
        var v: Int64 = 1
        for _ in 0..<n { v *= 10 }
        return v
    }

    static func pow10(_ n: Int) -> Double {
        var v = 1.0
        if n >= 0 { for _ in 0..<n { v *= 10 } } else { for _ in 0..<(-n) { v /= 10 } }
        return v
    }
}

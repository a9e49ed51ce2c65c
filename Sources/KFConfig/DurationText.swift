/// Durations as scenario files write them: a number of seconds (`90`, `1.5`) or Go-style units
/// (`100ms`, `10s`, `5m`, `1h30m`, `2d`).
public enum DurationText {
    /// The accepted forms, for error messages.
    public static let acceptedForms = "a number of seconds or a duration such as 500ms, 10s, 5m, 1h30m, 2d"

    /// Seconds, or nil when `text` is not a duration.
    public static func seconds(_ text: String) -> Double? {
        if let v = Double(text), v.isFinite { return v }
        var total = 0.0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "us", "µs": total += value / 1e6
            case "ms": total += value / 1e3
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            case "d": total += value * 86400
            default: return nil
            }
        }
        return total
    }
}

/// An Argo `depends` expression: task results joined by `&&`, `||`, `!` and parentheses, e.g.
/// `(A.Succeeded || A.Skipped) && !B.Failed`. A bare task name means `Succeeded || Skipped || Daemoned`.
public indirect enum DependsExpression: Sendable, Equatable {
    /// A task's result (`Succeeded`, `Failed`, `Errored`, `Skipped`, `Omitted`, `Daemoned`,
    /// `AnySucceeded`, `AllFailed`; nil: the default of a bare name).
    case result(task: String, result: String?)
    case not(DependsExpression)
    case and(DependsExpression, DependsExpression)
    case or(DependsExpression, DependsExpression)

    /// The results a `depends` term may name.
    public static let results = ["Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed"]

    /// The tasks it names, in order of first appearance.
    public var tasks: [String] {
        switch self {
        case .result(let t, _): return [t]
        case .not(let e): return e.tasks
        case .and(let a, let b), .or(let a, let b):
            var out = a.tasks
            for t in b.tasks where !out.contains(t) { out.append(t) }
            return out
        }
    }

    /// Whether it holds, given what a named task ended as: its own state (`succeeded`, `failed`,
    /// `skipped`, `omitted`), whether it continues on failure (`continueOn`: a bare name then accepts its
    /// failure too) and, for a loop, whether any item succeeded and whether all failed.
    func holds(_ outcome: (String) -> (state: String, continuesOnFailure: Bool, anySucceeded: Bool, allFailed: Bool)) -> Bool {
        switch self {
        case .result(let task, let result):
            let o = outcome(task)
            switch result {
            case nil: return o.state == "succeeded" || o.state == "skipped" || (o.state == "failed" && o.continuesOnFailure)
            case "Succeeded"?: return o.state == "succeeded"
            case "Failed"?, "Errored"?: return o.state == "failed"
            case "Skipped"?: return o.state == "skipped"
            case "Omitted"?: return o.state == "omitted"
            case "AnySucceeded"?: return o.anySucceeded
            case "AllFailed"?: return o.allFailed
            default: return false
            }
        case .not(let e): return !e.holds(outcome)
        case .and(let a, let b): return a.holds(outcome) && b.holds(outcome)
        case .or(let a, let b): return a.holds(outcome) || b.holds(outcome)
        }
    }

    /// Parses `text`; nil with the reason when it is not an expression of this form.
    public static func parse(_ text: String) -> Result<DependsExpression, DependsParseError> {
        var tokens: [String] = []
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == " " { i = text.index(after: i); continue }
            if c == "(" || c == ")" || c == "!" { tokens.append(String(c)); i = text.index(after: i); continue }
            if text[i...].hasPrefix("&&") || text[i...].hasPrefix("||") {
                tokens.append(String(text[i..<text.index(i, offsetBy: 2)]))
                i = text.index(i, offsetBy: 2)
                continue
            }
            let word = text[i...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
            guard !word.isEmpty else { return .failure(DependsParseError(message: "unexpected '\(c)'")) }
            tokens.append(String(word))
            i = text.index(i, offsetBy: word.count)
        }
        var p = Parser(tokens: tokens)
        do throws(DependsParseError) {
            let e = try p.or()
            guard p.index == tokens.count else { throw DependsParseError(message: "unexpected '\(tokens[p.index])'") }
            return .success(e)
        } catch {
            return .failure(error)
        }
    }

    struct Parser {
        let tokens: [String]
        var index = 0
        mutating func or() throws(DependsParseError) -> DependsExpression {
            var e = try and()
            while index < tokens.count && tokens[index] == "||" { index += 1; e = .or(e, try and()) }
            return e
        }
        mutating func and() throws(DependsParseError) -> DependsExpression {
            var e = try unary()
            while index < tokens.count && tokens[index] == "&&" { index += 1; e = .and(e, try unary()) }
            return e
        }
        mutating func unary() throws(DependsParseError) -> DependsExpression {
            guard index < tokens.count else { throw DependsParseError(message: "ends too early") }
            let t = tokens[index]
            index += 1
            if t == "!" { return .not(try unary()) }
            if t == "(" {
                let e = try or()
                guard index < tokens.count, tokens[index] == ")" else { throw DependsParseError(message: "missing ')'") }
                index += 1
                return e
            }
            guard !["&&", "||", ")"].contains(t) else { throw DependsParseError(message: "unexpected '\(t)'") }
            let parts = t.split(separator: ".", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                guard results.contains(parts[1]) else {
                    throw DependsParseError(message: "unknown result '\(parts[1])'; accepted: \(results.joined(separator: ", "))")
                }
                return .result(task: parts[0], result: parts[1])
            }
            return .result(task: t, result: nil)
        }
    }
}

/// Why a `depends` expression was refused.
public struct DependsParseError: Error, Sendable {
    public var message: String
}

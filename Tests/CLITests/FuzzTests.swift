import Foundation
import Testing
import KFTestSupport

/// Mutation fuzzing of the shipped scenarios: each case replaces a value with a hostile one, drops or
/// repeats a line, and runs `kfsim run` on the result. Whatever the input, kfsim exits 0, 1 or 2 (never
/// a signal), every exit 2 names a location (`file:line:column:` or `--set path`), and each case stays
/// under 20 s and 1 GiB. Seeded: the same cases every time. `KFSIM_FUZZ_CASES` and `KFSIM_FUZZ_SEED`
/// change the count and the seed (`scripts/fuzz.sh` runs thousands on the release binary, `KFSIM_BIN`).
@Suite struct FuzzTests {
    /// SplitMix64: a small seeded generator, identical on every platform.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let hostile = ["0", "-1", "1e15", "1e308", "-1e308", "nan", "inf", "-inf", "9223372036854775807", "-9223372036854775808",
                          "18446744073709551616", "1E", "8Ei", "0.0000001", "1us", "1e300", "''", "[]", "{}", "null", "~", "abc",
                          "\"\\u0000\"", "1e-300", "100000", "1000000", "99999999999", "-0", "0x10", "1_000", "1.5.5", "Infinity",
                          "{distribution: lognormal, mu: 700, sigma: 30}", "{distribution: pareto, shape: 0.01, scale: 1e9}",
                          "{distribution: exponential, mean: 1e-9}", "[1, 2, {a: b}]", "&a x", "*a", "!!binary AAAA"]

    /// The scenarios mutated, with the files they name (copied beside them).
    static let sources: [(scenario: String, files: [String], sets: [String])] = [
        ("container-count.yaml", [], []),
        ("ps-training/ps-training.yaml", ["ps-training/tfjobs.yaml"], []),
        ("pipelines/bench-pipelines.yaml", ["pipelines/ml-workflow.yaml"], ["workloads.ml.arrivals.count=20"]),
        ("serving/serving-hpa.yaml", ["serving/deployment.yaml", "serving/hpa.yaml"], ["workloads.detector.traffic.duration=600s"]),
    ]

    /// One mutation of `text`.
    static func mutate(_ text: String, _ rng: inout Rng) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let candidates = lines.indices.filter { !lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("#") && lines[$0].contains(":") }
        guard !candidates.isEmpty else { return text }
        let i = candidates[rng.below(candidates.count)]
        switch rng.below(10) {
        case 0: lines.remove(at: i)
        case 1: lines.insert(lines[i], at: i)
        default:
            // Replace the value after a key's colon, or an item of a flow mapping.
            let line = lines[i]
            let colons = line.indices.filter { line[$0] == ":" && line.index(after: $0) < line.endIndex && line[line.index(after: $0)] == " " }
            guard let colon = colons.isEmpty ? nil : colons[rng.below(colons.count)] else { return lines.joined(separator: "\n") }
            let start = line.index(colon, offsetBy: 2)
            let rest = line[start...]
            let end = rest.firstIndex { $0 == "," || $0 == "}" || $0 == "]" } ?? line.endIndex
            lines[i] = String(line[..<start]) + hostile[rng.below(hostile.count)] + String(line[end...])
        }
        return lines.joined(separator: "\n")
    }

    static var binary: String { ProcessInfo.processInfo.environment["KFSIM_BIN"] ?? CLITests.binary }

    /// Runs `kfsim` on `scenario`, killing it after `limit` seconds; returns status, signal flag, stderr.
    static func run(_ scenario: String, out: String, limit: Double, sets: [String] = []) throws -> (status: Int32, signaled: Bool, stderr: String, seconds: Double) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["run", scenario, "--out", out, "--quiet", "--set", "maxEvents=100000"] + sets.flatMap { ["--set", $0] }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        let start = Date()
        try p.run()
        // A watchdog kills a case that outlives its limit (it then ends by a signal: a failure).
        let pid = p.processIdentifier
        let finished = Finished()
        DispatchQueue.global().asyncAfter(deadline: .now() + limit) { finished.unlessDone { kill(pid, SIGKILL) } }
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        finished.markDone()
        let text = String(decoding: e.prefix(4000), as: UTF8.self)
        return (p.terminationStatus, p.terminationReason == .uncaughtSignal, text, Date().timeIntervalSince(start))
    }

    /// Whether a case's process has been reaped (so that its pid is never signalled after reuse).
    final class Finished: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        func markDone() { lock.withLock { done = true } }
        func unlessDone(_ body: () -> Void) { lock.withLock { if !done { body() } } }
    }

    @Test func mutatedScenariosExitCleanly() throws {
        let env = ProcessInfo.processInfo.environment
        let cases = Int(env["KFSIM_FUZZ_CASES"] ?? "") ?? 240
        var rng = Rng(state: UInt64(env["KFSIM_FUZZ_SEED"] ?? "") ?? 20_261_129)
        let root = CLITests.root.appendingPathComponent("scenarios").path
        let dir = Scratch.path("fuzz")
        var failures: [String] = []
        var exits = [Int32: Int]()
        for n in 0..<cases {
            let source = Self.sources[rng.below(Self.sources.count)]
            let caseDir = "\(dir)/\(n)"
            for sub in ["ps-training", "pipelines", "serving"] {
                try FileManager.default.createDirectory(atPath: "\(caseDir)/\(sub)", withIntermediateDirectories: true)
            }
            for f in source.files { try FileManager.default.copyItem(atPath: "\(root)/\(f)", toPath: "\(caseDir)/\(f)") }
            var text = try String(contentsOfFile: "\(root)/\(source.scenario)", encoding: .utf8)
            for _ in 0...rng.below(2) { text = Self.mutate(text, &rng) }
            let path = "\(caseDir)/\(source.scenario)"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let r = try Self.run(path, out: "\(caseDir)/out", limit: 20, sets: source.sets)
            exits[r.status, default: 0] += 1
            let firstLine = r.stderr.split(separator: "\n").first { $0.hasPrefix("error: ") }.map(String.init) ?? ""
            let located = firstLine.range(of: #"^error: (\S+:\d+:\d+|--set \S+): "#, options: .regularExpression) != nil
            if r.signaled || ![0, 1, 2].contains(r.status) || (r.status == 2 && !located) || r.seconds > 20 {
                failures.append("case \(n) (\(source.scenario)): status \(r.status)\(r.signaled ? " (signal or timeout)" : ""), "
                                + "\(String(format: "%.1f", r.seconds)) s: \(firstLine.prefix(300))\n--- scenario:\n\(text)")
                if failures.count >= 3 { break }
            } else {
                try? FileManager.default.removeItem(atPath: caseDir)
            }
        }
        // The largest resident set of any case (kernel-tracked over every child that has exited).
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let maxRSSMiB = Int(usage.ru_maxrss) / 1024
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
        #expect(maxRSSMiB < 1024, "a case used \(maxRSSMiB) MiB")
        // The mutations reach both refusals and runs.
        #expect((exits[2] ?? 0) > 0 && (exits[0] ?? 0) + (exits[1] ?? 0) > 0, "\(exits)")
        if failures.isEmpty { try? FileManager.default.removeItem(atPath: dir) }
        print("fuzz: \(cases) cases, exits \(exits.sorted { $0.key < $1.key }), largest RSS \(maxRSSMiB) MiB")
    }
}

import Foundation
import KFControlPlane
import KFEngine
import Testing
@testable import KFExperiments

/// CSV built as bytes (`CSVBytes`, behind pods.csv and jobs.csv) is exactly what the string formatters
/// write (`Format.csvLine` of `Format.seconds` and `String(_:)` fields).
@Suite struct CSVBytesTests {
    @Test func sameBytesAsTheStringFormatters() {
        let rng = RandomStream(seed: 5, name: "csv-bytes")
        let texts = ["", "web-1", "a,b", "say \"hi\"", "two\nlines", "cr\r", "ünïcödé", "0/3 nodes are available: 3 Insufficient cpu."]
        var line = CSVBytes()
        var rows = 0
        func check(_ text: String, _ t: SimTime, _ n: Int64) {
            line.clear()
            line.field(text)
            line.seconds(t)
            line.integer(n)
            line.field(text)
            line.endLine()
            #expect(String(decoding: line.bytes, as: UTF8.self) == Format.csvLine([text, Format.seconds(t), String(n), text]))
            rows += 1
        }
        for (text, t, n) in [("a,b", SimTime(0), Int64(0)), ("x", SimTime(1), Int64(-5)), ("", SimTime(-1), Int64.min + 1),
                             ("q\"", SimTime(12_345_678_901), Int64.max), ("", SimTime(999_999), Int64(10))] {
            check(text, t, n)
        }
        for _ in 0..<2000 {
            let t = rng.uniformInt(below: 4) == 0 ? SimTime(-1) : SimTime(rng.uniformInt(below: 1 << 45))
            check(texts[rng.uniformInt(below: texts.count)], t, Int64(rng.uniformInt(below: 1 << 40)) - (1 << 39))
        }
        #expect(rows == 2005)
    }

    /// Metrics (`Format.metric`): no data, signs, rounding to micro-units, infinities and the huge
    /// values `Format.number` prints with `%.6f`.
    @Test func metricsAsTheStringFormatter() {
        let rng = RandomStream(seed: 9, name: "csv-metrics")
        var values: [Double?] = [nil, .nan, .infinity, -.infinity, 0, -0.0, 1e-7, -1e-7, 4e-7, -6e-7, 0.5, -2.25, 1e10, 9e9, 1e12, -3e12]
        for _ in 0..<3000 {
            let magnitude = pow(10, rng.uniform(low: -8, high: 13))
            values.append((rng.uniformInt(below: 2) == 0 ? -1 : 1) * magnitude)
        }
        var line = CSVBytes(), mismatches = 0
        for v in values {
            line.clear()
            line.metric(v)
            line.integer(1)
            line.endLine()
            if String(decoding: line.bytes, as: UTF8.self) != Format.csvLine([Format.metric(v), "1"]) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    /// A writer without a file keeps its text; lines built field by field and raw text interleave.
    @Test func inMemoryWriterKeepsItsText() {
        let writer = BufferedFileWriter()
        writer.write("a,b\n")
        writer.line { $0.field("x"); $0.integer(3) }
        #expect(writer.text == "a,b\nx,3\n")
    }
}

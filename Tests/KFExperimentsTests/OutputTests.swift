import KFControlPlane
import Foundation
import KFEngine
import Testing
@testable import KFExperiments

@Suite struct OutputTests {
    @Test func formatsAreExactAndLocaleFree() {
        #expect(Format.seconds(1_500_000) == "1.500000")
        #expect(Format.seconds(7) == "0.000007")
        #expect(Format.seconds(-1) == "")
        #expect(Format.number(0.1234565) == "0.123457" || Format.number(0.1234565) == "0.123456")
        #expect(Format.number(-0.0000001) == "0.000000")
        #expect(Format.number(2.5) == "2.500000")
        #expect(Format.number(-3.25) == "-3.250000")
        #expect(Format.csvLine(["a", "b,c", "say \"hi\""]) == "a,\"b,c\",\"say \"\"hi\"\"\"\n")
    }

    @Test func jsonIsRenderedInKeyOrder() {
        let v = JSONValue.object([("b", .int(1)), ("a", .array([.double(0.5), .string("x\"y")])), ("c", .object([]))])
        #expect(v.rendered() == "{\n  \"b\": 1,\n  \"a\": [\n    0.500000,\n    \"x\\\"y\"\n  ],\n  \"c\": {}\n}")
    }

    @Test func atomicWriteReplacesAndLeavesNoTemporaryFile() throws {
        let dir = Paths.temporary()
        try AtomicFile.write("one\n", to: "\(dir)/f.csv")
        try AtomicFile.write("two\n", to: "\(dir)/f.csv")
        #expect(try String(contentsOfFile: "\(dir)/f.csv", encoding: .utf8) == "two\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["f.csv"])
    }

    @Test func writingIntoAnUnwritablePlaceFailsCleanly() {
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write("x", to: "/proc/kfsim-cannot/f.csv") }
    }
}

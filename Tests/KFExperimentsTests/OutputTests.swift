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

    /// A folder is replaced through a staging folder in its own `.<name>.staging`: what a killed run left
    /// there is removed by the next run, a live run's staging is kept, and nothing is left once done
    /// (the parent's other entries are never read).
    @Test func outputFolderStagesBesideItselfAndCleansUpKilledRuns() throws {
        let parent = Paths.temporary(), dir = "\(parent)/out"
        try OutputFolder.replace(dir, kind: "run", files: [("a.csv", "1\n")])
        // A staging folder of a process that is gone, and one of this (live) process.
        let done = Process()
        done.executableURL = URL(fileURLWithPath: "/bin/true")
        try done.run()
        done.waitUntilExit()
        let container = "\(parent)/.out.staging"
        let dead = "\(container)/\(done.processIdentifier)-7", live = "\(container)/\(getpid())-8"
        for d in [dead, live] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        try OutputFolder.replace(dir, kind: "run", files: [("b.csv", "2\n")])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [".kfsim-output", "b.csv"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: container) == ["\(getpid())-8"])
        try FileManager.default.removeItem(atPath: live)
        try OutputFolder.replace(dir, kind: "run", files: [("c.csv", "3\n")])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["out"])
    }

    @Test func writingIntoAnUnwritablePlaceFailsCleanly() {
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write("x", to: "/proc/kfsim-cannot/f.csv") }
    }
}

import Yams
import KFConfig
import Foundation
import KFCluster
import KFEngine
import Testing
@testable import KFScenario

@Suite struct OverrideTests {
    let text = MalformedScenarioTests.base

    @Test func setReplacesCreatesAndAddressesListItemsByIndexOrName() throws {
        let s = try ScenarioLoader.parse(text: text, file: "t.yaml", overrides: [
            "spec.cluster.nodePools[0].count=5",
            "cluster.nodePools.w.allocatable.cpu=16",
            "seed=99",
            "horizon=1h",
        ])
        #expect(s.nodes.count == 5)
        #expect(s.nodes[0].allocatable.cpu == 16000)
        #expect(s.seed == 99)
        #expect(s.options.horizon == 3600 * Clock.microsPerSecond)
    }

    /// `+` appends a list item; a flow value is a structure.
    @Test func setAppendsListItems() throws {
        let s = try ScenarioLoader.parse(text: text, file: "t.yaml", overrides: [
            "cluster.nodePools[+]={name: big, count: 2, allocatable: {cpu: \"32\", memory: 64Gi}}",
            "cluster.nodePools.big.labels={pool: big}",
            "namespaces.+.name=team",
        ])
        #expect(s.nodes.map(\.name).suffix(2) == ["big-0", "big-1"])
        #expect(s.nodes.last?.labels["pool"] == "big" && s.nodes.last?.allocatable.cpu == 32000)
        #expect(s.namespaces.contains { $0.name == "team" })
    }

    @Test func overridesChangeTheHash() throws {
        let a = try ScenarioLoader.parse(text: text, file: "t.yaml")
        let b = try ScenarioLoader.parse(text: text, file: "t.yaml", overrides: ["seed=2"])
        #expect(a.hash != b.hash)
        #expect(a.hash == (try ScenarioLoader.parse(text: text, file: "t.yaml")).hash)
    }

    @Test(arguments: [
        ("seed=-3", "--set spec.seed: must be in 0...9223372036854775807, got -3"),
        ("cluster.nodePools[3].count=1", "--set spec.cluster.nodePools.3.count: index 3 is out of range; the list has 1 items"),
        ("workloads.nothere.kind=Pod", "--set spec.workloads.nothere.kind: no list item named 'nothere'"),
        ("novalue", "--set: 'novalue' is not key.path=value"),
        ("workloads.p.work.duration=abc", "--set spec.workloads[0].work.duration: 'abc' is not a duration; expected a number of seconds or a duration such as 500ms, 10s, 5m, 1h30m, 2d"),
        ("spec.bogus=1", "--set spec.bogus: unknown key 'bogus'; accepted: seed, horizon, stallTimeout, maxEvents, reference, latencies, cluster, namespaces, scheduler, workloads, outputs, clusterAutoscaler"),
    ])
    func badOverridesAreReported(_ assignment: String, _ message: String) {
        do {
            _ = try ScenarioLoader.parse(text: text, file: "t.yaml", overrides: [assignment])
            Issue.record("accepted \(assignment)")
        } catch {
            #expect(error.description == message)
        }
    }
}

@Suite struct ScenarioContentTests {
    @Test func distributionsParse() throws {
        let text = MalformedScenarioTests.variant("work: {duration: 10s}", """
work: {duration: {distribution: lognormal, mu: 1, sigma: 0.5}}
      arrivals: {count: 3, start: 1m, interArrival: {distribution: empirical, values: [1, 2s, 500ms], weights: [1, 1, 2]}}
""")
        let s = try ScenarioLoader.parse(text: text, file: "t.yaml")
        #expect(s.workloads.count == 1)
    }

    @Test func durationsText() {
        #expect(DurationText.seconds("90") == 90)
        #expect(DurationText.seconds("1h30m") == 5400)
        #expect(DurationText.seconds("250ms") == 0.25)
        #expect(DurationText.seconds("2d") == 172800)
        #expect(DurationText.seconds("5 m") == nil)
        #expect(DurationText.seconds("") == nil)
    }

    @Test func referenceModeZeroesLatenciesAndFixesTheScheduler() throws {
        let text = MalformedScenarioTests.variant("  cluster:\n", "  reference: true\n  cluster:\n")
        let s = try ScenarioLoader.parse(text: text, file: "t.yaml")
        #expect(s.scheduler == .reference)
        #expect(s.options.latencies == .zero)
    }

    @Test func oversizedTemplatesAreWarnedAbout() throws {
        let text = MalformedScenarioTests.variant("{cpu: 500m}", "{cpu: \"64\"}")
        let s = try ScenarioLoader.parse(text: text, file: "t.yaml")
        #expect(s.warnings == ["t.yaml: spec.workloads[0].template: requests cpu=64000m memory=0 gpu=0 exceed every node's allocatable: its pods will stay Pending"])
    }

    /// Every scenario shipped in `scenarios/` validates (those naming ../shared data only when it is there).
    @Test func shippedScenariosValidate() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(!files.isEmpty)
        let sharedPresent = FileManager.default.fileExists(atPath: root.appendingPathComponent("../shared/data").path)
        for f in files {
            let path = dir.appendingPathComponent(f).path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            if text.contains("shared/data") && !sharedPresent { continue }
            _ = try ScenarioLoader.load(path: path)
        }
    }
}

/// Scenario YAML is composed without Yams' implicit typing; YAML's null forms still count as absent.
@Suite struct YAMLNullTests {
    @Test func nullFormsAreAbsentAndQuotedNullIsText() throws {
        let yaml = "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: \"null\"\ng: !!null x\nh: 0\ni: 'NULL'\n"
        let node = try #require(try Yams.compose(yaml: yaml, ConfigNode.yamlResolver))
        let map = try ConfigNode(node: node, path: "", file: "t.yaml").mapping(["a", "b", "c", "d", "e", "f", "g", "h", "i"])
        for key in ["a", "b", "c", "d", "e", "g"] { #expect(map[key] == nil, "\(key)") }
        #expect(try map["f"]?.string() == "null")
        #expect(try map["h"]?.string() == "0")
        #expect(try map["i"]?.string() == "NULL")
    }
}

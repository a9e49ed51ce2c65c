import Foundation
import Testing
@testable import KFExperiments
@testable import KFWorkloads

/// Services under request traffic (issue 10): the queueing oracle, the HPA in a run, bad manifests,
/// determinism.
@Suite struct ServingTests {
    static func scenario(_ workload: String, nodes: Int = 2) -> String {
        """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster:
    nodePools:
      - {name: w, count: \(nodes), allocatable: {cpu: "16", memory: 64Gi}}
  workloads:
    - name: web
      kind: Deployment
      template:
        spec:
          containers: [{name: app, image: nginx, resources: {requests: {cpu: "1", memory: 1Gi}}}]
\(workload)

"""
    }

    /// The `services.web` section of a run's summary.json.
    static func service(_ r: RunResult) throws -> [String: Any] {
        let section = try #require(r.reports.flatMap(\.summary).first { $0.key == "services" }?.value)
        let json = try JSONSerialization.jsonObject(with: Data(section.rendered().utf8)) as? [String: Any]
        return try #require(json?["web"] as? [String: Any])
    }

    /// Erlang C: 4 replicas of concurrency 1, Poisson arrivals at 30/s, exponential service of 0.1 s
    /// (a = 3, rho = 0.75) wait 0.050943 s on average before service. Over 8 seeds of 2 simulated hours
    /// (about 216,000 requests each) the mean wait is within 3%, and the 95% interval over seeds covers it;
    /// the CPU used is the busy share of the replicas (utilisation over the whole run: no jobs).
    @Test func meanWaitMatchesErlangC() throws {
        let a = 3.0, c = 4.0
        var terms = 0.0, term = 1.0
        for k in 0..<4 { if k > 0 { term *= a / Double(k) }; terms += term }
        let top = term * a / c / (1 - a / c)
        let erlang = top / (terms + top) / (c * 10 - 30)
        #expect(abs(erlang - 0.050943) < 1e-6)
        var waits: [Double] = []
        for seed in UInt64(1)...8 {
            let r = try runScenario(Self.scenario("""
      replicas: 4
      traffic: {rate: 30, duration: 2h}
      serviceTime: {distribution: exponential, mean: 0.1}
      queue: {at: balancer}
"""), seed: seed)
            waits.append(try #require(Self.service(r)["waitMeanSeconds"] as? Double))
            // Used CPU: 3 of the 4 one-core replicas busy on average, of 32 cores; allocated 4 of 32.
            #expect(abs(try #require(r.summary.cpuUsed) - 3.0 / 32) < 0.003 && r.summary.cpuAllocated == 4.0 / 32)
        }
        let mean = waits.reduce(0, +) / 8
        let sd = (waits.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 7).squareRoot()
        let half = 2.365 * sd / 8.0.squareRoot()
        #expect(abs(mean - erlang) / erlang < 0.03, "mean wait \(mean) vs Erlang C \(erlang)")
        #expect(abs(mean - erlang) <= half, "95% interval \(mean) +- \(half) misses \(erlang)")
    }

    /// A step from 6 to 60 requests/s at 600 s (0.1 s each, one core per replica, HPA at 50% CPU):
    /// the HPA acts on its 15 s syncs, only after the step, and settles near 60 x 0.1 / 0.5 = 12 replicas.
    @Test func hpaFollowsATrafficStep() throws {
        let dir = Paths.temporary()
        try """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 40
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}

""".write(toFile: "\(dir)/hpa.yaml", atomically: true, encoding: .utf8)
        let r = try runScenario(Self.scenario("""
      replicas: 2
      autoscaler: \(dir)/hpa.yaml
      traffic: {rates: [[0, 6], [600, 60]], duration: 1800s}
      serviceTime: {distribution: exponential, mean: 0.1}
"""))
        let decisions = try #require(Self.service(r)["autoscalerDecisions"] as? [[Double]])
        let first = try #require(decisions.first)
        #expect(first[0] > 600 && first[0] <= 660 && first[0].truncatingRemainder(dividingBy: 15) == 0, "\(decisions)")
        #expect(first[1] > 2, "\(decisions)")
        let last = try #require(decisions.last)
        #expect(last[1] >= 10 && last[1] <= 15, "\(decisions)")
        #expect(try #require(Self.service(r)["dropped"] as? Int) == 0)
    }

    @Test func badServiceInputsAreRefusedWithLocations() throws {
        let dir = Paths.temporary()
        func refusal(_ workload: String, hpa: String? = nil) -> String {
            if let hpa { try? hpa.write(toFile: "\(dir)/hpa.yaml", atomically: true, encoding: .utf8) }
            do { _ = try runScenario(Self.scenario(workload)); return "accepted" } catch { return "\(error)" }
        }
        let base = "      traffic: {rate: 5, duration: 60s}\n      serviceTime: {distribution: exponential, mean: 0.1}\n"
        let hpa = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  scaleTargetRef: {kind: Deployment, name: NAME}\n  maxReplicas: 5\n"
        #expect(refusal(base + "      autoscaler: \(dir)/hpa.yaml\n", hpa: hpa.replacingOccurrences(of: "NAME", with: "api"))
            .contains("hpa.yaml:5:44: spec.scaleTargetRef.name: the HPA targets Deployment 'api', but this workload's Deployment is 'web'"))
        #expect(refusal(base + "      autoscaler: \(dir)/hpa.yaml\n", hpa: hpa.replacingOccurrences(of: "NAME", with: "web")
            + "  metrics: [{type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 50}}}]\n")
            .contains("kfsim models the CPU use of services, not 'memory'"))
        #expect(refusal(base + "      autoscaler: \(dir)/hpa.yaml\n", hpa: hpa.replacingOccurrences(of: "NAME", with: "web")
            + "  metrics: [{type: Pods, pods: {metric: {name: qps}, target: {type: AverageValue, averageValue: \"10\"}}}]\n")
            .contains("unknown per-pod metric 'qps'; a service reports: requests_per_second, concurrency"))
        #expect(refusal(base + "      autoscaler: \(dir)/hpa.yaml\n", hpa: hpa.replacingOccurrences(of: "NAME", with: "web")
            .replacingOccurrences(of: "maxReplicas: 5", with: "maxReplicas: 5\n  minReplicas: 9")).contains("maxReplicas (5) is below minReplicas (9)"))
        #expect(refusal("      traffic: {rate: 5, duration: 60s, daily: [1, 2]}\n      serviceTime: {distribution: exponential, mean: 0.1}\n")
            .contains("daily needs 24 hourly factors, got 2"))
        #expect(refusal("      traffic: {rate: 1e7, duration: 1000d}\n      serviceTime: {distribution: exponential, mean: 0.1}\n")
            .contains("kfsim simulates at most 2e8 per service"))
        #expect(refusal(base + "      balancer: nearest\n").contains("unknown value 'nearest'; accepted: roundRobin, leastRequests, random"))
        #expect(refusal("      serviceTime: {distribution: exponential, mean: 0.1}\n").contains("missing required key 'traffic'"))
    }

    /// Piecewise rates, a daily profile and bursts give the expected number of requests; arrivals are
    /// deterministic per seed.
    @Test func trafficRatesAndDeterminism() throws {
        let t = RequestTraffic(pieces: [(0, 10), (100, 20)], daily: nil, bursts: [(50, 10, 3)], start: 0, end: 200)
        let expected: Double = 500 + 300 + 400 + 2000
        #expect(t.expectedRequests == expected)
        let daily = RequestTraffic(pieces: [(0, 2)], daily: (0..<24).map { Double($0 % 2) }, bursts: [], start: 0, end: 86_400)
        #expect(daily.expectedRequests == 12 * 3600 * 2)
        let yaml = Self.scenario("      replicas: 3\n      traffic: {rate: 40, duration: 300s}\n      serviceTime: {distribution: lognormal, mu: -3, sigma: 0.5}\n      recordRequests: 10\n")
        let a = try runScenario(yaml, seed: 3), b = try runScenario(yaml, seed: 3)
        let files = { (r: RunResult) in r.reports.flatMap(\.files).map { "\($0.name):\($0.contents)" } }
        #expect(files(a) == files(b) && !files(a).isEmpty)
        #expect(try Self.service(a)["served"] as? Int == Self.service(b)["served"] as? Int)
        let served = try #require(Self.service(a)["served"] as? Int)
        // Little's law holds exactly for the integral: every request left, so the request-seconds present
        // equal the sum of the latencies (to the histogram's exact sum).
        let latency = try #require((Self.service(a)["latencySeconds"] as? [String: Any])?["mean"] as? Double)
        let concurrency = try #require(Self.service(a)["concurrencyMean"] as? Double)
        #expect(abs(concurrency * 300 - latency * Double(served)) < 1e-3 * latency * Double(served))
        #expect(abs(Double(served) - 12_000) < 4 * 12_000.0.squareRoot())
    }
}

/// Knative's autoscaler in a run (issue 10): an InferenceService in serverless mode scales to zero
/// after a stable window without requests, and the first request after that waits at the activator
/// while one replica starts (a cold start of the container's 5 s start-up).
@Suite struct KnativeRunTests {
    @Test func scalesToZeroAndBackWithTheActivator() throws {
        let dir = Paths.temporary()
        try """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: web}
spec:
  predictor:
    minReplicas: 0
    maxReplicas: 10
    containerConcurrency: 1
    model:
      modelFormat: {name: sklearn}
      resources: {requests: {cpu: "1", memory: 1Gi}}

""".write(toFile: "\(dir)/isvc.yaml", atomically: true, encoding: .utf8)
        let r = try runScenario("""
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  latencies:
    containerStart: 5s
  cluster:
    nodePools:
      - {name: w, count: 4, allocatable: {cpu: "16", memory: 64Gi}}
  workloads:
    - name: web
      kind: InferenceService
      manifest: \(dir)/isvc.yaml
      traffic: {rates: [[0, 0], [200, 5]], duration: 400s}
      serviceTime: {distribution: exponential, mean: 0.1}

""")
        let s = try ServingTests.service(r)
        #expect(s["autoscaler"] as? String == "KPA")
        let decisions = try #require(s["autoscalerDecisions"] as? [[Double]])
        // Zero once the service was active a stable window with nothing to do.
        #expect(decisions.first == [60, 0], "\(decisions)")
        // The first request after 200 s pokes the autoscaler at once.
        let wake = try #require(decisions.dropFirst().first)
        #expect(wake[0] > 200 && wake[0] < 201 && wake[1] >= 1, "\(decisions) \(s)")
        // That request waited for the cold start.
        let latency = try #require(s["latencySeconds"] as? [String: Any])
        #expect(try #require(latency["max"] as? Double) >= 5)
        #expect(s["dropped"] as? Int == 0 && s["timedOut"] as? Int == 0)
    }
}

/// Rollouts of a Deployment (issue 10): the deployment controller's rolling update and recreate.
@Suite struct RolloutTests {
    static func run(strategy: String) throws -> [String: Any] {
        let dir = Paths.temporary()
        try """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  strategy: \(strategy)
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: nginx
          resources: {requests: {cpu: "1"}}
          readinessProbe: {httpGet: {path: /, port: 80}, initialDelaySeconds: 10}

""".write(toFile: "\(dir)/deployment.yaml", atomically: true, encoding: .utf8)
        let r = try runScenario("""
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster:
    nodePools:
      - {name: w, count: 2, allocatable: {cpu: "16", memory: 64Gi}}
  workloads:
    - name: web
      kind: Deployment
      manifest: \(dir)/deployment.yaml
      rollouts: [100s]
      traffic: {rate: 2, duration: 300s}
      serviceTime: 0.01

""")
        return try ServingTests.service(r)
    }

    /// maxSurge 1, maxUnavailable 0, pods ready 10 s after they start: one new replica at a time, each
    /// old one removed when a new one is ready: the rollout takes 4 x 10 s and creates 4 new replicas.
    @Test func rollingUpdateReplacesOneAtATime() throws {
        let s = try Self.run(strategy: "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}")
        #expect((s["rollouts"] as? [[Double]]) == [[100, 140]], "\(s)")
        #expect(s["replicasCreated"] as? Int == 8)
        #expect(s["dropped"] as? Int == 0 && s["timedOut"] as? Int == 0)
        // The defaults (25% each: 1 up, 1 down) replace two at a time: 2 x 10 s.
        let d = try Self.run(strategy: "{type: RollingUpdate}")
        #expect((d["rollouts"] as? [[Double]]) == [[100, 120]], "\(d)")
    }

    /// Recreate: every old replica goes at once, the new ones are ready 10 s later; requests wait at the
    /// balancer meanwhile (the longest waits about 10 s).
    @Test func recreateLeavesAGap() throws {
        let s = try Self.run(strategy: "{type: Recreate}")
        #expect((s["rollouts"] as? [[Double]]) == [[100, 110]], "\(s)")
        let max = try #require((s["latencySeconds"] as? [String: Any])?["max"] as? Double)
        #expect(max > 5 && max <= 10.1)
    }
}

import KFConfig
import KFScheduler
import Yams

extension LoadContext {
    /// The API version of KubeSchedulerConfiguration files and plugin args.
    static let kubeSchedulerAPIVersion = "kubescheduler.config.k8s.io/v1"

    /// The keys of a KubeSchedulerConfiguration (v1) document kfsim reads.
    static let kubeSchedulerConfigurationKeys = ["apiVersion", "kind", "percentageOfNodesToScore", "podInitialBackoffSeconds",
                                                 "podMaxBackoffSeconds", "profiles", "extenders"] + ignoredKubeSchedulerKeys

    /// Keys that configure the scheduler process, not its decisions (accepted and ignored).
    static let ignoredKubeSchedulerKeys = ["parallelism", "leaderElection", "clientConnection", "healthzBindAddress",
                                           "metricsBindAddress", "enableProfiling", "enableContentionProfiling",
                                           "delayCacheUntilActive"]

    /// Reads the KubeSchedulerConfiguration file `fileNode` names (relative to the scenario), checks
    /// its `apiVersion`, `kind` and `extenders`, and returns its root (errors are located in it).
    func kubeSchedulerConfigurationFile(_ fileNode: ConfigNode) throws(ConfigError) -> ConfigNode {
        let path = resolve(try fileNode.name())
        let text: String
        do { text = try InputFile.read(path, maxBytes: InputFile.maxYAMLBytes) } catch {
            if error.wholeFile { throw fileNode.error("\(path): \(error.message)") }
            throw ConfigError(error)
        }
        let root: Yams.Node
        do {
            guard let node = try Yams.compose(yaml: text, ConfigNode.yamlResolver) else {
                throw ConfigError(file: path, line: 1, column: 1, path: "", message: "the file is empty; expected a KubeSchedulerConfiguration")
            }
            root = node
        } catch let e as ConfigError {
            throw e
        } catch let e as YamlError {
            throw ConfigError.yaml(e, file: path)
        } catch {
            throw ConfigError(file: path, line: 1, column: 1, path: "", message: "invalid YAML: \(error)")
        }
        let doc = ConfigNode(node: root, path: "", file: path)
        let m = try doc.mapping(LoadContext.kubeSchedulerConfigurationKeys)
        let version = try m.required("apiVersion")
        guard try version.string() == LoadContext.kubeSchedulerAPIVersion else {
            throw version.error("unsupported apiVersion '\(try version.string())'; accepted: \(LoadContext.kubeSchedulerAPIVersion) (v1beta2 and v1beta3 were removed in Kubernetes 1.28 and 1.29)")
        }
        _ = try m.required("kind").oneOf(["KubeSchedulerConfiguration"])
        if let e = m["extenders"], !(try e.list()).isEmpty {
            throw e.error("scheduler extenders call HTTP services kfsim cannot simulate; write the policy as a kfsim plugin instead")
        }
        return doc
    }
}

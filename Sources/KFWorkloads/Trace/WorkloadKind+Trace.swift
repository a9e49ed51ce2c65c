import KFConfig
import KFControlPlane

extension WorkloadKind {
    /// `kind: Trace`: a replay of an openb pod list (`pods`), optionally the first `limit` pods, with
    /// times multiplied by `timeScale`.
    public static let trace = WorkloadKind(name: "Trace", keys: ["pods", "timeScale", "limit"]) { (e: WorkloadEntry) throws(ConfigError) in
        let fileNode = try e.fields.required("pods")
        let path = e.context.resolve(try fileNode.name())
        var pods: [TracePod]
        do throws(InputError) { pods = try OpenbTrace.pods(file: path) } catch { throw error.located(under: fileNode) }
        if let l = e.fields["limit"] { pods = Array(pods.prefix(Int(try l.int(0...Int64(Int32.max))))) }
        let scale = try e.fields["timeScale"]?.double(1e-9...1e9) ?? 1
        let frozen = pods, name = e.name, namespace = e.namespace
        return LoadedWorkload {
            SinglePodJobController.traceReplay(name: name, pods: frozen, namespace: namespace, timeScale: scale)
        }
    }
}

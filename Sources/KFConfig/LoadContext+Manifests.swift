import Yams

/// Manifests as users have them: a file (relative to the scenario) of one or more YAML documents, or
/// `kubectl get -o yaml` output (a `List` or `<Kind>List`), or inline manifests.
extension LoadContext {
    /// The manifests `node` names (a file path) or holds (a list), Lists expanded.
    public func manifestDocuments(_ node: ConfigNode) throws(ConfigError) -> [ConfigNode] {
        var documents: [ConfigNode] = []
        if case .scalar = node.node {
            let path = resolve(try node.name())
            let text: String
            do { text = try InputFile.read(path, maxBytes: InputFile.maxYAMLBytes) } catch {
                if error.wholeFile { throw node.error("\(path): \(error.message)") }
                throw ConfigError(error)
            }
            do {
                for doc in try Yams.compose_all(yaml: text, ConfigNode.yamlResolver) { documents.append(ConfigNode(node: doc, path: "", file: path)) }
            } catch let e as YamlError {
                throw ConfigError.yaml(e, file: path)
            } catch {
                throw node.error("cannot parse '\(path)': \(error)")
            }
        } else {
            documents = try node.list()
        }
        var manifests: [ConfigNode] = []
        for d in documents {
            if case .mapping = d.node, let kind = d.node["kind"]?.string, kind.hasSuffix("List") {
                let lm = try d.mapping(["apiVersion", "kind", "items", "metadata"])
                manifests += try lm["items"]?.list() ?? []
            } else {
                manifests.append(d)
            }
        }
        return manifests
    }

    /// The one manifest of `kind` (`apiVersion` one of `versions`) that `node` names.
    public func singleManifest(_ node: ConfigNode, kind: String, versions: [String]) throws(ConfigError) -> ConfigNode {
        let docs = try manifestDocuments(node)
        guard docs.count == 1 else { throw node.error("expected exactly one \(kind) manifest, found \(docs.count)") }
        let doc = docs[0]
        let m = try doc.mapping(["apiVersion", "kind", "metadata", "spec", "status"])
        _ = try m.required("apiVersion").oneOf(versions)
        _ = try m.required("kind").oneOf([kind])
        return doc
    }

    /// The value under `key` of a manifest mapping whose other keys are ignored (metadata and status of
    /// real objects hold many fields that change no scheduling decision).
    public func field(_ node: ConfigNode, _ key: String) -> ConfigNode? {
        guard case .mapping(let m) = node.node, let v = m[key] else { return nil }
        if case .scalar(let s) = v, s.string == "null" || s.string == "~" || s.string.isEmpty && s.style == .plain { return nil }
        return ConfigNode(node: v, path: node.path.isEmpty ? key : "\(node.path).\(key)", file: node.file)
    }
}

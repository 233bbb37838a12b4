/// Typed values middleware attaches to a request for the handlers after it
/// (the authenticated principal, say), keyed by type so this layer needs no
/// knowledge of what they are.
public struct RequestAttributes: Sendable {
    /// A request carries one or two: a list scanned in place costs less than
    /// a dictionary's hashing and storage, on every request.
    private var values: [(type: ObjectIdentifier, value: any Sendable)] = []

    public init() {}

    public subscript<T: Sendable>(_ type: T.Type) -> T? {
        get { values.first { $0.type == ObjectIdentifier(type) }?.value as? T }
        set {
            values.removeAll { $0.type == ObjectIdentifier(type) }
            if let newValue { values.append((ObjectIdentifier(type), newValue)) }
        }
    }
}

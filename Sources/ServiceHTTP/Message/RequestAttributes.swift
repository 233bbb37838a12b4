/// Typed values middleware attaches to a request for the handlers after it
/// (the authenticated principal, say), keyed by type so this layer needs no
/// knowledge of what they are.
public struct RequestAttributes: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    public subscript<T: Sendable>(_ type: T.Type) -> T? {
        get { values[ObjectIdentifier(type)] as? T }
        set { values[ObjectIdentifier(type)] = newValue }
    }
}

import Foundation

/// Where outgoing requests (webhook deliveries) may go. Dealers choose
/// endpoint URLs, so a URL must not turn the daemon into a way into its
/// own network (server-side request forgery): `https` only, and no
/// address in a loopback, private,
/// link-local, shared (carrier-grade NAT), multicast or unspecified range,
/// checked on the URL's literal address or on every address its name
/// resolves to, when the endpoint is saved and again at each delivery.
/// `allowInsecure` (the `webhook_allow_insecure` setting, for development
/// and tests) lifts both rules.
public struct OutboundPolicy: Sendable {
    public let allowInsecure: Bool

    public init(allowInsecure: Bool) {
        self.allowInsecure = allowInsecure
    }

    /// A URL taken apart: scheme, host, port and the request target.
    public struct Target: Sendable, Equatable {
        public let secure: Bool
        public let host: String
        public let port: Int
        public let path: String
    }

    /// The URL's parts, or why it is refused (before any name is resolved).
    public func parse(_ text: String) -> Result<Target, Refusal> {
        guard text.utf8.count <= 2_048, let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return .failure(Refusal("must be an absolute URL"))
        }
        guard scheme == "https" || (scheme == "http" && allowInsecure) else {
            return .failure(Refusal(allowInsecure ? "must be an http or https URL" : "must be an https URL"))
        }
        guard let host = components.host, !host.isEmpty else { return .failure(Refusal("must name a host")) }
        guard components.user == nil && components.password == nil else { return .failure(Refusal("must not carry credentials")) }
        guard components.fragment == nil else { return .failure(Refusal("must not have a fragment")) }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { return .failure(Refusal("has an invalid port")) }
        var path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery { path += "?" + query }
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return .success(Target(secure: scheme == "https", host: bareHost, port: port, path: path))
    }

    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// The addresses a delivery may connect to: all the host's addresses,
    /// or a refusal naming the first one in a refused range (one bad
    /// address refuses the host: which one a connection would take is not
    /// ours to predict).
    public func addresses(of target: Target) -> Result<[IPAddress], Refusal> {
        let resolved = IPAddress.resolve(target.host, port: target.port)
        guard !resolved.isEmpty else { return .failure(Refusal("host \(target.host) does not resolve")) }
        if !allowInsecure, let refused = resolved.first(where: \.isInternal) {
            return .failure(Refusal("resolves to \(refused), an address in a private, loopback or link-local range"))
        }
        return .success(resolved)
    }
}

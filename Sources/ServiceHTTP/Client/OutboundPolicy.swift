import Foundation

/// Where outgoing requests (webhook deliveries) may go. Dealers choose
/// endpoint URLs, so a URL must not turn the daemon into a way into its
/// own network (server-side request forgery): `https` only, and no
/// address in a loopback, private,
/// link-local, shared (carrier-grade NAT), multicast or unspecified range,
/// checked on the URL's literal address when the endpoint is saved, and on
/// every address its host resolves to at each delivery.
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

    /// The URLs an endpoint may name while `allowInsecure` is off, exactly
    /// as the OpenAPI document states them (between optional surrounding
    /// white space, which is trimmed): `https`, a host named by DNS labels
    /// (an IPv4 address is four of them), an optional port 1-65535, and a
    /// path and query of URL characters. No user information, fragment or
    /// IPv6 literal (a name with an AAAA record serves IPv6).
    public static let securePattern = "https://[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
        + "(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?"
        + "(?:/(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?"

    /// Whether an endpoint may be saved with this URL: its syntax (the
    /// secure pattern unless insecure delivery is allowed), and an address
    /// literal or a `localhost` name outside the internal ranges. A name is
    /// not resolved here: what it resolves to is checked at every delivery,
    /// where it counts (a name can change its addresses after it is saved),
    /// and saving an endpoint never waits on DNS.
    public func admit(_ text: String) -> Result<Target, Refusal> {
        if !allowInsecure, (try? Regex(Self.securePattern).wholeMatch(in: text)) == nil {
            return .failure(Refusal("must be an https URL whose host is a DNS name or an IPv4 address, with an optional port and path"))
        }
        return parse(text).flatMap { target in
            guard !allowInsecure else { return .success(target) }
            if let literal = IPAddress(target.host), literal.isInternal {
                return .failure(Refusal("names \(literal), \(Self.internalRanges)"))
            }
            let name = target.host.lowercased()
            // RFC 6761: localhost names are loopback wherever they are resolved.
            if name == "localhost" || name.hasSuffix(".localhost") {
                return .failure(Refusal("names \(target.host), \(Self.internalRanges)"))
            }
            return .success(target)
        }
    }

    static let internalRanges = "an address in a private, loopback or link-local range"

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
            return .failure(Refusal("resolves to \(refused), \(Self.internalRanges)"))
        }
        return .success(resolved)
    }
}

import Testing
@testable import ServiceHTTP

/// A request target split into path and query, byte by byte: origin-form and
/// absolute-form, a fragment dropped, the first `?` the only one that splits.
@Suite struct RequestTargetTests {
    @Test(arguments: [
        ("/", "/", nil),
        ("/?", "/", ""),
        ("/v1/contracts", "/v1/contracts", nil),
        ("/a?b#c", "/a", "b"),
        ("/a?b?c#d?e", "/a", "b?c"),
        ("/v1/contracts?limit=5&cursor=abc", "/v1/contracts", "limit=5&cursor=abc"),
        ("/v1/contracts?", "/v1/contracts", ""),
        ("/a?b?c", "/a", "b?c"),
        ("/a#frag?x=1", "/a", nil),
        ("/a?x=1#frag", "/a", "x=1"),
        ("/a:b/c", "/a:b/c", nil),
        ("/a://b", "/a://b", nil),
        ("http://example.com/v1/x?y=2", "/v1/x", "y=2"),
        ("http://example.com:8080?y=2", "/", "y=2"),
        ("http://example.com", "/", nil),
        ("/%C3%A5?n=%C3%B8", "/%C3%A5", "n=%C3%B8"),
        ("/å?ø=1", "/å", "ø=1"),
        ("/#\u{301}?x", "/", nil),
    ] as [(String, String, String?)])
    func targetsSplitIntoPathAndQuery(target: String, path: String, query: String?) {
        let split = RequestTarget.split(target)
        #expect(split.path == path)
        #expect(split.query == query)
    }

    /// A path cut into its segments, each percent-decoded; nil for a path that
    /// does not start with "/" and for a segment that does not decode.
    @Test(arguments: [
        ("/", []),
        ("/v1/cps/members/cpm_1", ["v1", "cps", "members", "cpm_1"]),
        ("/a//b/", ["a", "", "b", ""]),
        ("/a%2Fb/c%20d", ["a/b", "c d"]),
        ("/å%C3%B8", ["åø"]),
        ("/a+b", ["a+b"]),
        ("/%zz", nil),
        ("/%4", nil),
        ("/a/%00", nil),
        ("/%C3", nil),
        ("a/b", nil),
        ("", nil),
    ] as [(String, [String]?)])
    func pathsAreCutIntoDecodedSegments(path: String, segments: [String]?) {
        #expect(RouterResponder.decodeSegments(path) == segments)
    }
}

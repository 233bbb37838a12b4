import Testing
@testable import ServiceHTTP

@Suite struct OutboundPolicyTests {
    @Test(arguments: [
        "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.0.1", "127.0.0.1", "127.8.8.8", "169.254.169.254",
        "100.64.0.1", "100.127.255.255", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "febf::1", "fc00::1",
        "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
    ])
    func internalAddresses(text: String) throws {
        #expect(try #require(IPAddress(text)).isInternal)
    }

    @Test(arguments: [
        "8.8.8.8", "172.15.255.255", "172.32.0.1", "192.167.1.1", "100.63.255.255", "100.128.0.1", "169.253.1.1", "203.0.113.5",
        "2001:db8::1", "2606:4700::1111", "fec0::1", "::ffff:8.8.8.8",
    ])
    func publicAddresses(text: String) throws {
        #expect(try !#require(IPAddress(text)).isInternal)
    }

    @Test func urlsAreTakenApart() throws {
        let strict = OutboundPolicy(allowInsecure: false)
        let target = try strict.parse("https://hooks.example.no:8443/in/events?portal=7").get()
        #expect(target == OutboundPolicy.Target(secure: true, host: "hooks.example.no", port: 8443, path: "/in/events?portal=7"))
        #expect(try strict.parse("https://[2001:db8::1]/").get().host == "2001:db8::1")
        #expect((try? strict.parse("http://hooks.example.no/").get()) == nil)
        let loose = OutboundPolicy(allowInsecure: true)
        #expect(try loose.parse("http://127.0.0.1:9000").get() == OutboundPolicy.Target(secure: false, host: "127.0.0.1", port: 9000, path: "/"))
        #expect(try loose.addresses(of: loose.parse("http://127.0.0.1:9000").get()).get() == [IPAddress("127.0.0.1")!])
        #expect((try? strict.addresses(of: strict.parse("https://127.0.0.1/").get()).get()) == nil)
    }

    /// What an endpoint may be saved with: the document's pattern, literal
    /// addresses and localhost names judged at once, other names left to
    /// the delivery (a name that does not resolve today is not refused).
    @Test(arguments: [
        ("https://hooks.example.no/in", true), ("https://hooks.invalid:8443/in/events?portal=7&x=%2F", true),
        ("https://203.0.113.5/hook", true), ("https://a", true),
        ("https://10.0.0.1/hook", false), ("https://0.0.0.0", false), ("https://LOCALHOST/x", false), ("https://api.localhost/x", false),
        ("https://[2001:db8::1]/", false), ("https://hooks.example.no:0/", false), ("https://hooks.example.no:65536/", false),
        ("https://user@hooks.example.no/", false), ("https://hooks.example.no/#top", false), ("https://hooks.example.no/a b", false),
        ("https://-bad.example.no/", false), ("https://hooks.example.no/%zz", false), ("http://hooks.example.no/", false),
        ("https://", false), ("https://hooks..example.no/", false),
    ])
    func admission(url: String, admitted: Bool) {
        #expect(((try? OutboundPolicy(allowInsecure: false).admit(url).get()) != nil) == admitted, "\(url)")
    }

    @Test func insecureAdmitsHTTPAndLoopback() throws {
        let loose = OutboundPolicy(allowInsecure: true)
        #expect(try loose.admit("http://127.0.0.1:9000/hook").get().port == 9000)
        #expect(try loose.admit("https://[::1]:8443/").get().host == "::1")
        #expect((try? loose.admit("ftp://127.0.0.1/").get()) == nil)
    }
}

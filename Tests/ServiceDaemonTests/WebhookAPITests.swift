import Foundation
import ServiceCore
import ServiceHTTP
import Testing
@testable import ServiceDaemon

/// Webhook endpoints and deliveries against a receiver on loopback:
/// Standard Webhooks signatures checked with the specification's algorithm
/// (computed here by the openssl CLI, not by the daemon's code), retries
/// with growing delays, tenancy, and the address policy.
@Suite struct WebhookAPITests {
    static func server(retryBase: Int = 100, insecure: Bool = true, caFile: String? = nil) throws -> APITestServer {
        try APITestServer { configuration in
            configuration.webhookAllowInsecure = insecure
            configuration.webhookRetryBaseMilliseconds = retryBase
            configuration.webhookCAFile = caFile
        }
    }

    static func endpoint(_ server: APITestServer, key: String, url: String, types: [String] = ["contract.created"],
                         extra: String = "") throws -> APITestServer.Reply {
        let list = types.map { "\"\($0)\"" }.joined(separator: ", ")
        return try server.call("POST", "/v1/webhook-endpoints", key: key, body: #"{"url": "\#(url)", "event_types": [\#(list)]\#(extra)}"#)
    }

    /// base64(HMAC-SHA256(key, "id.timestamp.body")) by `openssl dgst`, the key being the secret's base64 after `whsec_`.
    static func opensslSignature(secret: String, id: String, timestamp: String, body: [UInt8]) throws -> String {
        let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count)))!
        let hexKey = key.map { String(format: "%02x", $0) }.joined()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "openssl dgst -sha256 -mac HMAC -macopt hexkey:\(hexKey) -binary | base64 -w0"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data("\(id).\(timestamp).".utf8) + Data(body))
        try input.fileHandleForWriting.close()
        let signature = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return signature
    }

    @Test func signedDeliveryVerifiesWithTheSpecificationsAlgorithm() throws {
        let receiver = try WebhookReceiver()
        let server = try Self.server()
        let a = try server.dealer("A", serial: "WH-1")
        let created = try Self.endpoint(server, key: a.key, url: receiver.url)
        #expect(created.status == 201)
        let secret = try #require(created["secret"] as? String)
        #expect(secret.hasPrefix("whsec_"))
        #expect(created["dealer_id"] as? String == a.id)
        // The secret is shown once.
        let id = created["id"] as! String
        #expect(try server.call("GET", "/v1/webhook-endpoints/\(id)", key: a.key)["secret"] == nil)
        #expect(try server.call("GET", "/v1/webhook-endpoints", key: a.key).items.allSatisfy { $0["secret"] == nil })

        let contract = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))
        let delivery = try #require(receiver.wait(for: 1).first)
        let webhookID = try #require(delivery.headers["webhook-id"])
        let timestamp = try #require(delivery.headers["webhook-timestamp"])
        let signature = try #require(delivery.headers["webhook-signature"])
        #expect(delivery.headers["content-type"] == "application/json")
        #expect(abs(Double(timestamp)! - Date().timeIntervalSince1970) < 300)
        #expect(signature == "v1," + (try Self.opensslSignature(secret: secret, id: webhookID, timestamp: timestamp, body: delivery.body)))
        // A tampered body no longer matches.
        #expect(signature != "v1," + (try Self.opensslSignature(secret: secret, id: webhookID, timestamp: timestamp, body: delivery.body + [32])))
        let event = delivery.json
        #expect(event["id"] as? String == webhookID)
        #expect(event["type"] as? String == "contract.created")
        #expect((event["data"] as? [String: Any])?["id"] as? String == contract["id"] as? String)
        // The feed lists the same event.
        let feed = try EventOutboxAPITests.feed(server, key: a.key, "types=contract.created").items
        #expect(feed.first?["id"] as? String == webhookID)
    }

    /// 500, 500, 200 with a 300 ms base: the second attempt 240-360 ms after
    /// the first (300 ±20 %), the third 480-720 ms after the second (600
    /// ±20 %): the second gap is longer than the first.
    /// https delivery over the sender's OpenSSL client to a receiver with
    /// its own certificate (made by the openssl CLI, for IP 127.0.0.1): a
    /// daemon that trusts it delivers a signed event; one that trusts only
    /// the system's store delivers nothing and lists the failed handshake.
    @Test func httpsDeliveryVerifiesTheReceiversCertificate() throws {
        let directory = try TemporaryDirectory()
        let certificate = try TLSTests.Certificate(commonName: "receiver", in: directory)
        let receiver = try WebhookReceiver(tls: try TLSContext(certificatePath: certificate.certificate, keyPath: certificate.key))
        #expect(receiver.url.hasPrefix("https://127.0.0.1:"))
        let trusting = try Self.server(caFile: certificate.certificate)
        let a = try trusting.dealer("A", serial: "WH-TLS")
        let created = try Self.endpoint(trusting, key: a.key, url: receiver.url)
        let secret = try #require(created["secret"] as? String)
        _ = try trusting.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))
        let delivery = try #require(receiver.wait(for: 1).first)
        #expect(delivery.json["type"] as? String == "contract.created")
        let signature = try Self.opensslSignature(secret: secret, id: try #require(delivery.headers["webhook-id"]),
                                                  timestamp: try #require(delivery.headers["webhook-timestamp"]), body: delivery.body)
        #expect(delivery.headers["webhook-signature"] == "v1," + signature)

        let untrusting = try Self.server(retryBase: 60_000)
        let b = try untrusting.dealer("B", serial: "WH-TLS2")
        let refused = try #require(try Self.endpoint(untrusting, key: untrusting.adminKey, url: receiver.url)["id"] as? String)
        _ = try untrusting.call("POST", "/v1/contracts", key: b.key, body: APITestServer.contractBody(customer: b.customerID, serials: [b.serial]))
        let attempts = try Self.attempts(untrusting, refused, count: 1)
        #expect(attempts.map { $0["status"] as? String } == ["failed"])
        #expect((attempts.first?["error"] as? String ?? "").contains("TLS handshake with 127.0.0.1 failed"))
        #expect(receiver.all.count == 1)
    }

    @Test func failedDeliveriesAreRetriedWithGrowingDelays() throws {
        let receiver = try WebhookReceiver(script: [500, 500, 200])
        let server = try Self.server(retryBase: 300)
        let a = try server.dealer("A", serial: "WH-2")
        let id = try Self.endpoint(server, key: a.key, url: receiver.url)["id"] as! String
        _ = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))
        let arrivals = receiver.wait(for: 3)
        #expect(arrivals.count == 3)
        #expect(Set(arrivals.compactMap { $0.headers["webhook-id"] }).count == 1)  // the same event each time
        if arrivals.count == 3 {
            let first = arrivals[1].at.timeIntervalSince(arrivals[0].at)
            let second = arrivals[2].at.timeIntervalSince(arrivals[1].at)
            #expect(first >= 0.24)
            #expect(second >= 0.48)
            #expect(second > first)
        }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(receiver.all.count == 3)  // acknowledged: no more attempts
        let attempts = try server.call("GET", "/v1/webhook-endpoints/\(id)/deliveries", key: a.key).items
        #expect(attempts.map { $0["status"] as? String } == ["failed", "failed", "delivered"])
        #expect(attempts.map { $0["response_status"] as? Int } == [500, 500, 200])
        #expect(attempts.map { $0["attempt"] as? Int } == [1, 2, 3])
        #expect(attempts.allSatisfy { ($0["latency_ms"] as? Int ?? -1) >= 0 })
        let endpoint = try server.call("GET", "/v1/webhook-endpoints/\(id)", key: a.key)
        #expect(endpoint["state"] as? String == "active")
        #expect(endpoint["failed_attempts"] as? Int == 0)
    }

    @Test func aDealersEndpointReceivesOnlyItsOwnEvents() throws {
        let receiverA = try WebhookReceiver()
        let receiverB = try WebhookReceiver()
        let receiverAdmin = try WebhookReceiver()
        let server = try Self.server()
        let a = try server.dealer("A", serial: "WH-3")
        let b = try server.dealer("B", serial: "WH-4")
        let endpointA = try Self.endpoint(server, key: a.key, url: receiverA.url)["id"] as! String
        _ = try Self.endpoint(server, key: b.key, url: receiverB.url)
        #expect(try Self.endpoint(server, key: server.adminKey, url: receiverAdmin.url).status == 201)
        let contractA = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))
        let contractB = try server.call("POST", "/v1/contracts", key: b.key, body: APITestServer.contractBody(customer: b.customerID, serials: [b.serial]))
        receiverAdmin.wait(for: 2)
        receiverA.wait(for: 1)
        receiverB.wait(for: 1)
        Thread.sleep(forTimeInterval: 0.5)
        func contracts(_ receiver: WebhookReceiver) -> [String?] {
            receiver.all.map { ($0.json["data"] as? [String: Any])?["id"] as? String }
        }
        #expect(contracts(receiverA) == [contractA["id"] as? String])
        #expect(contracts(receiverB) == [contractB["id"] as? String])
        #expect(contracts(receiverAdmin) == [contractA["id"] as? String, contractB["id"] as? String])
        // B cannot see, change, replay or read the deliveries of A's endpoint.
        for (method, path, body) in [("GET", "", nil), ("PATCH", "", #"{"description": "mine now"}"#), ("DELETE", "", nil),
                                     ("POST", "/replay", nil), ("GET", "/deliveries", nil)] as [(String, String, String?)] {
            let reply = try server.call(method, "/v1/webhook-endpoints/\(endpointA)\(path)", key: b.key, body: body)
            #expect(reply.status == 404, "\(method) \(path)")
            let owner = try server.call(method == "DELETE" ? "GET" : method, "/v1/webhook-endpoints/\(endpointA)\(path)", key: a.key, body: body)
            #expect((200..<300).contains(owner.status), "\(method) \(path) by the owner")
        }
        #expect(try server.call("GET", "/v1/webhook-endpoints", key: b.key).items.count == 1)
        // A dealer cannot make an endpoint for another dealer.
        #expect(try Self.endpoint(server, key: b.key, url: receiverB.url, extra: #", "dealer_id": "\#(a.id)""#).status == 422)
        // A billing key has no endpoints.
        let billing = try server.application.database.write { try APIKeyStore.create($0, role: .billing, dealerID: nil).1 }
        #expect(try server.call("GET", "/v1/webhook-endpoints", key: billing).status == 403)
    }

    @Test(arguments: [
        "https://10.1.2.3/hook", "https://172.16.0.9/hook", "https://192.168.1.20/hook", "https://127.0.0.1/hook", "https://localhost/hook",
        "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/hook", "https://[::1]/hook", "https://[fe80::1]/hook",
        "https://[fd00::5]/hook", "https://[::ffff:10.0.0.1]/hook", "https://0.0.0.0/hook", "http://203.0.113.5/hook",
        "https://user:pw@203.0.113.5/hook", "ftp://203.0.113.5/hook", "not a url",
        // taken as sent: white space around a public address is refused, not trimmed (JSON Schema counts it in maxLength)
        " https://203.0.113.5/hook", "https://203.0.113.5/hook  ", String(repeating: " ", count: 2_040) + "https://203.0.113.5/hook",
    ])
    func internalAddressesAndInsecureURLsAreRefused(url: String) throws {
        let server = try Self.server(insecure: false)
        let reply = try Self.endpoint(server, key: server.adminKey, url: url)
        #expect(reply.status == 422)
        #expect(reply.errors["url"] != nil)
        #expect(try server.admin("GET", "/v1/webhook-endpoints").items.isEmpty)
    }

    @Test func aPublicHTTPSAddressIsAccepted() throws {
        let server = try Self.server(insecure: false)
        let reply = try Self.endpoint(server, key: server.adminKey, url: "https://203.0.113.5/hook")
        #expect(reply.status == 201)
    }

    /// Attempts listed for an endpoint, once `count` have been made (the sender runs on its own).
    static func attempts(_ server: APITestServer, _ id: String, count: Int) throws -> [[String: Any]] {
        for _ in 0..<100 {
            let items = try server.admin("GET", "/v1/webhook-endpoints/\(id)/deliveries").items
            if items.count >= count { return items }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try server.admin("GET", "/v1/webhook-endpoints/\(id)/deliveries").items
    }

    /// Saving an endpoint never waits on DNS: a name is judged when a
    /// delivery resolves it. One that does not resolve (`.invalid` never
    /// does, RFC 6761) and one that now resolves to loopback (the row
    /// changed behind the API, as a DNS answer can change) both fail the
    /// attempt, listed with the reason, and nothing is sent.
    @Test func aNameIsJudgedAtEachDeliveryNotWhenSaved() throws {
        let server = try Self.server(retryBase: 60_000, insecure: false)
        let a = try server.dealer("A", serial: "WH-9")
        let unresolvable = try Self.endpoint(server, key: server.adminKey, url: "https://hooks.invalid/in")
        #expect(unresolvable.status == 201)
        let rebound = try Self.endpoint(server, key: server.adminKey, url: "https://hooks.example.no/in")
        #expect(rebound.status == 201)
        let reboundID = try #require(rebound["id"] as? String)
        try server.application.database.write {
            try $0.execute("UPDATE webhook_endpoints SET url = 'https://localhost/in' WHERE id = ?", [reboundID])
        }
        _ = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))
        let missing = try Self.attempts(server, try #require(unresolvable["id"] as? String), count: 1)
        #expect(missing.map { $0["status"] as? String } == ["failed"])
        #expect((missing.first?["error"] as? String ?? "").contains("hooks.invalid does not resolve"))
        let refused = try Self.attempts(server, reboundID, count: 1)
        #expect(refused.map { $0["status"] as? String } == ["failed"])
        #expect((refused.first?["error"] as? String ?? "").contains("an address in a private, loopback or link-local range"))
        #expect(refused.first?["response_status"] is NSNull)
    }

    @Test func anAdminsEndpointForAnUnknownDealerIs404() throws {
        let server = try Self.server()
        let reply = try Self.endpoint(server, key: server.adminKey, url: "http://127.0.0.1:9/hook", extra: #", "dealer_id": "dlr_missing""#)
        #expect(reply.status == 404)
        #expect(try server.admin("GET", "/v1/webhook-endpoints").items.isEmpty)
    }

    @Test(arguments: [
        (#"{"url": "http://127.0.0.1:9/hook", "event_types": []}"#, "event_types"),
        (#"{"url": "http://127.0.0.1:9/hook", "event_types": ["contract.exploded"]}"#, "event_types[0]"),
        (#"{"url": "http://127.0.0.1:9/hook", "event_types": ["contract.created", "contract.created"]}"#, "event_types[1]"),
        (#"{"event_types": ["contract.created"]}"#, "url"),
        (#"{"url": "http://127.0.0.1:9/hook", "event_types": ["contract.created"], "colour": "red"}"#, "colour"),
    ])
    func malformedEndpointsNameTheField(body: String, field: String) throws {
        let server = try Self.server()
        let reply = try server.admin("POST", "/v1/webhook-endpoints", body)
        #expect(reply.status == 422)
        #expect(reply.errors[field] != nil, "\(reply.errors)")
    }

    /// Retries run out (a 24-hour window shrunk by a tiny base: the window is
    /// what matters, tested in the unit tests); here a failing endpoint waits
    /// for its replay, then delivers what it held back, in order.
    @Test func patchAndReplayOfAnEndpoint() throws {
        let receiver = try WebhookReceiver()
        let server = try Self.server()
        let a = try server.dealer("A", serial: "WH-5")
        let created = try Self.endpoint(server, key: a.key, url: receiver.url)
        let id = created["id"] as! String
        let etag = created.header("ETag")!
        let patched = try server.call("PATCH", "/v1/webhook-endpoints/\(id)", key: a.key,
                                      body: #"{"event_types": ["contract.created", "contract.terminated"], "description": "portal"}"#,
                                      headers: ["If-Match: \(etag)"])
        #expect(patched.status == 200)
        #expect(patched["event_types"] as? [String] == ["contract.created", "contract.terminated"])
        #expect(try server.call("PATCH", "/v1/webhook-endpoints/\(id)", key: a.key, body: #"{"description": "x"}"#,
                                headers: ["If-Match: \(etag)"]).status == 412)
        #expect(patched["description"] as? String == "portal")
        let cleared = try server.call("PATCH", "/v1/webhook-endpoints/\(id)", key: a.key, body: #"{"description": null}"#)
        #expect(cleared.status == 200)
        #expect(cleared["description"] is NSNull)
        let blank = try server.call("PATCH", "/v1/webhook-endpoints/\(id)", key: a.key, body: #"{"description": "  "}"#)
        #expect(blank.status == 422)
        #expect(blank.errors["description"] != nil)
        try server.application.database.write { try $0.execute("UPDATE webhook_endpoints SET state = 'failing' WHERE id = ?", [id]) }
        let contract = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))
        _ = try server.call("POST", "/v1/contracts/\(contract["id"] as! String)/terminate", key: a.key, body: #"{"effective_on": "2026-09-30"}"#)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(receiver.all.isEmpty)  // failing: held back
        let replayed = try server.call("POST", "/v1/webhook-endpoints/\(id)/replay", key: a.key)
        #expect(replayed.status == 200)
        #expect(replayed["state"] as? String == "active")
        let types = receiver.wait(for: 2).map { $0.json["type"] as? String }
        #expect(types == ["contract.created", "contract.terminated"])
        #expect(try server.call("DELETE", "/v1/webhook-endpoints/\(id)", key: a.key).status == 204)
        #expect(try server.call("GET", "/v1/webhook-endpoints/\(id)", key: a.key).status == 404)
    }
}

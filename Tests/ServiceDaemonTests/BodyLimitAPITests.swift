import Foundation
import HTTPTestSupport
import Testing
@testable import ServiceDaemon

/// Body and JSON limits through the real server: resource writes take
/// 64 KiB, meter-reading batches 3 MiB; request JSON is nested at most 16
/// deep, holds at most 10 000 values (a batch: 12 per reading of a batch one
/// over 10 000, plus 2) and strings of at most 16 384 bytes. Over a size or
/// count: 413; too deep or not JSON: 400. Nothing is stored either way.
@Suite struct BodyLimitAPITests {
    /// `json` (an object) with spaces before its closing brace, `size` bytes in all.
    static func padded(_ json: String, to size: Int) -> String {
        String(json.dropLast()) + String(repeating: " ", count: size - json.utf8.count) + "}"
    }

    static func zeros(_ count: Int) -> String { Array(repeating: "0", count: count).joined(separator: ",") }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let path: String
        let body: String
        let status: Int
        /// Part of the problem's detail, or of the first error's message.
        let mentions: String
        var testDescription: String { name }
    }

    static func readings(_ count: Int) -> String {
        MeteringAPITests.batch((0..<count).map { i in
            MeteringAPITests.reading("LIM-1", String(format: "2026-01-01T%02d:%02d:00Z", i / 60, i % 60), bw: i, colour: i)
        })
    }

    static let cases: [Case] = [
        Case(name: "resource write of exactly 64 KiB", path: "/v1/customers", body: padded(#"{"name": "Padded"}"#, to: 65_536),
             status: 201, mentions: ""),
        Case(name: "resource write of 64 KiB + 1", path: "/v1/customers", body: padded(#"{"name": "Padded"}"#, to: 65_537),
             status: 413, mentions: "body exceeds 65536 bytes"),
        Case(name: "nesting of 17", path: "/v1/customers",
             body: #"{"name": "x", "extra": "# + String(repeating: "[", count: 16) + String(repeating: "]", count: 16) + "}",
             status: 400, mentions: "nested more than 16 levels"),
        Case(name: "nesting of 16 reaches validation", path: "/v1/customers",
             body: #"{"name": "x", "extra": "# + String(repeating: "[", count: 15) + String(repeating: "]", count: 15) + "}",
             status: 422, mentions: "unknown field"),
        // The object, "name", the array and 9 998 zeros: 10 001 values.
        Case(name: "10 001 values", path: "/v1/customers", body: #"{"name": "x", "extra": ["# + zeros(9_998) + "]}",
             status: 413, mentions: "more than 10000 values"),
        Case(name: "string of 16 385 bytes", path: "/v1/customers",
             body: #"{"name": ""# + String(repeating: "x", count: 16_385) + #""}"#, status: 413, mentions: "longer than 16384 bytes"),
        Case(name: "string of 16 384 bytes reaches validation", path: "/v1/customers",
             body: #"{"name": ""# + String(repeating: "x", count: 16_384) + #""}"#, status: 422, mentions: "at most 200 characters"),
        // About 120 KB: over the resource limit, well within the batch limit.
        Case(name: "batch of 600 readings", path: "/v1/meter-readings", body: readings(600), status: 200, mentions: ""),
        Case(name: "batch of 120 013 values", path: "/v1/meter-readings", body: #"{"readings": ["# + zeros(120_013) + "]}",
             status: 413, mentions: "more than 120014 values"),
        Case(name: "batch nested 17 deep", path: "/v1/meter-readings",
             body: #"{"readings": "# + String(repeating: "[", count: 16) + String(repeating: "]", count: 16) + "}",
             status: 400, mentions: "nested more than 16 levels"),
        Case(name: "batch with a string of 16 385 bytes", path: "/v1/meter-readings",
             body: #"{"readings": ""# + String(repeating: "x", count: 16_385) + #""}"#, status: 413, mentions: "longer than 16384 bytes"),
    ]

    @Test(arguments: cases)
    func limits(_ check: Case) throws {
        let server = try APITestServer()
        let dealer = try server.dealer("Limits", serial: "LIM-1")
        let reply = try server.call("POST", check.path, key: dealer.key, body: check.body)
        #expect(reply.status == check.status, "\(reply.json)")
        if check.status >= 400 {
            #expect(reply.header("Content-Type") == "application/problem+json")
            let said = (reply["detail"] as? String ?? "") + " " + reply.errors.values.joined(separator: " ")
            #expect(said.contains(check.mentions), "\(said)")
            let stored = try server.application.database.read {
                try $0.fetchScalar("SELECT (SELECT count(*) FROM meter_readings) + (SELECT count(*) FROM customers)", as: Int.self)
            }
            #expect(stored == 1, "only the fixture's customer")
        }
    }

    /// Over the limit is refused from the head alone: the client has sent no
    /// body byte when the 413 arrives, and the connection is closed.
    @Test(arguments: [("/v1/customers", 65_537), ("/v1/meter-readings", 3_145_729), ("/v1/dealers/x/api-keys", 65_537)])
    func refusedBeforeTheBodyIsSent(_ path: String, _ length: Int) throws {
        let server = try APITestServer()
        let client = try HTTPTestSupportClient.make(server)
        try client.send("POST \(path) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(server.adminKey)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(length)\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.text.contains("body exceeds \(length - 1) bytes"))
        #expect(client.isClosedByServer())
    }

    /// `max_body_bytes` and `max_batch_body_bytes` move the limits.
    @Test func configuredLimits() throws {
        let server = try APITestServer { $0.maxBodyBytes = 2_048; $0.maxBatchBodyBytes = 4_096 }
        let dealer = try server.dealer("Configured", serial: "LIM-2")
        let customer = #"{"name": "Configured"}"#
        #expect(try server.call("POST", "/v1/customers", key: dealer.key, body: Self.padded(customer, to: 2_048)).status == 201)
        #expect(try server.call("POST", "/v1/customers", key: dealer.key, body: Self.padded(customer, to: 2_049)).status == 413)
        let batch = MeteringAPITests.batch([MeteringAPITests.reading("LIM-2", "2026-01-01T00:00:00Z", bw: 1, colour: 1)])
        #expect(try server.call("POST", "/v1/meter-readings", key: dealer.key, body: Self.padded(batch, to: 4_096)).status == 200)
        #expect(try server.call("POST", "/v1/meter-readings", key: dealer.key, body: Self.padded(batch, to: 4_097)).status == 413)
    }
}

import Foundation
import HTTPTestSupport
import ServiceCore
import Testing
@testable import ServiceDaemon

/// `GET /metrics` scraped from its loopback listener and parsed as
/// Prometheus text (exposition format 0.0.4).
@Suite struct MetricsTests {
    struct Sample {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    /// A parsed scrape; `problems` lists every line that is not valid text format.
    struct Scrape {
        var samples: [Sample] = []
        var types: [String: String] = [:]
        var problems: [String] = []

        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { $0.name == name && $0.labels == labels }?.value
        }

        func values(_ name: String, where match: [String: String]) -> [Sample] {
            samples.filter { sample in sample.name == name && match.allSatisfy { sample.labels[$0.key] == $0.value } }
        }

        init(_ text: String) {
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
                if line.hasPrefix("# TYPE ") {
                    let parts = line.split(separator: " ")
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                        problems.append(String(line))
                        continue
                    }
                    types[String(parts[2])] = String(parts[3])
                } else if line.hasPrefix("#") {
                    continue
                } else if let sample = Self.sample(line) {
                    samples.append(sample)
                } else {
                    problems.append(String(line))
                }
            }
        }

        /// `name{key="value",...} number`, values with \\, \" and \n escapes.
        static func sample(_ line: Substring) -> Sample? {
            var rest = line[...]
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
            guard let first = name.first, !first.isNumber else { return nil }
            rest = rest.dropFirst(name.count)
            var labels: [String: String] = [:]
            if rest.first == "{" {
                rest = rest.dropFirst()
                while rest.first != "}" {
                    let key = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                    rest = rest.dropFirst(key.count)
                    guard !key.isEmpty, rest.hasPrefix("=\"") else { return nil }
                    rest = rest.dropFirst(2)
                    var value = ""
                    while let character = rest.first, character != "\"" {
                        rest = rest.dropFirst()
                        if character == "\\" {
                            guard let escaped = rest.first else { return nil }
                            rest = rest.dropFirst()
                            value.append(escaped == "n" ? "\n" : escaped)
                        } else {
                            value.append(character)
                        }
                    }
                    guard rest.first == "\"" else { return nil }
                    rest = rest.dropFirst()
                    labels[String(key)] = value
                    if rest.first == "," { rest = rest.dropFirst() }
                    guard !rest.isEmpty else { return nil }
                }
                rest = rest.dropFirst()
            }
            guard rest.first == " ", let value = Double(rest.dropFirst()) ?? (rest.dropFirst() == "+Inf" ? .infinity : nil) else { return nil }
            return Sample(name: String(name), labels: labels, value: value)
        }
    }

    static func scrape(_ server: APITestServer) throws -> Scrape {
        let port = try #require(server.application.metricsPort)
        let response = try RawClient(port: port).request("GET", "/metrics")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let scrape = Scrape(String(decoding: response.body, as: UTF8.self))
        #expect(scrape.problems.isEmpty, "not Prometheus text: \(scrape.problems.prefix(5))")
        return scrape
    }

    @Test func requestsLatencyConnectionsAndTheBusinessAreCounted() throws {
        let server = try APITestServer { $0.metricsPort = 0 }
        for _ in 0..<3 { #expect(try server.admin("GET", "/v1/catalogue").status == 200) }
        #expect(try server.call("GET", "/v1/catalogue", key: nil).status == 401)
        #expect(try server.call("GET", "/no/such/path", key: nil).status == 404)
        let dealer = try server.dealer("Metrics", serial: "MET-1")
        #expect(try server.call("POST", "/v1/contracts", key: dealer.key, body: APITestServer.contractBody(
            customer: dealer.customerID, serials: ["MET-1"], from: "2026-01-01", to: "2026-12-31")).status == 201)
        #expect(try server.call("POST", "/v1/meter-readings", key: dealer.key, body: MeteringAPITests.batch([
            MeteringAPITests.reading("MET-1", "2026-02-01T00:00:00Z", bw: 10, colour: 5),
            MeteringAPITests.reading("MET-1", "2026-03-01T00:00:00Z", bw: 20, colour: 9),
        ])).status == 200)
        // The same batch again stores nothing new.
        #expect(try server.call("POST", "/v1/meter-readings", key: dealer.key, body: MeteringAPITests.batch([
            MeteringAPITests.reading("MET-1", "2026-02-01T00:00:00Z", bw: 10, colour: 5),
        ])).status == 200)
        // Reported on a Monday morning a month ago and never answered: a breach still open.
        #expect(try server.call("POST", "/v1/service-requests", key: dealer.key, body: """
            {"device_serial": "MET-1", "reported_at": "2026-11-02T09:00:00+01:00", "category": "fault", "description": "jam", "source": "phone"}
            """).status == 201)
        let dry = try server.admin("POST", "/v1/billing-runs", #"{"year": 2026, "dry_run": true}"#)
        #expect(dry.status == 200)
        let stored = try server.admin("POST", "/v1/billing-runs", #"{"year": 2025, "dry_run": false}"#)
        #expect(stored.status == 201)
        // Two keep-alive connections left open.
        let held = try (0..<2).map { _ in try RawClient(port: server.application.port!) }
        for client in held { #expect(try client.request("GET", "/healthz").status == 200) }

        let scrape = try Self.scrape(server)
        #expect(scrape.value("http_requests_total", ["method": "GET", "route": "/v1/catalogue", "status": "200"]) == 3)
        #expect(scrape.value("http_requests_total", ["method": "GET", "route": "/v1/catalogue", "status": "401"]) == 1)
        #expect(scrape.value("http_requests_total", ["method": "GET", "route": "unmatched", "status": "404"]) == 1)
        #expect(scrape.value("http_requests_total", ["method": "POST", "route": "/v1/meter-readings", "status": "200"]) == 2)
        #expect(scrape.types["http_requests_total"] == "counter")

        // The latency histogram of a route: cumulative buckets ending in +Inf = count = 4 requests.
        #expect(scrape.types["http_request_duration_seconds"] == "histogram")
        let buckets = scrape.values("http_request_duration_seconds_bucket", where: ["method": "GET", "route": "/v1/catalogue"])
        #expect(buckets.count > 5)
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.value <= $1.value })
        #expect(buckets.last?.labels["le"] == "+Inf" && buckets.last?.value == 4)
        #expect(scrape.value("http_request_duration_seconds_count", ["method": "GET", "route": "/v1/catalogue"]) == 4)
        #expect((scrape.value("http_request_duration_seconds_sum", ["method": "GET", "route": "/v1/catalogue"]) ?? 0) > 0)
        // Routes nobody called carry no series.
        #expect(scrape.values("http_request_duration_seconds_count", where: ["route": "/v1/audit"]).isEmpty)

        #expect(scrape.value("meter_readings_ingested_total") == 2)
        #expect(scrape.value("sla_breaches_open") == 1)
        #expect(scrape.value("billing_run_duration_seconds_count", ["dry_run": "true"]) == 1)
        #expect(scrape.value("billing_run_lines_total", ["dry_run": "true"]) == Double(dry["line_count"] as? Int ?? -1))
        #expect(scrape.value("billing_run_duration_seconds_count", ["dry_run": "false"]) == 1)
        #expect(scrape.value("billing_last_run_lines") == Double(stored["line_count"] as? Int ?? -1))
        let completed = try #require(scrape.value("billing_last_run_completed_timestamp_seconds"))
        #expect(abs(completed - Date().timeIntervalSince1970) < 120)
        #expect((scrape.value("billing_last_run_duration_seconds") ?? -1) >= 0)
        #expect((scrape.value("http_connections_open") ?? 0) >= 2)
        #expect(scrape.value("http_requests_in_flight") == 0)
        _ = held
    }

    /// A write held up behind another: in flight while it waits, and a
    /// writer wait counted once it has its turn.
    @Test func inFlightRequestsAndDatabasePoolWaits() throws {
        let server = try APITestServer { $0.metricsPort = 0 }
        let release = DispatchSemaphore(value: 0)
        let holding = DispatchSemaphore(value: 0)
        let database = server.application.database
        Thread {
            try? database.write { _ in
                holding.signal()
                release.wait()
            }
        }.start()
        holding.wait()
        let finished = DispatchSemaphore(value: 0)
        let key = server.adminKey, port = server.application.port!
        Thread {
            _ = try? RawClient(port: port).request("POST", "/v1/dealers", headers: ["Authorization: Bearer \(key)", "Content-Type: application/json"],
                                                   body: #"{"name": "Waiting"}"#)
            finished.signal()
        }.start()
        var inFlight: Double?
        let deadline = Date().addingTimeInterval(10)
        repeat {
            inFlight = try Self.scrape(server).value("http_requests_in_flight")
            if inFlight != 1 { usleep(10_000) }
        } while inFlight != 1 && Date() < deadline
        #expect(inFlight == 1)
        // In flight from its dispatch on; its handler (authentication, the
        // body) reaches the writer a little later, on a loaded machine much
        // later: let go of the writer only once it must have waited.
        Thread.sleep(forTimeInterval: 0.5)
        release.signal()
        finished.wait()
        let after = try Self.scrape(server)
        #expect(after.value("http_requests_in_flight") == 0)
        #expect((after.value("db_pool_waits_total", ["access": "write"]) ?? 0) >= 1)
        #expect((after.value("db_pool_wait_seconds_count", ["access": "write"]) ?? 0) >= 1)
        #expect(after.value("http_requests_total", ["method": "POST", "route": "/v1/dealers", "status": "201"]) == 1)
    }

    @Test func onlyOnLoopbackAndNeverOnThePublicListener() throws {
        let server = try APITestServer { $0.metricsPort = 0 }
        #expect(server.application.metricsServer?.address?.hasPrefix("127.0.0.1:") == true)
        #expect(try server.call("GET", "/metrics", key: nil).status == 404)
        #expect(try server.admin("GET", "/metrics").status == 404)
        let scrape = try Self.scrape(server)
        // The scrape itself is not a request of the API.
        #expect(scrape.values("http_requests_total", where: ["route": "/metrics"]).isEmpty)
    }

    @Test func offByDefault() throws {
        #expect(DaemonConfiguration().metricsPort == nil)
        let server = try APITestServer()
        #expect(server.application.metrics == nil && server.application.metricsServer == nil)
    }

    @Test func theBinaryServesMetricsOnItsOwnPort() throws {
        let directory = try TemporaryDirectory()
        let daemon = try DaemonProcess(["serve", "--port", "0", "--metrics-port", "0", "--db", directory.path("m.db")])
        try daemon.waitUntilListening()
        // Logged just after the public listener's line.
        var metricsLine: [String: Any]?
        let deadline = Date().addingTimeInterval(10)
        while metricsLine == nil && Date() < deadline {
            metricsLine = daemon.logLines.first { $0["msg"] as? String == "listening" && $0["listener"] as? String == "metrics" }
            if metricsLine == nil { usleep(20_000) }
        }
        let line = try #require(metricsLine)
        let address = try #require(line["address"] as? String)
        #expect(address.hasPrefix("127.0.0.1:"))
        let port = try #require(address.split(separator: ":").last.flatMap { Int($0) })
        #expect(try daemon.client().request("GET", "/healthz").status == 200)
        let scrape = Scrape(String(decoding: try RawClient(port: port).request("GET", "/metrics").body, as: UTF8.self))
        #expect(scrape.problems.isEmpty)
        #expect(scrape.value("http_requests_total", ["method": "GET", "route": "/healthz", "status": "200"]) == 1)
        daemon.terminate()
        #expect(daemon.wait() == 0)

        let clash = try DaemonProcess.run(["serve", "--port", "9187", "--metrics-port", "9187", "--db", directory.path("m.db")])
        #expect(clash.status == 78)
        #expect(clash.stderr.contains("metrics_port: must differ from port 9187"))
    }
}

import Foundation
import HTTPTestSupport
import ServiceCore
import Testing
@testable import ServiceDaemon

/// Hostile and careless inputs, one row each: what the API answers, and
/// what the command line answers where it offers the same operation.
@Suite struct HostileInputTests {
    struct Row: CustomStringConvertible {
        let name: String
        let method: String
        let target: String
        var headers: [String] = []
        var body: String?
        let status: Int
        /// The field `errors` must name (422), or text the detail must hold.
        var field: String?
        var detail: String?
        var description: String { name }
    }

    struct Fixture {
        let server: APITestServer
        let a: APITestServer.DealerFixture
        let b: APITestServer.DealerFixture
        let runID: String

        /// `$ADMIN`, `$A`, `$B` (keys), `$CA` (A's customer) and `$RUN` filled in.
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "$ADMIN", with: server.adminKey).replacingOccurrences(of: "$A", with: a.key)
                .replacingOccurrences(of: "$B", with: b.key).replacingOccurrences(of: "$CA", with: a.customerID)
                .replacingOccurrences(of: "$RUN", with: runID)
        }
    }

    static func fixture() throws -> Fixture {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "HOST-A")
        let b = try server.dealer("B", serial: "HOST-B")
        #expect(try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(
            customer: a.customerID, serials: ["HOST-A"], from: "2025-01-01", to: "2025-12-31")).status == 201)
        let run = try server.admin("POST", "/v1/billing-runs", #"{"year": 2025, "dry_run": false}"#)
        return Fixture(server: server, a: a, b: b, runID: run["id"] as! String)
    }

    static func device(_ serial: String) -> String {
        #"{"serial": "\#(serial)", "model": "imageRUNNER ADVANCE C3530i", "customer_id": "$CA"}"#
    }

    static let json = "Content-Type: application/json"

    static let rows: [Row] = [
        // Singleton header fields given twice: which one counts is a guess.
        Row(name: "admin then dealer Authorization", method: "GET", target: "/v1/audit",
            headers: ["Authorization: Bearer $ADMIN", "Authorization: Bearer $A"], status: 400, detail: "more than one Authorization field"),
        Row(name: "dealer then admin Authorization", method: "GET", target: "/v1/audit",
            headers: ["Authorization: Bearer $A", "Authorization: Bearer $ADMIN"], status: 400, detail: "more than one Authorization field"),
        Row(name: "two Content-Type", method: "POST", target: "/v1/customers",
            headers: ["Authorization: Bearer $A", json, "Content-Type: text/plain"], body: #"{"name": "X"}"#, status: 400),
        Row(name: "two Idempotency-Key", method: "POST", target: "/v1/customers",
            headers: ["Authorization: Bearer $A", json, "Idempotency-Key: one", "Idempotency-Key: two"], body: #"{"name": "X"}"#, status: 400),
        Row(name: "two If-Match", method: "PATCH", target: "/v1/customers/$CA",
            headers: ["Authorization: Bearer $A", json, #"If-Match: "1""#, #"If-Match: "2""#], body: #"{"name": "X"}"#, status: 400),
        // Unknown or repeated query parameters: never silently ignored.
        Row(name: "filter the lines endpoint does not have", method: "GET", target: "/v1/billing-runs/$RUN/lines?customer_id=$CA",
            headers: ["Authorization: Bearer $ADMIN"], status: 422, field: "customer_id"),
        Row(name: "misspelt list filter", method: "GET", target: "/v1/devices?customer=$CA",
            headers: ["Authorization: Bearer $A"], status: 422, field: "customer"),
        Row(name: "report filter it does not take", method: "GET", target: "/v1/reports/sla?from=2025-01-01&to=2025-12-31&tier=plus",
            headers: ["Authorization: Bearer $ADMIN"], status: 422, field: "tier"),
        Row(name: "repeated limit", method: "GET", target: "/v1/devices?limit=1&limit=500",
            headers: ["Authorization: Bearer $A"], status: 422, field: "limit"),
        Row(name: "query on an endpoint that takes none", method: "GET", target: "/v1/catalogue?verbose=1",
            headers: ["Authorization: Bearer $A"], status: 422, field: "verbose"),
        Row(name: "query on healthz", method: "GET", target: "/healthz?x", status: 422, field: "x"),
        // Authorization: the Bearer scheme in any case, one space, a token of ours.
        Row(name: "scheme in lower case", method: "GET", target: "/v1/catalogue", headers: ["Authorization: bearer $A"], status: 200),
        Row(name: "scheme without a token", method: "GET", target: "/v1/catalogue", headers: ["Authorization: Bearer"], status: 401,
            detail: "must be: Bearer <key>"),
        Row(name: "another scheme", method: "GET", target: "/v1/catalogue", headers: ["Authorization: Basic $A"], status: 401,
            detail: "must be: Bearer <key>"),
        Row(name: "scheme run into the token", method: "GET", target: "/v1/catalogue", headers: ["Authorization: Bearer$A"], status: 401,
            detail: "must be: Bearer <key>"),
        Row(name: "two spaces before the token", method: "GET", target: "/v1/catalogue", headers: ["Authorization: Bearer  $A"], status: 401,
            detail: "unknown or revoked API key"),
        Row(name: "a token not of ours", method: "GET", target: "/v1/catalogue", headers: ["Authorization: Bearer abc"], status: 401,
            detail: "unknown or revoked API key"),
        // Serials: one form on every path, and only what a label carries.
        Row(name: "serial with a space", method: "POST", target: "/v1/devices", headers: ["Authorization: Bearer $A", json],
            body: device("SN 2"), status: 422, field: "serial"),
        Row(name: "serial with a slash", method: "POST", target: "/v1/devices", headers: ["Authorization: Bearer $A", json],
            body: device("sn/2"), status: 422, field: "serial"),
        Row(name: "serial outside ASCII", method: "POST", target: "/v1/devices", headers: ["Authorization: Bearer $A", json],
            body: device("straße"), status: 422, field: "serial"),
        Row(name: "own serial in another case", method: "POST", target: "/v1/devices", headers: ["Authorization: Bearer $A", json],
            body: device(" host-a "), status: 409, detail: "a device with serial HOST-A is already registered"),
        Row(name: "another dealer's serial", method: "POST", target: "/v1/devices", headers: ["Authorization: Bearer $B", json],
            body: device("host-a").replacingOccurrences(of: "$CA", with: "$CB"), status: 409, detail: "serial HOST-A is not available to this dealer"),
        Row(name: "path serial in lower case", method: "GET", target: "/v1/devices/host-a", headers: ["Authorization: Bearer $A"], status: 200),
        Row(name: "another dealer's device by path", method: "GET", target: "/v1/devices/host-a", headers: ["Authorization: Bearer $B"], status: 404),
        Row(name: "usage by a lower-case path", method: "GET", target: "/v1/devices/host-a/usage?from=2025-01-01&to=2025-01-31",
            headers: ["Authorization: Bearer $A"], status: 200),
        Row(name: "contract device in lower case", method: "POST", target: "/v1/contracts", headers: ["Authorization: Bearer $A", json],
            body: APITestServer.contractBody(customer: "$CA", serials: ["host-a"], from: "2025-06-01", to: "2025-06-30"), status: 409,
            detail: "HOST-A"),
        Row(name: "reading for a lower-case serial", method: "POST", target: "/v1/meter-readings", headers: ["Authorization: Bearer $A", json],
            body: MeteringAPITests.reading(" host-a", "2025-03-01T10:00:00+01:00", bw: 10, colour: 5), status: 200),
        Row(name: "reading for a serial no label carries", method: "POST", target: "/v1/meter-readings", headers: ["Authorization: Bearer $A", json],
            body: MeteringAPITests.reading("host a", "2025-03-01T10:00:00Z", bw: 10, colour: 5), status: 422, field: "device_serial"),
        Row(name: "DMS event for a lower-case serial", method: "POST", target: "/v1/dms/events", headers: ["Authorization: Bearer $A", json],
            body: #"{"device_serial": "host-a", "at": "2025-03-02T10:00:00+01:00", "type": "error", "code": "E000", "message": "m"}"#, status: 201),
        Row(name: "service request for a lower-case serial", method: "POST", target: "/v1/service-requests",
            headers: ["Authorization: Bearer $A", json],
            body: #"{"device_serial": "host-a", "reported_at": "2025-05-05T10:00:00+02:00", "category": "fault", "description": "d", "source": "phone"}"#,
            status: 201),
        Row(name: "list filtered by a lower-case serial", method: "GET", target: "/v1/service-requests?device_serial=host-a",
            headers: ["Authorization: Bearer $A"], status: 200),
        // Billing, shared with the command line below.
        Row(name: "year out of range", method: "POST", target: "/v1/billing-runs", headers: ["Authorization: Bearer $ADMIN", json],
            body: #"{"year": 1999}"#, status: 422, field: "year"),
    ]

    @Test func everyRowGetsItsAnswer() throws {
        let f = try Self.fixture()
        for row in Self.rows {
            let client = try HTTPTestSupportClient.make(f.server)
            var headers = row.headers.map(f.fill)
            headers = headers.map { $0.replacingOccurrences(of: "$CB", with: f.b.customerID) }
            let body = row.body.map(f.fill).map { $0.replacingOccurrences(of: "$CB", with: f.b.customerID) }
            let response = try client.request(row.method, f.fill(row.target), headers: headers, body: body)
            #expect(response.status == row.status, "\(row.name): \(response.text)")
            let json = response.json ?? [:]
            if let field = row.field {
                let fields = (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                #expect(fields.contains { $0 == field || $0.hasSuffix(".\(field)") }, "\(row.name): \(response.text)")
            }
            if let detail = row.detail {
                #expect(response.text.contains(detail), "\(row.name): \(response.text)")
            }
        }
        // What the rows stored is in the one form.
        let stored = try f.server.application.database.read { connection in
            (try connection.fetchScalar("SELECT count(*) FROM meter_readings WHERE device_serial = 'HOST-A'", as: Int.self),
             try connection.fetchScalar("SELECT count(*) FROM dms_events WHERE device_serial = 'HOST-A'", as: Int.self),
             try connection.fetchScalar("SELECT count(*) FROM service_requests WHERE device_serial = 'HOST-A'", as: Int.self),
             try connection.fetchScalar("SELECT count(*) FROM devices WHERE serial <> upper(serial)", as: Int.self))
        }
        #expect(stored == (1, 1, 2, 0))  // the DMS error opened a device alert beside the phoned-in request
        // The refused registration of another dealer's serial is audited, with the holder for the admin.
        let audit = try f.server.admin("GET", "/v1/audit?limit=500").items
        let refused = try #require(audit.first { $0["action"] as? String == "device.create_refused" && $0["dealer_id"] as? String == f.b.id })
        #expect((refused["detail"] as? [String: Any])?["holder_dealer_id"] as? String == f.a.id)
    }

    /// An instant with any RFC 3339 offset is the same instant in UTC.
    @Test func offsetsAreConvertedToUTC() throws {
        let f = try Self.fixture()
        let request = try f.server.call("POST", "/v1/service-requests", key: f.a.key, body: """
            {"device_serial": "HOST-A", "reported_at": "2025-05-05T10:30:00-02:30", "category": "fault", "description": "d", "source": "phone"}
            """)
        #expect(request.status == 201)
        #expect(request["reported_at"] as? String == "2025-05-05T13:00:00Z")  // 10:30 at UTC-02:30 is 13:00 UTC
    }

    /// The same refusals from `bill` as from POST /v1/billing-runs.
    @Test func theCommandLineAnswersAlike() throws {
        let f = try Self.fixture()
        let db = f.server.application.configuration.databasePath
        let http = try f.server.admin("POST", "/v1/billing-runs", #"{"year": 1999}"#)
        let cli = try DaemonProcess.run(["bill", "--year", "1999", "--db", db])
        #expect(http.errors["year"] == "must be between 2000 and 2100")
        #expect(cli.status != 0 && cli.stderr.contains("--year must be between 2000 and 2100"), "\(cli.stderr)")

        // A live run of the year: 409 and exit 1, with one message.
        let owner = try #require(try BillingRunOwner.claim(database: db, year: 2025))
        defer { withExtendedLifetime(owner) {} }
        let busy = try f.server.admin("POST", "/v1/billing-runs", #"{"year": 2025, "dry_run": false}"#)
        let busyCLI = try DaemonProcess.run(["bill", "--year", "2025", "--db", db])
        #expect(busy.status == 409)
        #expect(busy["detail"] as? String == "a billing run for 2025 is already in progress")
        #expect(busyCLI.status == 1)
        #expect(busyCLI.stderr.contains("a billing run for 2025 is already in progress"), "\(busyCLI.stderr)")
    }
}

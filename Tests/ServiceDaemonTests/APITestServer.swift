import Foundation
import HTTPTestSupport
import Logging
import ServiceCore
import ServiceHTTP
@testable import ServiceDaemon

/// The daemon's application in-process on a free port with its own
/// database, plus an admin key, for API tests over real HTTP.
final class APITestServer {
    let directory: TemporaryDirectory
    let application: DaemonApplication
    let adminKey: String

    struct Reply {
        let status: Int
        let headers: [(String, String)]
        let json: [String: Any]
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        var errors: [String: String] {
            var out: [String: String] = [:]
            for case let error as [String: Any] in (json["errors"] as? [Any]) ?? [] {
                out[error["field"] as? String ?? "?"] = error["message"] as? String
            }
            return out
        }
        var items: [[String: Any]] { (json["items"] as? [[String: Any]]) ?? [] }
        subscript(_ key: String) -> Any? { json[key] }
    }

    init(accessLog: any AccessLogSink = DiscardingAccessLog(), configure: (inout DaemonConfiguration) -> Void = { _ in }) throws {
        directory = try TemporaryDirectory()
        var configuration = DaemonConfiguration()
        configuration.port = 0
        configuration.databasePath = directory.path("api.db")
        configuration.cataloguePath = DaemonProcess.catalogue
        configuration.eventLoops = 1
        configuration.workers = 4
        configuration.synchronous = .normal
        configure(&configuration)
        var logger = Logger(label: "api-test")
        logger.logLevel = .critical
        application = try DaemonApplication(configuration: configuration, logger: logger, accessLog: accessLog)
        try application.start()
        adminKey = try application.database.write { try APIKeyStore.create($0, role: .admin, dealerID: nil).1 }
    }

    deinit {
        application.beginShutdown()
        application.waitUntilStopped()
    }

    /// One request on a fresh connection. `body` is sent as JSON unless
    /// `contentType` says otherwise.
    func call(_ method: String, _ path: String, key: String?, body: String? = nil, contentType: String = "application/json",
              headers: [String] = []) throws -> Reply {
        let client = try RawClient(port: application.port!)
        var all = headers
        if let key { all.append("Authorization: Bearer \(key)") }
        if body != nil { all.append("Content-Type: \(contentType)") }
        let response = try client.request(method, path, headers: all, body: body)
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return Reply(status: response.status, headers: response.headers, json: json)
    }

    func admin(_ method: String, _ path: String, _ body: String? = nil, headers: [String] = []) throws -> Reply {
        try call(method, path, key: adminKey, body: body, headers: headers)
    }

    // MARK: Fixtures

    struct DealerFixture {
        let id: String
        let key: String
        let customerID: String
        let serial: String
    }

    /// A dealer with a key, one customer and one device of that customer.
    func dealer(_ name: String, serial: String) throws -> DealerFixture {
        let dealer = try admin("POST", "/v1/dealers", #"{"name": "\#(name)"}"#)
        let id = dealer["id"] as! String
        let key = try admin("POST", "/v1/dealers/\(id)/api-keys")["key"] as! String
        let customer = try call("POST", "/v1/customers", key: key, body: #"{"name": "\#(name) customer"}"#)
        let customerID = customer["id"] as! String
        let device = try call("POST", "/v1/devices", key: key, body: """
            {"serial": "\(serial)", "model": "imageRUNNER ADVANCE C3530i", "customer_id": "\(customerID)", "ip_address": "192.0.2.10"}
            """)
        precondition(device.status == 201, "fixture device: \(device.json)")
        return DealerFixture(id: id, key: key, customerID: customerID, serial: serial)
    }

    static func contractBody(customer: String, serials: [String], tier: String = "standard", from: String = "2026-01-01",
                             to: String = "2026-12-31", extra: String = "") -> String {
        let list = serials.map { "\"\($0)\"" }.joined(separator: ", ")
        return """
            {"customer_id": "\(customer)", "device_serials": [\(list)], "tier": "\(tier)", "starts_on": "\(from)", "ends_on": "\(to)",
             "prepaid": {"amount_minor": 1200000, "currency": "NOK"}, "implementation_package": "standard",
             "options": ["user_training"], "banner_agreed": false\(extra)}
            """
    }
}

/// A raw client to the test server, for responses that are not JSON.
enum HTTPTestSupportClient {
    static func make(_ server: APITestServer) throws -> RawClient { try RawClient(port: server.application.port!) }
}

import Foundation
@testable import ServiceCore

/// Two dealers on a test server; dealer A holds a current TM-series
/// certification (so it is authorised today) and one registered TM-300.
final class IPFTestWorld {
    let server: APITestServer
    let a: APITestServer.DealerFixture
    let b: APITestServer.DealerFixture
    let technicianA: String
    let serialA = "IPFA0001"
    /// An approved claim of dealer A, on a device in warranty.
    var claimA = ""
    var orderA = ""
    var caseA = ""
    var counter = 0

    /// A date relative to today on the support calendar (Europe/Oslo), for rules that look at the current date.
    static func daysFromToday(_ days: Int) -> String {
        let now = Date()
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Europe/Oslo")!, from: now)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!.adding(days: days).description
    }

    init() throws {
        server = try APITestServer()
        a = try server.dealer("Alpha", serial: "A-1")
        b = try server.dealer("Beta", serial: "B-1")
        technicianA = try Self.technician(server, key: a.key, line: "imageprograf-tm")
        let registration = try server.call("POST", "/v1/ipf/registrations", key: a.key, body: Self.registrationBody(serial: serialA))
        precondition(registration.status == 201, "fixture registration: \(registration.json)")
        _ = try server.call("POST", "/v1/ipf/registrations", key: a.key,
                            body: Self.registrationBody(serial: "IPFA0002", installedOn: Self.daysFromToday(-100)))
        let claim = try server.call("POST", "/v1/ipf/claims", key: a.key, body: """
            {"serial": "IPFA0002", "service_date": "\(Self.daysFromToday(-1))", "technician_id": "\(technicianA)", "labour_minutes": 30,
             "parts": [], "description": "Head alignment"}
            """)
        precondition(claim["state"] as? String == "approved", "fixture claim: \(claim.json)")
        claimA = claim["id"] as! String
        orderA = try server.call("POST", "/v1/ipf/orders", key: a.key,
                                 body: #"{"channel": "cna", "lines": [{"part_number": "QM7-1234", "quantity": 1}]}"#)["id"] as! String
        caseA = try server.call("POST", "/v1/ipf/support-cases", key: a.key,
                                body: #"{"serial": "IPFA0001", "channel": "web", "problem": "Paper jam"}"#)["id"] as! String
    }

    static func technician(_ server: APITestServer, key: String, line: String, certifiedOn: String = daysFromToday(-30)) throws -> String {
        let reply = try server.call("POST", "/v1/ipf/technicians", key: key, body: """
            {"name": "Tech \(line)", "certifications": [{"product_line": "\(line)", "certified_on": "\(certifiedOn)"}]}
            """)
        precondition(reply.status == 201, "fixture technician: \(reply.json)")
        return reply["id"] as! String
    }

    static func registrationBody(serial: String, model: String = "imagePROGRAF TM-300", installedOn: String = "2025-03-15",
                                 supportModel: String = "dealer") -> String {
        """
        {"serial": "\(serial)", "model": "\(model)", "installed_on": "\(installedOn)", "support_model": "\(supportModel)",
         "end_customer": {"name": "Fjord Arkitekter", "address": "Strandgata 1, 5013 Bergen", "country": "NO"}}
        """
    }

    func fill(_ text: String) -> String {
        counter += 1
        return text.replacingOccurrences(of: "{dealer}", with: a.id).replacingOccurrences(of: "{serial}", with: serialA)
            .replacingOccurrences(of: "{technician}", with: technicianA).replacingOccurrences(of: "{n}", with: String(counter))
            .replacingOccurrences(of: "{claim}", with: claimA)
            .replacingOccurrences(of: "{order}", with: orderA).replacingOccurrences(of: "{case}", with: caseA).replacingOccurrences(of: "{month}", with: String(Self.daysFromToday(0).prefix(7)))
    }

    func auditCount() throws -> Int { try server.admin("GET", "/v1/audit?limit=500").items.count }
}

import Foundation
@testable import ServiceDaemon
import ServiceCore

/// CPS set-ups over the API. Points used (catalogue assumptions): EOS R1 100,
/// RF 400mm F2.8L 150, RF 600mm F4L 150, RF 800mm F5.6L 150, Speedlite EL-1 20.
extension APITestServer {
    /// The catalogue the test server runs with.
    static let catalogue = try! CatalogueLoader.load(path: DaemonProcess.catalogue)

    /// Today in the catalogue's calendar zone, as the daemon computes it.
    var today: LocalDate { SupportCalendar(settings: Self.catalogue.calendar).localDate(of: Date()) }

    func key(_ role: Principal.Role) throws -> String {
        try application.database.write { try APIKeyStore.create($0, role: role, dealerID: nil).1 }
    }

    func cpsMember(_ name: String, email: String, programme: String = "free", country: String = "NO") throws -> String {
        let reply = try admin("POST", "/v1/cps/members", #"{"name": "\#(name)", "email": "\#(email)", "country": "\#(country)", "programme": "\#(programme)"}"#)
        precondition(reply.status == 201, "member: \(reply.json)")
        return reply["id"] as! String
    }

    /// A complete registration of `product` bought in `country`; returns its id.
    @discardableResult
    func register(_ member: String, _ product: String, serial: String, country: String = "NO") throws -> String {
        let reply = try admin("POST", "/v1/cps/members/\(member)/products", """
            {"product_id": "\(product)", "serial": "\(serial)", "country_of_purchase": "\(country)", "purchased_on": "2025-01-15", "store": "Foto AS"}
            """)
        precondition(reply.status == 201, "registration: \(reply.json)")
        return reply["id"] as! String
    }

    /// 100 + 150 + 150 + 100 = 500 points.
    func fiveHundredPoints(_ member: String, prefix: String) throws {
        try register(member, "eos-r1", serial: "\(prefix)0001")
        try register(member, "rf-400mm-f2-8l-is-usm", serial: "\(prefix)0002")
        try register(member, "rf-600mm-f4l-is-usm", serial: "\(prefix)0003")
        try register(member, "eos-r1", serial: "\(prefix)0004")
    }
}

import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// What the imagePROGRAF routes share: the programme's catalogue section
/// and the programme's failures as the API's problem documents (`today`,
/// the date on the support calendar, is shared with CPS).
extension API {
    var programme: IPFProgramme { catalogue.imageprograf }

    /// `body` with `IPFFailure` answered as 404, 409 or 422.
    func ipf<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as IPFFailure {
            switch failure {
            case .notFound(let kind, let id): throw APIProblem.notFound(kind, id)
            case .conflict(let detail, let details): throw APIProblem.conflict(detail, extensions: details.map { ($0.0, .string($0.1)) })
            case .invalid(let validation): throw APIProblem.validation(validation)
            }
        }
    }

    /// A write through `API.write` (transaction, idempotency) with the programme's failures mapped.
    func ipfWrite(_ request: HTTPRequest, _ body: @escaping (Connection, Principal) throws -> HTTPResponse) throws -> HTTPResponse {
        try write(request) { connection, principal in try ipf { try body(connection, principal) } }
    }

    func ipfRead<T>(_ body: (Connection) throws -> T) throws -> T {
        try read { connection in try ipf { try body(connection) } }
    }
}

extension HTTPRequest {
    /// A serial from the path, normalised as ASCR keys it; one that cannot be a serial is not found.
    func ipfSerial(_ name: String = "serial") throws -> String {
        let text = try parameters.require(name)
        guard let serial = IPFSerial.normalised(text) else { throw APIProblem.notFound("registration", text) }
        return serial
    }

    /// `?on=` (default today), the date a status or coverage is asked for.
    func onDate(default today: LocalDate) throws -> LocalDate { try queryDate("on") ?? today }

    /// The dealer a dealer-scoped create is for: a dealer key's own, or `dealer_id` (required of admins).
    func owner(_ principal: Principal, _ dealerID: String?) -> String { dealerID ?? principal.dealerID ?? "" }
}

extension ObjectReader {
    /// `dealer_id`: required of admins, optional for dealer keys (their own
    /// dealer); the message says which keys must give it.
    func dealerID(for principal: Principal) -> String? {
        if principal.role == .admin, value("dealer_id", required: false) == nil {
            issues.add(field("dealer_id"), "is required with an admin key")
            return nil
        }
        return string("dealer_id", required: false, maxLength: 64)
    }

    /// A date no later than today: what happened (installations, purchases, certifications) cannot lie ahead.
    func pastDate(_ key: String, required: Bool = true, today: LocalDate) -> LocalDate? {
        guard let date = date(key, required: required) else { return nil }
        guard date <= today else {
            issues.add(field(key), "must not be after today (\(today))")
            return nil
        }
        return date
    }

    func productLine(_ key: String = "product_line", required: Bool = true) -> ProductLineID? {
        choice(key, ProductLineID.self, required: required)
    }

    /// `[{product_line, certified_on}]`.
    func certifications(_ key: String, today: LocalDate) -> [IPFTechnicianOperations.NewCertification]? {
        objectArray(key, maxCount: 20) { $0.certification(today: today) }
    }

    func certification(today: LocalDate) -> IPFTechnicianOperations.NewCertification? {
        let line = productLine()
        let date = pastDate("certified_on", today: today)
        guard let line, let date else { return nil }
        return IPFTechnicianOperations.NewCertification(line: line, certifiedOn: date)
    }
}

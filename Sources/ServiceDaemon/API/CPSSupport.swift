import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// What every CPS route shares: the rules, today's date in the catalogue's
/// zone, the one way CPS refusals become problem documents, and the
/// request-body readers.
extension API {
    var cps: CPSRules { catalogue.cps }
    var today: LocalDate { todayClock.date() }

    /// A write (transaction, idempotent replay) whose CPS refusals become 404, 409 or 422.
    func cpsWrite(_ request: HTTPRequest, _ body: (Connection, Principal) throws -> HTTPResponse) throws -> HTTPResponse {
        try write(request) { connection, principal in try CPSFailure.presenting { try body(connection, principal) } }
    }

    func cpsRead<T>(_ body: (Connection) throws -> T) throws -> T {
        try read { connection in try CPSFailure.presenting { try body(connection) } }
    }

    func cpsAudit(_ connection: Connection, _ principal: Principal, _ action: String, _ type: String, _ id: String,
                  _ detail: [(String, JSONValue)] = []) throws {
        try audit(connection, principal, "cps.\(action)", type, id, dealer: nil, detail)
    }
}

extension CPSFailure {
    var problem: Problem {
        switch self {
        case .notFound(let kind, let id): return APIProblem.notFound(kind, id)
        case .conflict(let detail, let extensions):
            return APIProblem.conflict(detail, extensions: extensions.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
        case .invalid(let issues): return APIProblem.validation(ValidationFailure(issues))
        }
    }

    static func presenting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as CPSFailure {
            throw failure.problem
        }
    }
}

extension HTTPRequest {
    /// `?on=YYYY-MM-DD`, else today.
    func cpsDate(_ api: API) throws -> LocalDate { try queryDate("on") ?? api.today }
}

/// Reading CPS request bodies.
enum CPSBody {
    static func country(_ body: ObjectReader, _ key: String, required: Bool = true) -> String? {
        guard let code = body.string(key, required: required, maxLength: 2) else { return nil }
        guard CountryCode.isWellFormed(code) else {
            body.issues.add(body.field(key), "must be an ISO 3166 alpha-2 code such as NO")
            return nil
        }
        return code
    }

    static func email(_ body: ObjectReader, key: String = "email", required: Bool = true) -> String? {
        guard let email = body.string(key, required: required, maxLength: 254) else { return nil }
        // By bytes, not Characters: a combining mark or emoji modifier after
        // "@" or "." joins it into another grapheme, which Character
        // comparison would then miss (schemathesis sent "a@b.\u{1F3FB}c").
        let parts = email.utf8.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains(UInt8(ascii: ".")), !email.utf8.contains(UInt8(ascii: " ")) else {
            body.issues.add(body.field(key), "must be an e-mail address")
            return nil
        }
        return email
    }

    static func serial(_ body: ObjectReader, required: Bool) -> String? {
        guard let text = body.string("serial", required: required, maxLength: 64) else { return nil }
        guard let serial = SerialNumber.normalised(text) else {
            body.issues.add(body.field("serial"), "must be 4 to 32 letters and digits (spaces and '-' are ignored)")
            return nil
        }
        return serial
    }

    /// The four registration details and the second-hand flag; all optional (they may come later).
    static let detailKeys = ["serial", "country_of_purchase", "purchased_on", "store", "second_hand"]

    static func details(_ body: ObjectReader) -> CPSKitbag.DetailsInput {
        for key in detailKeys where body.contains(key) {
            if body.value(key, required: false) == nil { body.issues.add(body.field(key), "cannot be cleared once given") }
        }
        return CPSKitbag.DetailsInput(
            serial: serial(body, required: false), countryOfPurchase: country(body, "country_of_purchase", required: false),
            purchasedOn: body.date("purchased_on", required: false), store: body.string("store", required: false),
            secondHand: body.bool("second_hand", required: false)
        )
    }

    static func address(_ body: ObjectReader) -> WelcomePack.Address? {
        guard let address = body.object("address") else { return nil }
        let recipient = address.string("recipient")
        let line1 = address.string("line1")
        let line2 = address.string("line2", required: false)
        let postal = address.string("postal_code", maxLength: 16)
        let city = address.string("city", maxLength: 100)
        let country = country(address, "country")
        address.rejectUnknownFields()
        guard let recipient, let line1, let postal, let city, let country else { return nil }
        return WelcomePack.Address(recipient: recipient, line1: line1, line2: line2, postalCode: postal, city: city, country: country)
    }
}

import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Shared by all resource routes: the database, the catalogue, and the one
/// way writes happen (a transaction, with idempotent replay for POST).
struct API: Sendable {
    let database: DatabasePool
    let catalogue: Catalogue
    let calendar: SupportCalendar

    init(database: DatabasePool, catalogue: Catalogue) {
        self.database = database
        self.catalogue = catalogue
        calendar = SupportCalendar(settings: catalogue.calendar)
    }

    func read<T>(_ body: (Connection) throws -> T) throws -> T {
        try database.read(body)
    }

    /// Runs `body` in a write transaction. A POST carrying
    /// `Idempotency-Key` is answered from the stored response when the same
    /// key (per API key) and the same request were seen before, and with 422
    /// when the key was used for a different request. Only successful
    /// responses are stored: a failed request changed nothing and may be
    /// retried with its key.
    func write(_ request: HTTPRequest, _ body: (Connection, Principal) throws -> HTTPResponse) throws -> HTTPResponse {
        let principal = try request.principal
        var idempotencyKey: String?
        if request.method == .POST, let key = request.headers["Idempotency-Key"] {
            guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw APIProblem.invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters")
            }
            idempotencyKey = key
        }
        let requestHash = SHA256.hash(Array("\(request.method.rawValue) \(request.path)\n".utf8) + request.body)
        return try database.write { connection in
            if let idempotencyKey, let keyID = principal.keyID,
               let stored = try IdempotencyStore.find(connection, keyID: keyID, idempotencyKey: idempotencyKey) {
                guard stored.requestHash == requestHash else {
                    throw Problem(.unprocessableContent, detail: "Idempotency-Key \(idempotencyKey) was already used for a different request",
                                  type: "/problems/idempotency-key-reused")
                }
                return replay(stored)
            }
            let response = try body(connection, principal)
            if let idempotencyKey, let keyID = principal.keyID, (200..<300).contains(response.status.code),
               case .bytes(let bytes) = response.body {
                try IdempotencyStore.save(connection, keyID: keyID, idempotencyKey: idempotencyKey, StoredResponse(
                    requestHash: requestHash, status: response.status.code, headers: storedHeaders(response), body: bytes
                ))
            }
            return response
        }
    }

    private static let replayedHeaders = ["Content-Type", "ETag", "Location"]

    private func storedHeaders(_ response: HTTPResponse) -> String {
        JSONValue.object(Self.replayedHeaders.compactMap { name in response.headers[name].map { (name, .string($0)) } }).encoded()
    }

    private func replay(_ stored: StoredResponse) -> HTTPResponse {
        var response = HTTPResponse(status: HTTPStatus(code: stored.status), body: .bytes(stored.body))
        if case .object(let members)? = try? JSONParser.parse(stored.headers) {
            for case let (name, .string(value)) in members { response.headers.add(name, value) }
        }
        response.headers.add("Idempotent-Replayed", "true")
        return response
    }

    /// A handler for `GET .../{parameter}` of a dealer-scoped resource:
    /// found within the caller's scope, or 404 as if it did not exist.
    func show<T>(
        _ kind: String, parameter: String,
        find: @escaping @Sendable (Connection, String, String?) throws -> T?,
        present: @escaping @Sendable (T) -> HTTPResponse
    ) -> Handler {
        { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let id = try request.parameters.require(parameter)
            guard let value = try read({ try find($0, id, principal.dealerScope) }) else { throw APIProblem.notFound(kind, id) }
            return present(value)
        }
    }

    /// Opens a service request: the contract covering the device on the
    /// reported (local) day, its tier that day, and the deadline from it.
    func openServiceRequest(
        _ connection: Connection, device: Device, reportedAt: Date, category: ServiceRequest.Category, description: String,
        source: ServiceRequest.Source, alertCode: String? = nil
    ) throws -> ServiceRequest {
        let day = calendar.localDate(of: reportedAt)
        let contract = try ContractStore.covering(connection, serial: device.serial, on: day)
        let tier = contract?.tier(on: day)
        let deadline = tier.flatMap { catalogue.tiers[$0] }.map { calendar.deadline(for: $0.response, reportedAt: reportedAt) }
        let request = ServiceRequest(
            id: Identifier.make("srq"), deviceSerial: device.serial, customerID: device.customerID, dealerID: device.dealerID,
            contractID: contract?.id, tier: tier, reportedAt: reportedAt, category: category, description: description,
            source: source, state: .open, clockStartsAt: deadline?.clockStartsAt, responseDueAt: deadline?.responseDueAt,
            firstResponseAt: nil, resolvedAt: nil, cause: nil, billableMinutes: nil, events: [], version: 1
        )
        try ServiceRequestStore.create(connection, request, alertCode: alertCode)
        return request
    }

    func audit(_ connection: Connection, _ principal: Principal, _ action: String, _ type: String, _ id: String,
               dealer: String?, _ detail: [(String, JSONValue)] = []) throws {
        try AuditStore.record(connection, principal: principal, action: action, resourceType: type, resourceID: id,
                              dealerID: dealer, detail: .object(detail))
    }
}

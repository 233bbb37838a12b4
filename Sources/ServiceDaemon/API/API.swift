import Foundation
import Logging
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Shared by all resource routes: the database, the catalogue, and the one
/// way writes happen (a transaction, with idempotent replay for POST).
/// A class: every route's closures capture it, and a page's presenter is
/// called once per item; copying a struct of a catalogue, a calendar and a
/// dozen references retained and released each of them every time (a tenth
/// of a service-request page's CPU).
final class API: Sendable {
    let database: DatabasePool
    let catalogue: Catalogue
    let calendar: SupportCalendar
    /// Today in the calendar's zone, for the routes that work as of a date.
    let todayClock: TodayClock
    /// The body limit of the routes that take batches; every other route has
    /// the router's (`max_body_bytes`).
    let maxBatchBodyBytes: Int
    /// Billing runs; a run left by a process that died is logged when removed.
    let billing: BillingRunner
    /// Nil when metrics are off.
    let metrics: DaemonMetrics?
    /// Where webhook endpoints may point, and how deliveries are retried.
    let webhooks: WebhookSettings
    /// Rung after every committed write: the webhook sender looks for new events.
    let commits: CommitSignal
    /// Event-feed long polls waiting for events.
    let feedWaiters: FeedWaiters
    /// Keys recently found valid; a revocation clears it.
    let keys = AuthenticatedKeys()

    init(database: DatabasePool, catalogue: Catalogue, maxBatchBodyBytes: Int, logger: Logger, metrics: DaemonMetrics? = nil,
         webhooks: WebhookSettings = WebhookSettings(), commits: CommitSignal = CommitSignal()) {
        self.database = database
        self.webhooks = webhooks
        self.commits = commits
        feedWaiters = FeedWaiters(signal: commits) { try database.read { try EventStore.latestSequence($0) } }
        self.catalogue = catalogue
        self.maxBatchBodyBytes = maxBatchBodyBytes
        self.metrics = metrics
        calendar = SupportCalendar(settings: catalogue.calendar)
        todayClock = TodayClock(calendar: calendar)
        billing = BillingRunner(database: database, catalogue: catalogue) { orphan in
            logger.warning("orphan billing run removed", metadata: [
                "run_id": .string(orphan.id), "year": .stringConvertible(orphan.year), "lines": .stringConvertible(orphan.lines),
            ])
        }
    }

    /// A billing run, timed and its lines counted when metrics are on.
    func timedBillingRun(dryRun: Bool, _ run: () throws -> BillingRunner.Summary) throws -> BillingRunner.Summary {
        guard let metrics else { return try run() }
        return try metrics.billingRun(dryRun: dryRun, run)
    }

    func read<T>(_ body: (Connection) throws -> T) throws -> T {
        try database.handlerRead(body)
    }

    /// Runs `body` in a write transaction. A POST carrying
    /// `Idempotency-Key` is answered from the stored response when the same
    /// key (per API key) and the same request were seen before, and with 409
    /// when the key was used for a different request. Only successful
    /// responses are stored: a failed request changed nothing and may be
    /// retried with its key.
    func write(_ request: HTTPRequest, _ body: (Connection, Principal) throws -> HTTPResponse) throws -> HTTPResponse {
        let principal = try request.principal
        let key = try idempotencyKey(request)
        let response = try database.write { connection in
            if let replayed = try replay(connection, request, principal, key) { return replayed }
            let response = try body(connection, principal)
            try remember(connection, request, principal, key, response)
            return response
        }
        commits.ring()
        return response
    }

    /// For POSTs that manage their own transactions (billing runs): the key
    /// is checked before and the response stored after. Two requests racing
    /// under one key both run; the work itself must tolerate that (a second
    /// billing run for a year bills only differences, or gets 409), each gets
    /// its own answer, and the first to finish is the one stored.
    func idempotent(_ request: HTTPRequest, _ body: (Principal) throws -> HTTPResponse) throws -> HTTPResponse {
        let principal = try request.principal
        let key = try idempotencyKey(request)
        if let replayed = try database.write({ try replay($0, request, principal, key) }) { return replayed }
        let response = try body(principal)
        try database.write { try remember($0, request, principal, key, response) }
        return response
    }

    private func idempotencyKey(_ request: HTTPRequest) throws -> String? {
        guard request.method == .POST, let key = request.headers["Idempotency-Key"] else { return nil }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw APIProblem.invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters")
        }
        return key
    }

    private func requestHash(_ request: HTTPRequest) -> [UInt8] {
        SHA256.hash(Array("\(request.method.rawValue) \(request.path)\n".utf8) + request.body)
    }

    /// The stored answer to an earlier identical request; 409 when the key
    /// was used for a different one. The IETF idempotency-key draft suggests
    /// 422, but the refusal depends on stored state (what the key was first
    /// used for), not on the request, and every other state conflict in
    /// this API is 409: a client must not retry it unchanged.
    private func replay(_ connection: Connection, _ request: HTTPRequest, _ principal: Principal, _ key: String?) throws -> HTTPResponse? {
        guard let key, let keyID = principal.keyID,
              let stored = try IdempotencyStore.find(connection, keyID: keyID, idempotencyKey: key) else { return nil }
        guard stored.requestHash == requestHash(request) else {
            throw Problem(.conflict, detail: "Idempotency-Key \(key) was already used for a different request",
                          type: "/problems/idempotency-key-reused")
        }
        return replay(stored)
    }

    private func remember(_ connection: Connection, _ request: HTTPRequest, _ principal: Principal, _ key: String?, _ response: HTTPResponse) throws {
        guard let key, let keyID = principal.keyID, (200..<300).contains(response.status.code), case .bytes(let bytes) = response.body else { return }
        try IdempotencyStore.save(connection, keyID: keyID, idempotencyKey: key, StoredResponse(
            requestHash: requestHash(request), status: response.status.code, headers: storedHeaders(response), body: bytes
        ))
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
    /// found within the caller's scope, or 404 as if it did not exist; the
    /// answer carries the resource's version as its ETag.
    func show<T: Versioned>(
        _ kind: String, parameter: String,
        find: @escaping @Sendable (Connection, String, String?) throws -> T?,
        json: @escaping @Sendable (T) -> JSONValue
    ) -> Handler {
        { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let id = try request.parameters.require(parameter)
            guard let value = try self.read({ try find($0, id, principal.dealerScope) }) else { throw APIProblem.notFound(kind, id) }
            return APIResponse.json(.ok, json(value), version: value.version)
        }
    }

    /// Writes `type` to the event outbox, in the caller's transaction: the
    /// change and its event commit together or not at all.
    func publish(_ connection: Connection, _ type: EventType, dealer: String?, id: String, _ data: JSONValue) throws {
        try EventStore.append(connection, type, dealerID: dealer, resourceID: id, data: data)
    }

    func audit(_ connection: Connection, _ principal: Principal, _ action: String, _ type: String, _ id: String,
               dealer: String?, _ detail: [(String, JSONValue)] = []) throws {
        try AuditStore.record(connection, principal: principal, action: action, resourceType: type, resourceID: id,
                              dealerID: dealer, detail: .object(detail))
    }
}

import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Webhook endpoints: an admin's (every dealer's events, or one dealer's
/// with `dealer_id`) or a dealer's own (its own events only). The secret
/// is in the answer to the POST and nowhere else.
struct WebhookRoutes {
    let api: API

    struct Draft {
        var url: String?
        var eventTypes: [EventType]?
        var description: String??
        var dealerID: String?
    }

    func register(on group: inout RouteGroup) {
        group.post("/webhook-endpoints") { request in
            let principal = try request.principal(.admin, .dealer)
            let draft = try request.decode { try read($0, creating: true, principal: principal) }
            return try api.write(request) { connection, principal in
                let dealerID = principal.dealerID ?? draft.dealerID
                if let dealerID, principal.role == .admin, try DealerStore.find(connection, id: dealerID) == nil {
                    throw APIProblem.notFound("dealer", dealerID)
                }
                let secret = try WebhookSignature.makeSecret()
                let endpoint = try WebhookStore.create(connection, dealerID: dealerID, url: draft.url!, eventTypes: draft.eventTypes!,
                                                       description: draft.description ?? nil, secret: secret)
                try api.audit(connection, principal, "webhook_endpoint.create", "webhook_endpoint", endpoint.id, dealer: dealerID,
                              [("url", .string(endpoint.url))])
                guard case .object(var members) = present(endpoint) else { throw Problem(.internalServerError, detail: "endpoint not an object") }
                members.append(("secret", .string(secret)))
                return APIResponse.json(.created, .object(members), version: endpoint.version, location: "/v1/webhook-endpoints/\(endpoint.id)")
            }
        }
        group.get("/webhook-endpoints/{id}", api.show(
            "webhook endpoint", parameter: "id", find: { try WebhookStore.find($0, id: $1, scope: $2) }, json: { present($0) }
        ))
        group.get("/webhook-endpoints?limit&cursor") { request in
            let principal = try request.principal(.admin, .dealer)
            let page = try request.pageRequest()
            return APIResponse.page(try api.read { try WebhookStore.list($0, scope: principal.dealerScope, page: page) }, present)
        }
        group.patch("/webhook-endpoints/{id}") { request in
            let caller = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            let draft = try request.decode { try read($0, creating: false, principal: caller) }
            return try api.write(request) { connection, principal in
                var endpoint = try find(connection, id, principal)
                try request.checkPrecondition(currentVersion: endpoint.version)
                endpoint.url = draft.url ?? endpoint.url
                endpoint.eventTypes = draft.eventTypes ?? endpoint.eventTypes
                endpoint.description = draft.description ?? endpoint.description
                try WebhookStore.save(connection, endpoint)
                try api.audit(connection, principal, "webhook_endpoint.update", "webhook_endpoint", id, dealer: endpoint.dealerID)
                let saved = try find(connection, id, principal)
                return APIResponse.json(.ok, present(saved), version: saved.version)
            }
        }
        group.delete("/webhook-endpoints/{id}") { request in
            _ = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            return try api.write(request) { connection, principal in
                let endpoint = try find(connection, id, principal)
                try WebhookStore.delete(connection, id: id)
                try api.audit(connection, principal, "webhook_endpoint.delete", "webhook_endpoint", id, dealer: endpoint.dealerID)
                return HTTPResponse(status: .noContent)
            }
        }
        group.post("/webhook-endpoints/{id}/replay") { request in
            _ = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            return try api.write(request) { connection, principal in
                let endpoint = try find(connection, id, principal)
                try WebhookStore.replay(connection, endpointID: id)
                try api.audit(connection, principal, "webhook_endpoint.replay", "webhook_endpoint", id, dealer: endpoint.dealerID,
                              [("held_back_attempts", .int(endpoint.failedAttempts))])
                let saved = try find(connection, id, principal)
                return APIResponse.json(.ok, present(saved), version: saved.version)
            }
        }
        group.get("/webhook-endpoints/{id}/deliveries?limit&cursor") { request in
            let principal = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            let page = try request.pageRequest()
            return APIResponse.page(try api.read { connection in
                _ = try find(connection, id, principal)
                return try WebhookStore.attempts(connection, endpointID: id, page: page)
            }, present)
        }
    }

    private func find(_ connection: Connection, _ id: String, _ principal: Principal) throws -> WebhookEndpoint {
        guard let endpoint = try WebhookStore.find(connection, id: id, scope: principal.dealerScope) else {
            throw APIProblem.notFound("webhook endpoint", id)
        }
        return endpoint
    }

    /// `url` (admitted by the delivery policy; its name is resolved at delivery),
    /// `event_types` (known, at least one), `description`, and for admins
    /// creating a dealer's endpoint `dealer_id`.
    private func read(_ body: ObjectReader, creating: Bool, principal: Principal) throws -> Draft? {
        var draft = Draft()
        if let url = body.exactString("url", required: creating, maxLength: 2_048) {
            switch api.webhooks.policy.admit(url) {
            case .success: draft.url = url
            case .failure(let refusal): body.issues.add("url", refusal.description)
            }
        }
        if let names = body.stringArray("event_types", required: creating, maxCount: EventType.allCases.count, maxLength: 64) {
            var types: [EventType] = []
            for (index, name) in names.enumerated() {
                guard let type = EventType(rawValue: name) else {
                    body.issues.add("event_types[\(index)]", "unknown event type \(name)")
                    continue
                }
                guard !types.contains(type) else {
                    body.issues.add("event_types[\(index)]", "repeats \(name)")
                    continue
                }
                types.append(type)
            }
            if names.isEmpty { body.issues.add("event_types", "must name at least one event type") }
            draft.eventTypes = types
        }
        // Absent: unchanged; null: none (a PATCH clears it).
        if body.contains("description") { draft.description = .some(body.string("description", required: false, maxLength: 500)) }
        if creating && principal.role == .admin {
            draft.dealerID = body.string("dealer_id", required: false, maxLength: 64)
        } else if body.contains("dealer_id") {
            body.issues.add("dealer_id", creating ? "is set by a dealer key itself" : "cannot be changed")
        }
        return draft
    }

    func present(_ endpoint: WebhookEndpoint) -> JSONValue {
        .object([
            ("id", .string(endpoint.id)), ("dealer_id", endpoint.dealerID.map(JSONValue.string) ?? .null), ("url", .string(endpoint.url)),
            ("event_types", .array(endpoint.eventTypes.map { .string($0.rawValue) })),
            ("description", endpoint.description.map(JSONValue.string) ?? .null), ("state", .string(endpoint.state.rawValue)),
            ("failed_attempts", .int(endpoint.failedAttempts)),
            ("next_attempt_at", endpoint.nextAttemptMilliseconds.map { .string(RFC3339.format(Date(timeIntervalSince1970: Double($0) / 1000))) } ?? .null),
            ("created_at", .string(endpoint.createdAt)), ("updated_at", .string(endpoint.updatedAt)),
        ])
    }

    func present(_ attempt: WebhookAttempt) -> JSONValue {
        .object([
            ("id", .int(attempt.id)), ("event_id", .string(attempt.eventID)), ("event_type", .string(attempt.eventType)),
            ("attempt", .int(attempt.attempt)), ("attempted_at", .string(attempt.attemptedAt)),
            ("status", .string(attempt.delivered ? "delivered" : "failed")),
            ("response_status", attempt.statusCode.map(JSONValue.int) ?? .null), ("error", attempt.error.map(JSONValue.string) ?? .null),
            ("latency_ms", .int(attempt.latencyMilliseconds)),
        ])
    }
}

extension WebhookEndpoint: Versioned {}

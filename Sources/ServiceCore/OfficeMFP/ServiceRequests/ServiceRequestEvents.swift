import Foundation

/// What happens to a service request after it is reported: a response,
/// holds and resumes, its resolution (with the cause and the billable work
/// when it is outside the contract's responsibility) or its cancellation.
public enum ServiceRequestEvents {
    public struct Input: Sendable {
        public let type: ServiceRequest.EventType
        public let at: Date
        public let note: String?
        public let cause: ServiceRequest.Cause?
        public let billableMinutes: Int?

        public init(type: ServiceRequest.EventType, at: Date, note: String?, cause: ServiceRequest.Cause?, billableMinutes: Int?) {
            self.type = type
            self.at = at
            self.note = note
            self.cause = cause
            self.billableMinutes = billableMinutes
        }
    }

    /// Applies the event to the request (of the `scope` dealer) and stores
    /// it; returns the request as stored. An event the request's state does
    /// not allow is a conflict naming the state; one dated before the
    /// request or its last event is invalid at `at`.
    public static func record(_ connection: Connection, id: String, scope: String?, _ input: Input, keyID: String?) throws -> ServiceRequest {
        guard let existing = try ServiceRequestStore.find(connection, id: id, scope: scope) else {
            throw MFPFailure.notFound(kind: "service request", id: id)
        }
        // An uncovered request's work is billed: resolving it needs the minutes.
        if input.type == .resolve, !existing.isCovered, input.billableMinutes == nil {
            throw MFPFailure.invalid("billable_minutes", "is required to resolve an uncovered request: its work is billed")
        }
        let updated: ServiceRequest
        do throws(ServiceRequest.TransitionError) {
            updated = try existing.applying(
                ServiceRequest.Event(type: input.type, at: input.at, note: input.note), cause: input.cause, billableMinutes: input.billableMinutes
            )
        } catch {
            if input.at < existing.reportedAt || (existing.events.last.map { input.at < $0.at } ?? false) {
                throw MFPFailure.invalid("at", error.description)
            }
            throw MFPFailure.conflict(error.description, extensions: ["state": existing.state.rawValue])
        }
        return try ServiceRequestStore.save(connection, updated, keyID: keyID)
    }
}

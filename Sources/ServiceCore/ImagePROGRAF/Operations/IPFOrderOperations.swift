import ServiceJSON

public enum IPFOrderOperations {
    /// A parts and service material order; a claim it names must be one of the dealer's.
    public static func submit(_ connection: Connection, principal: Principal, dealerID: String, channel: IPFOrder.Channel,
                              lines: [IPFOrder.Line], claimID: String?) throws -> IPFOrder {
        try IPFAuthorisationOperations.requireDealer(connection, scope: principal.dealerScope, dealerID)
        if let claimID, try IPFClaimStore.find(connection, id: claimID, scope: dealerID) == nil {
            throw IPFFailure.invalid("claim_id", "unknown claim \(claimID) of dealer \(dealerID)")
        }
        let order = IPFOrder(id: Identifier.make("ipo"), dealerID: dealerID, channel: channel, lines: lines, claimID: claimID, state: .submitted,
                             events: [], version: 1, createdAt: Timestamp.now())
        try IPFOrderStore.create(connection, order)
        try AuditStore.record(connection, principal: principal, action: "ipf.order.submit", resourceType: "ipf_order", resourceID: order.id,
                              dealerID: dealerID, detail: .object([("channel", .string(channel.rawValue)), ("lines", .int(lines.count))]))
        return order
    }

    /// Moves an order on; an event that does not fit its state is 409.
    public static func apply(_ connection: Connection, principal: Principal, orderID: String, _ type: IPFOrder.EventType,
                             note: String?) throws -> IPFOrder {
        guard var order = try IPFOrderStore.find(connection, id: orderID, scope: principal.dealerScope) else {
            throw IPFFailure.notFound(kind: "order", id: orderID)
        }
        guard let next = IPFOrder.transition(from: order.state, type) else {
            throw IPFFailure.conflict("an order that is \(order.state.rawValue) cannot \(type.rawValue)", details: [("state", order.state.rawValue)])
        }
        let event = IPFOrder.Event(type: type, note: note, at: Timestamp.now())
        order.state = next
        order.events.append(event)
        try IPFOrderStore.save(connection, order, event: event)
        order.version += 1
        try AuditStore.record(connection, principal: principal, action: "ipf.order.\(type.rawValue)", resourceType: "ipf_order", resourceID: orderID,
                              dealerID: order.dealerID, detail: .object([("state", .string(next.rawValue))]))
        return order
    }
}

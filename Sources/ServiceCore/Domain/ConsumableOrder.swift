import Foundation

/// An automatic dispatch of a consumable, raised by a low-level alert.
public struct ConsumableOrder: Sendable, Equatable {
    public enum Item: String, Sendable, CaseIterable { case black, cyan, magenta, yellow, waste, drum }
    public enum State: String, Sendable, CaseIterable { case open, shipped, delivered, cancelled }
    public enum EventType: String, Sendable, CaseIterable { case ship, deliver, cancel }

    public let id: String
    public let deviceSerial: String
    public let dealerID: String
    public let item: Item
    public var state: State
    public let levelPercent: Int
    public let triggeredAt: Date
    public var quantityShipped: Int
    public var quantityDelivered: Int
    public var deliveredAt: Date?
    public var version: Int

    public init(id: String, deviceSerial: String, dealerID: String, item: Item, state: State, levelPercent: Int, triggeredAt: Date,
                quantityShipped: Int, quantityDelivered: Int, deliveredAt: Date?, version: Int) {
        self.id = id
        self.deviceSerial = deviceSerial
        self.dealerID = dealerID
        self.item = item
        self.state = state
        self.levelPercent = levelPercent
        self.triggeredAt = triggeredAt
        self.quantityShipped = quantityShipped
        self.quantityDelivered = quantityDelivered
        self.deliveredAt = deliveredAt
        self.version = version
    }

    public struct TransitionError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// ship: open -> shipped; deliver: open or shipped -> delivered (the
    /// delivered quantity is what billing counts); cancel: open or shipped.
    public func applying(_ type: EventType, quantity: Int?, at: Date) throws(TransitionError) -> ConsumableOrder {
        var next = self
        switch (type, state) {
        case (.ship, .open):
            next.state = .shipped
            next.quantityShipped = quantity ?? 0
        case (.deliver, .open), (.deliver, .shipped):
            next.state = .delivered
            next.quantityDelivered = quantity ?? 0
            next.deliveredAt = at
        case (.cancel, .open), (.cancel, .shipped):
            next.state = .cancelled
        default:
            throw TransitionError(description: "cannot \(type.rawValue) an order that is \(state.rawValue)")
        }
        return next
    }
}

extension TonerChannel {
    /// The consumable a toner channel is ordered as.
    public var consumable: ConsumableOrder.Item {
        switch self {
        case .black: return .black
        case .cyan: return .cyan
        case .magenta: return .magenta
        case .yellow: return .yellow
        }
    }
}

import Foundation

/// A consumables dispatch after it is opened: shipped, delivered (in part
/// or whole) or cancelled.
public enum ConsumableOrderEvents {
    /// Applies the event to the order (of the `scope` dealer) and stores it;
    /// returns the order as stored. An event the order's state does not
    /// allow is a conflict naming the state.
    public static func record(
        _ connection: Connection, id: String, scope: String?, _ type: ConsumableOrder.EventType, quantity: Int?, at: Date
    ) throws -> ConsumableOrder {
        guard let order = try ConsumableOrderStore.find(connection, id: id, scope: scope) else {
            throw MFPFailure.notFound(kind: "consumable order", id: id)
        }
        let updated: ConsumableOrder
        do throws(ConsumableOrder.TransitionError) {
            updated = try order.applying(type, quantity: quantity, at: at)
        } catch {
            throw MFPFailure.conflict(error.description, extensions: ["state": order.state.rawValue])
        }
        return try ConsumableOrderStore.save(connection, updated, event: type, quantity: quantity, at: at)
    }
}

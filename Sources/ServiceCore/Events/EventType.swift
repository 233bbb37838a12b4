/// The state changes a dealer portal hears of, by the name the feed and
/// webhook deliveries carry. Each is written to the outbox (`EventStore`) in
/// the transaction of the change it describes.
public enum EventType: String, Sendable, CaseIterable {
    case serviceRequestCreated = "service_request.created"
    case serviceRequestResponded = "service_request.responded"
    case serviceRequestResolved = "service_request.resolved"
    case serviceRequestCancelled = "service_request.cancelled"
    case serviceRequestResponseBreached = "service_request.response_breached"
    case consumableOrderOpened = "consumable_order.opened"
    case consumableOrderShipped = "consumable_order.shipped"
    case consumableOrderDelivered = "consumable_order.delivered"
    case consumableOrderCancelled = "consumable_order.cancelled"
    case deviceAlertRaised = "device.alert_raised"
    case deviceIPAddressMissing = "device.ip_address_missing"
    case contractCreated = "contract.created"
    case contractAmended = "contract.amended"
    case contractTerminated = "contract.terminated"
    case billingRunCompleted = "billing_run.completed"
    case billingRunFailed = "billing_run.failed"
    /// Raised by the daemon when a repair's target day ends with the product still in servicing.
    case cpsRepairTargetMissed = "cps_repair.target_missed"
    /// A compensation claim approved or rejected: the programme decides on submission.
    case ipfClaimDecided = "ipf_claim.decided"
    case ipfClaimPaid = "ipf_claim.paid"

    /// The event a service-request transition gives, if portals hear of it
    /// (holds, resumes, closes and reopens are internal bookkeeping).
    public init?(_ transition: ServiceRequest.EventType) {
        switch transition {
        case .respond: self = .serviceRequestResponded
        case .resolve: self = .serviceRequestResolved
        case .cancel: self = .serviceRequestCancelled
        case .hold, .resume, .close, .reopen: return nil
        }
    }

    public init(_ transition: ConsumableOrder.EventType) {
        switch transition {
        case .ship: self = .consumableOrderShipped
        case .deliver: self = .consumableOrderDelivered
        case .cancel: self = .consumableOrderCancelled
        }
    }

    /// The kind of resource the event's `data` is.
    public var resourceType: String {
        String(rawValue.prefix { $0 != "." })
    }
}

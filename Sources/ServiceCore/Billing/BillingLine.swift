import ServiceJSON

/// One billed amount with everything needed to explain it to a customer.
public struct BillingLine: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case colour_overage, banner_clicks, toner_excess, service_hours
        /// Implementation time beyond what the package includes, and extras billed separately (work orders).
        case implementation_time, implementation_extra

        /// What `quantity` counts: A4-equivalent colour pages, banner clicks,
        /// cartridges, minutes of work.
        public var unit: String {
            switch self {
            case .colour_overage: return "page"
            case .banner_clicks: return "click"
            case .toner_excess: return "cartridge"
            case .service_hours, .implementation_time, .implementation_extra: return "minute"
            }
        }

        /// What `unit_price_minor` is per: the unit, except for service
        /// work, counted in minutes and priced by the hour.
        public var priceUnit: String { unit == "minute" ? "hour" : unit }

        /// Lines not tied to a device's year of usage: billed per request or
        /// work order, never reversed by the device pass of a run.
        public var isWork: Bool { unit == "minute" }
    }

    public let kind: Kind
    public let deviceSerial: String
    public let customerID: String
    public let dealerID: String
    /// The toner channel for toner lines; the service request for service lines.
    public let channel: String?
    public let quantity: Int
    public let unitPriceMinor: Int
    public let amountMinor: Int
    public let currency: String
    /// The inputs: allowance, usage, segments, readings, estimated or not.
    public let explanation: JSONValue

    public init(kind: Kind, deviceSerial: String, customerID: String, dealerID: String, channel: String?, quantity: Int,
                unitPriceMinor: Int, amountMinor: Int, currency: String, explanation: JSONValue) {
        self.kind = kind
        self.deviceSerial = deviceSerial
        self.customerID = customerID
        self.dealerID = dealerID
        self.channel = channel
        self.quantity = quantity
        self.unitPriceMinor = unitPriceMinor
        self.amountMinor = amountMinor
        self.currency = currency
        self.explanation = explanation
    }

    /// What a later run compares: the same device, kind and channel.
    public var key: String { "\(deviceSerial)|\(kind.rawValue)|\(channel ?? "")" }

    /// The same comparison within one device's lines, without building a string.
    public struct DeviceKey: Hashable, Sendable {
        public let kind: Kind
        public let channel: String

        public init(kind: Kind, channel: String) {
            self.kind = kind
            self.channel = channel
        }
    }

    public var deviceKey: DeviceKey { DeviceKey(kind: kind, channel: channel ?? "") }

    /// This line with its explanation.
    func explained(_ explanation: JSONValue) -> BillingLine {
        BillingLine(kind: kind, deviceSerial: deviceSerial, customerID: customerID, dealerID: dealerID, channel: channel, quantity: quantity,
                    unitPriceMinor: unitPriceMinor, amountMinor: amountMinor, currency: currency, explanation: explanation)
    }

    public static func == (lhs: BillingLine, rhs: BillingLine) -> Bool {
        lhs.key == rhs.key && lhs.customerID == rhs.customerID && lhs.dealerID == rhs.dealerID && lhs.quantity == rhs.quantity && lhs.unitPriceMinor == rhs.unitPriceMinor
            && lhs.amountMinor == rhs.amountMinor && lhs.currency == rhs.currency && lhs.explanation.encoded() == rhs.explanation.encoded()
    }
}

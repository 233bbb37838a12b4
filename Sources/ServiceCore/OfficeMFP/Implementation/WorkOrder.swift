import Foundation

/// Delivery and installation of one device under a contract: the services
/// of the contract's implementation package (what it includes and the
/// options bought), the state of each, the delivery, and the time and extras
/// recorded on site, which billing reads.
public struct WorkOrder: Sendable, Equatable {
    public let id: String
    public let contractID: String
    public let deviceSerial: String
    public let customerID: String
    public let dealerID: String
    public let implementationPackage: String
    /// In catalogue order.
    public var services: [ServiceState]
    public var deliveredAt: Date?
    public var timeEntries: [TimeEntry]
    public var extras: [Extra]
    public var version: Int
    public let createdAt: String

    public enum State: String, Sendable, CaseIterable {
        case pending, done
    }

    public struct ServiceState: Sendable, Equatable {
        public let service: String
        public var state: State
        public var completedAt: Date?
        /// When a service with a deadline after delivery must be done; set at delivery.
        public var dueAt: Date?

        public init(service: String, state: State, completedAt: Date?, dueAt: Date?) {
            self.service = service
            self.state = state
            self.completedAt = completedAt
            self.dueAt = dueAt
        }
    }

    /// Minutes of work on a timed service; `people` for training sessions.
    public struct TimeEntry: Sendable, Equatable {
        public let id: String
        public let service: String
        public let minutes: Int
        public let people: Int?
        public let performedAt: Date

        public init(id: String, service: String, minutes: Int, people: Int?, performedAt: Date) {
            self.id = id
            self.service = service
            self.minutes = minutes
            self.people = people
            self.performedAt = performedAt
        }
    }

    /// Work billed separately (a later separate return of the old machine,
    /// stairs carry, waiting time, an external lift), in minutes.
    public struct Extra: Sendable, Equatable {
        public let id: String
        public let addOn: String
        public let minutes: Int
        public let performedAt: Date
        public let note: String?

        public init(id: String, addOn: String, minutes: Int, performedAt: Date, note: String?) {
            self.id = id
            self.addOn = addOn
            self.minutes = minutes
            self.performedAt = performedAt
            self.note = note
        }
    }

    public init(id: String, contractID: String, deviceSerial: String, customerID: String, dealerID: String, implementationPackage: String,
                services: [ServiceState], deliveredAt: Date?, timeEntries: [TimeEntry], extras: [Extra], version: Int, createdAt: String) {
        self.id = id
        self.contractID = contractID
        self.deviceSerial = deviceSerial
        self.customerID = customerID
        self.dealerID = dealerID
        self.implementationPackage = implementationPackage
        self.services = services
        self.deliveredAt = deliveredAt
        self.timeEntries = timeEntries
        self.extras = extras
        self.version = version
        self.createdAt = createdAt
    }

    public func service(_ id: String) -> ServiceState? { services.first { $0.service == id } }
}

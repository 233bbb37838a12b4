import Foundation

/// Work-order operations: each checks the request against the work order
/// and the catalogue, then stores it. Refusals are `MFPFailure`s.
public struct WorkOrders: Sendable {
    public let catalogue: Catalogue
    public let calendar: SupportCalendar

    public init(catalogue: Catalogue, calendar: SupportCalendar) {
        self.catalogue = catalogue
        self.calendar = calendar
    }

    /// A work order for a device of a contract, with the services of the contract's package (less its downgrades) and options.
    public func create(_ connection: Connection, contractID: String, serial: String, scope: String?) throws -> WorkOrder {
        let contract = try ContractStore.existing(connection, id: contractID, scope: scope)
        guard contract.deviceSerials.contains(serial) else {
            throw MFPFailure.invalid("device_serial", "device \(serial) is not covered by contract \(contractID)")
        }
        if let existing = try WorkOrderStore.list(connection, scope: nil, filter: .init(contractID: contractID, deviceSerial: serial),
                                                  page: PageRequest(limit: 1, after: nil)).items.first {
            throw MFPFailure.conflict("contract \(contractID) already has work order \(existing.id) for device \(serial)")
        }
        guard let package = catalogue.package(id: contract.implementationPackage) else {
            throw MFPFailure.conflict("the catalogue has no implementation package \(contract.implementationPackage)")
        }
        let services = ImplementationRules.services(package: package, downgrades: contract.downgrades, options: contract.options,
                                                    catalogue: catalogue.services)
        let order = WorkOrder(
            id: Identifier.make("wko"), contractID: contract.id, deviceSerial: serial, customerID: contract.customerID, dealerID: contract.dealerID,
            implementationPackage: package.id, services: services.map { .init(service: $0, state: .pending, completedAt: nil, dueAt: nil) },
            deliveredAt: nil, timeEntries: [], extras: [], version: 1, createdAt: Timestamp.now()
        )
        try WorkOrderStore.create(connection, order)
        return order
    }

    /// The device is delivered: the delivery service is done, and every
    /// service with a deadline after delivery is due from now on.
    public func deliver(_ connection: Connection, id: String, at: Date, scope: String?) throws -> WorkOrder {
        try update(connection, id: id, scope: scope) { order in
            if let delivered = order.deliveredAt {
                throw MFPFailure.conflict("work order \(id) was already delivered at \(RFC3339.format(delivered))")
            }
            order.deliveredAt = at
            for index in order.services.indices {
                guard let service = catalogue.service(id: order.services[index].service) else { continue }
                if service.performed == .at_delivery {
                    order.services[index].state = .done
                    order.services[index].completedAt = at
                }
                if let days = service.workingDaysAfterDelivery {
                    order.services[index].dueAt = ImplementationRules.due(deliveredAt: at, workingDays: days, calendar: calendar)
                }
            }
            try WorkOrderStore.saveProgress(connection, order)
        }
    }

    /// A service of the work order is done.
    public func complete(_ connection: Connection, id: String, service: String, at: Date, scope: String?) throws -> WorkOrder {
        try update(connection, id: id, scope: scope) { order in
            guard let index = order.services.firstIndex(where: { $0.service == service }) else {
                throw MFPFailure.notFound(kind: "service", id: "\(service) of work order \(id)")
            }
            if let done = order.services[index].completedAt {
                throw MFPFailure.conflict("\(service) of work order \(id) was already completed at \(RFC3339.format(done))")
            }
            if catalogue.service(id: service)?.performed != .before_delivery {
                try requireDelivered(order, at: at, field: "completed_at", doing: "\(service) is done at the customer's")
            }
            order.services[index].state = .done
            order.services[index].completedAt = at
            try WorkOrderStore.saveProgress(connection, order)
        }
    }

    /// Minutes of work on a timed service the work order carries.
    public func addTime(_ connection: Connection, id: String, service: String, minutes: Int, people: Int?, at: Date,
                        scope: String?) throws -> WorkOrder {
        try update(connection, id: id, scope: scope) { order in
            let timed = order.services.filter { catalogue.service(id: $0.service)?.time != nil }.map(\.service)
            guard timed.contains(service), let rule = catalogue.service(id: service)?.time else {
                throw MFPFailure.invalid("service", "must be a service of this work order recorded by time: \(timed.isEmpty ? "it has none" : timed.joined(separator: ", "))")
            }
            if let limit = rule.maxPeople, people == nil {
                throw MFPFailure.invalid("people", "is required for \(service): the inclusion covers groups up to \(limit) people")
            }
            if rule.maxPeople == nil, people != nil {
                throw MFPFailure.invalid("people", "applies only to services whose inclusion depends on group size")
            }
            try requireDelivered(order, at: at, field: "performed_at", doing: "time is recorded on site")
            let entry = WorkOrder.TimeEntry(id: Identifier.make("wte"), service: service, minutes: minutes, people: people, performedAt: at)
            try WorkOrderStore.addTime(connection, orderID: id, entry)
            order.timeEntries.append(entry)
        }
    }

    /// Work billed separately, at the add-on's hourly price.
    public func addExtra(_ connection: Connection, id: String, addOn: String, minutes: Int, at: Date, note: String?,
                         scope: String?) throws -> WorkOrder {
        try update(connection, id: id, scope: scope) { order in
            guard catalogue.addOn(id: addOn) != nil else {
                throw MFPFailure.invalid("add_on", "unknown add-on \(addOn); one of \(catalogue.addOns.map(\.id).joined(separator: ", "))")
            }
            try requireDelivered(order, at: at, field: "performed_at", doing: "extras are performed at or after delivery")
            let extra = WorkOrder.Extra(id: Identifier.make("wkx"), addOn: addOn, minutes: minutes, performedAt: at, note: note)
            try WorkOrderStore.addExtra(connection, orderID: id, extra)
            order.extras.append(extra)
        }
    }

    /// The work order as `change` leaves it once stored: a new version.
    private func update(_ connection: Connection, id: String, scope: String?, _ change: (inout WorkOrder) throws -> Void) throws -> WorkOrder {
        var order = try find(connection, id: id, scope: scope)
        try change(&order)
        order.version += 1
        return order
    }

    private func find(_ connection: Connection, id: String, scope: String?) throws -> WorkOrder {
        guard let order = try WorkOrderStore.find(connection, id: id, scope: scope) else { throw MFPFailure.notFound(kind: "work order", id: id) }
        return order
    }

    private func requireDelivered(_ order: WorkOrder, at: Date, field: String, doing: String) throws {
        guard let delivered = order.deliveredAt else {
            throw MFPFailure.conflict("work order \(order.id) is not delivered yet; \(doing)")
        }
        if at < delivered { throw MFPFailure.invalid(field, "must not be before the delivery at \(RFC3339.format(delivered))") }
    }
}

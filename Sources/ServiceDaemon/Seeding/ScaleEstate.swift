import Foundation
import ServiceCore

/// A national dealer network's estate for measuring the daemon at scale,
/// written through the daemon's own stores (not SQL of its own, which could
/// drift from them). At factor 1: 500 dealers, 50 000 customers, 200 000
/// devices, one contract per customer (every tenth amended, every twentieth
/// terminated), 60 monthly meter readings per device (12 million), a million
/// service requests with their events, 100 000 consumable orders and the
/// five years 2021-2025 billed. The same factor gives the same estate: ids,
/// serials, figures and instants come from the index of each record and one
/// seeded generator; only the recording timestamps (`created_at`) differ.
struct ScaleEstate {
    let factor: Double
    let catalogue: Catalogue
    let calendar: SupportCalendar

    init(factor: Double, catalogue: Catalogue) {
        self.factor = factor
        self.catalogue = catalogue
        calendar = SupportCalendar(settings: catalogue.calendar)
    }

    static let years = 2021...2025
    static let contractPeriod = (LocalDate(year: 2021, month: 1, day: 1)!, LocalDate(year: 2026, month: 12, day: 31)!)

    private func scaled(_ count: Int) -> Int { max(1, Int((Double(count) * factor).rounded())) }
    var dealers: Int { scaled(500) }
    var customers: Int { max(dealers, scaled(50_000)) }
    var devices: Int { max(customers, scaled(200_000)) }
    var serviceRequests: Int { scaled(1_000_000) }
    var consumableOrders: Int { scaled(100_000) }
    var readingsPerDevice: Int { Self.years.count * 12 }

    /// The large dealer holds a tenth of the customers; its first customer
    /// holds a hundredth of the devices (2 000 at factor 1).
    var largeCustomerDevices: Int { max(1, devices / 100) }
    func dealer(ofCustomer customer: Int) -> Int { customer < customers / 10 || dealers == 1 ? 0 : 1 + customer % (dealers - 1) }
    func customer(ofDevice device: Int) -> Int {
        device < largeCustomerDevices || customers == 1 ? 0 : 1 + device % (customers - 1)
    }

    static func id(_ prefix: String, _ index: Int) -> String {
        // Identifier's shape (12 hex digits of time, 16 of the rest), in index order.
        "\(prefix)_0176b6ca5000\(String(format: "%016x", index))"
    }

    static func serial(_ device: Int) -> String { String(format: "SC%08d", device) }

    struct Counts: Sendable {
        var dealers = 0, customers = 0, devices = 0, contracts = 0, readings = 0, serviceRequests = 0, events = 0
        var consumableOrders = 0, billingRuns = 0
    }

    /// Writes the estate; `phase` hears of each step done and its seconds.
    func seed(into database: DatabasePool, phase: (String, Double) -> Void) throws -> Counts {
        var counts = Counts()
        var random = SplitMix64(state: 17)
        var started = Date()
        func done(_ name: String) {
            phase(name, Date().timeIntervalSince(started))
            started = Date()
        }
        let contracts = try seedParties(database, &counts)
        done("dealers, customers, devices, contracts")
        try seedReadings(database, &counts, &random)
        done("meter readings")
        try seedServiceRequests(database, contracts: contracts, &counts, &random)
        done("service requests")
        try seedConsumableOrders(database, &counts, &random)
        done("consumable orders")
        let runner = BillingRunner(database: database, catalogue: catalogue)
        for year in Self.years {
            _ = try runner.run(year: year, dryRun: false, principal: .commandLine)
            counts.billingRuns += 1
        }
        done("billing runs")
        return counts
    }

    /// Runs `body` over 0..<count in write transactions of `chunk`.
    private func inChunks(_ database: DatabasePool, _ count: Int, of chunk: Int, _ body: (Connection, Int) throws -> Void) throws {
        for start in stride(from: 0, to: count, by: chunk) {
            try database.write { connection in
                for index in start..<min(count, start + chunk) { try body(connection, index) }
            }
        }
    }

    private func seedParties(_ database: DatabasePool, _ counts: inout Counts) throws -> [Contract?] {
        var customers: [Customer] = []
        var devicesOf = [[Device]](repeating: [], count: self.customers)
        try database.write { connection in
            for dealer in 0..<dealers {
                _ = try DealerStore.create(connection, name: "Dealer \(dealer)", id: Self.id("dlr", dealer))
            }
            for customer in 0..<self.customers {
                let dealerID = Self.id("dlr", dealer(ofCustomer: customer))
                customers.append(try CustomerStore.create(connection, dealerID: dealerID, name: "Customer \(customer)", id: Self.id("cus", customer)))
            }
        }
        counts.dealers = dealers
        counts.customers = self.customers
        let families = catalogue.modelFamilies
        try inChunks(database, devices, of: 5_000) { connection, device in
            let family = families[device % families.count]
            let owner = customer(ofDevice: device)
            let new = DeviceStore.New(serial: Self.serial(device), model: family.models[device / families.count % family.models.count],
                                      familyID: family.id, customer: customers[owner], ipAddress: "10.\(device / 65_536 % 256).\(device / 256 % 256).\(device % 256)",
                                      installedOn: Self.contractPeriod.0)
            devicesOf[owner].append(try DeviceStore.create(connection, new))
        }
        counts.devices = devices
        var contracts = [Contract?](repeating: nil, count: self.customers)
        let package = catalogue.implementationPackages[0].id
        try inChunks(database, self.customers, of: 2_000) { connection, customer in
            guard !devicesOf[customer].isEmpty else { return }
            let tier = TierID.allCases[customer % TierID.allCases.count]
            let id = Self.id("con", customer)
            _ = try ContractStore.create(connection, ContractStore.New(
                customer: customers[customer], deviceSerials: devicesOf[customer].map(\.serial), tier: tier,
                startsOn: Self.contractPeriod.0, endsOn: Self.contractPeriod.1, prepaidAmountMinor: 1_200_000 * devicesOf[customer].count,
                prepaidCurrency: catalogue.currency, implementationPackage: package, options: [], bannerAgreed: customer % 4 == 0,
                bannerClickPriceMinor: nil
            ), id: id)
            if customer % 10 == 3 {
                let next = TierID.allCases[(customer + 1) % TierID.allCases.count]
                try ContractStore.addTier(connection, contractID: id, effectiveOn: LocalDate(year: 2023, month: 7, day: 1)!, tier: next)
                try ContractStore.touch(connection, id: id)
            }
            if customer % 20 == 7 {
                try ContractStore.terminate(connection, id: id, lastDay: LocalDate(year: 2024, month: 6, day: 30)!)
            }
            contracts[customer] = try ContractStore.find(connection, id: id, scope: nil)
            counts.contracts += 1
        }
        return contracts
    }

    /// Monthly readings at 02:00Z on the first of each month of the five years.
    private func seedReadings(_ database: DatabasePool, _ counts: inout Counts, _ random: inout SplitMix64) throws {
        let months = Self.years.flatMap { year in (1...12).map { LocalDate(year: year, month: $0, day: 1)! } }
        let instants = months.map { calendar.startOfDayMillis($0) }
        let chunk = 500
        for start in stride(from: 0, to: devices, by: chunk) {
            var readings: [MeterReading] = []
            readings.reserveCapacity(chunk * instants.count)
            for device in start..<min(devices, start + chunk) {
                let serial = Self.serial(device)
                var counters = MeterCounters(bwA4: random.below(100_000), bwA3: random.below(5_000), colourA4: random.below(50_000),
                                             colourA3: random.below(2_000), bannerBW: 0, bannerColour: 0)
                let colourHeavy = device % 7 == 0
                for instant in instants {
                    readings.append(MeterReading(deviceSerial: serial, readAt: instant, counters: counters, source: .dms, counterReset: false))
                    counters.bwA4 += 800 + random.below(3_200)
                    counters.bwA3 += random.below(200)
                    counters.colourA4 += random.below(colourHeavy ? 6_000 : 1_500)
                    counters.colourA3 += random.below(100)
                    if device % 50 == 0 { counters.bannerColour += random.below(20) }
                }
            }
            try database.write { try MeterReadingStore.insert($0, readings, receivedAt: readings[0].readAt) }
            counts.readings += readings.count
        }
    }

    private static let span = (start: RFC3339.parse("2021-01-01T00:00:00Z")!, seconds: 5 * 365 * 86_400)
    /// The estate's history ends here: every request was reported before it.
    private static let present = span.start.addingTimeInterval(Double(span.seconds + 86_400 * 40))

    private func seedServiceRequests(_ database: DatabasePool, contracts: [Contract?], _ counts: inout Counts,
                                     _ random: inout SplitMix64) throws {
        let categories: [ServiceRequest.Category] = [.fault, .fault, .fault, .consumable, .installation, .training, .other]
        let sources: [ServiceRequest.Source] = [.portal, .portal, .phone, .email]
        var events = 0
        // Written in the order they were reported, as the daemon writes them: the table's rows then lie in
        // the order of `service_requests_by_reported`, and a report over a period reads neighbouring pages.
        let slot = max(Self.span.seconds / serviceRequests, 1)
        try inChunks(database, serviceRequests, of: 5_000) { connection, index in
            let device = random.below(devices)
            let owner = customer(ofDevice: device)
            let reportedAt = Self.span.start.addingTimeInterval(Double(index * Self.span.seconds / serviceRequests + random.below(slot)))
            let day = calendar.localDate(of: reportedAt)
            let contract = contracts[owner].flatMap { $0.startsOn <= day && day <= $0.lastDay ? $0 : nil }
            let tier = contract?.tier(on: day)
            let deadline = tier.flatMap { catalogue.tiers[$0] }.map { calendar.deadline(for: $0.response, reportedAt: reportedAt) }
            var request = ServiceRequest(
                id: Self.id("srq", index), deviceSerial: Self.serial(device), customerID: Self.id("cus", owner),
                dealerID: Self.id("dlr", dealer(ofCustomer: owner)), contractID: contract?.id, tier: tier, reportedAt: reportedAt,
                category: categories[random.below(categories.count)], description: "Scale estate request \(index)",
                source: sources[random.below(sources.count)], state: .open, clockStartsAt: deadline?.clockStartsAt,
                responseDueAt: deadline?.responseDueAt, firstResponseAt: nil, resolvedAt: nil, cause: nil, billableMinutes: nil,
                events: [], version: 1
            )
            try ServiceRequestStore.create(connection, request)
            // Nine in ten answered, most within the day; most answered are resolved, then closed.
            var at = reportedAt
            for (type, share) in [(ServiceRequest.EventType.respond, 90), (.resolve, 85), (.close, 90)] {
                guard random.below(100) < share else { break }
                at = at.addingTimeInterval(Double(600 + random.below(type == .respond ? 36_000 : 172_800)))
                request = try request.applying(ServiceRequest.Event(type: type, at: at, note: nil),
                                               billableMinutes: type == .resolve && !request.isCovered ? 60 : nil)
                request = try ServiceRequestStore.save(connection, request, keyID: nil)
                events += 1
            }
            // A daemon running all those years raised each unanswered request's breach a second past its
            // deadline (`DeadlineWatcher`); left unraised, every daemon started on the estate would first
            // raise a hundred thousand of them, while it is being measured.
            if request.firstResponseAt == nil, let due = request.responseDueAt, due < Self.present {
                _ = try ServiceRequestStore.markBreachRaised(connection, id: request.id, at: due.addingTimeInterval(1))
            }
        }
        counts.serviceRequests = serviceRequests
        counts.events = events
    }

    /// Toner orders opened, shipped two days later and delivered two after that.
    private func seedConsumableOrders(_ database: DatabasePool, _ counts: inout Counts, _ random: inout SplitMix64) throws {
        let items: [ConsumableOrder.Item] = [.black, .black, .cyan, .magenta, .yellow]
        try inChunks(database, consumableOrders, of: 5_000) { connection, index in
            let serial = Self.serial(random.below(devices))
            guard let device = try DeviceStore.find(connection, serial: serial, scope: nil) else { return }
            let at = Self.span.start.addingTimeInterval(Double(random.below(Self.span.seconds)))
            var order = try ConsumableOrderStore.create(connection, device: device, item: items[random.below(items.count)],
                                                         levelPercent: random.below(15), at: at, id: Self.id("ord", index))
            for (step, type) in [ConsumableOrder.EventType.ship, .deliver].enumerated() {
                let when = at.addingTimeInterval(Double(2 * 86_400 * (step + 1)))
                order = try ConsumableOrderStore.save(connection, try order.applying(type, quantity: 1, at: when), event: type, quantity: 1, at: when)
            }
            counts.consumableOrders += 1
        }
    }
}

extension SplitMix64 {
    /// In 0..<bound by remainder: uniform enough for a seed estate (bounds far
    /// below 2^64), and unlike `Int.random(in:using:)` fixed here, so the
    /// estate cannot change with the standard library.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

import Foundation
import ServiceJSON

/// Reads and validates the catalogue. Every problem is reported with the
/// JSON path at fault, all at once, so the operator fixes the file in one go.
public enum CatalogueLoader {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let issues: [ValidationIssue]
        public let reason: String?

        public var description: String {
            if let reason { return "catalogue \(path): \(reason)" }
            return "catalogue \(path) is invalid:\n" + issues.map { "  - \($0.field): \($0.message)" }.joined(separator: "\n")
        }
    }

    public static func load(path: String) throws(Failure) -> Catalogue {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw Failure(path: path, issues: [], reason: "cannot be read (\(error.localizedDescription))")
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw Failure(path: path, issues: [], reason: "\(error)")
        }
        do {
            return try parse(document)
        } catch {
            throw Failure(path: path, issues: error.issues, reason: nil)
        }
    }

    public static func parse(_ document: JSONValue) throws(ValidationFailure) -> Catalogue {
        let issues = ValidationIssues()
        guard let root = ObjectReader(document, path: "", issues: issues) else { throw ValidationFailure(issues.list) }
        let currency = readCurrency(root)
        let hourlyRate = root.int("hourly_rate_minor", range: 0...Int.max)
        let threshold = root.int("consumable_alert_threshold_percent", range: 0...100)
        let tiers = readTiers(root)
        let families = readFamilies(root)
        let services = readNamed(root, "services") { reader, id, name -> Service? in
            let performed = reader.choice("performed", Service.Performed.self)
            let days = reader.int("working_days_after_delivery", required: false, range: 1...30)
            if days != nil, performed != nil, performed != .after_delivery {
                reader.issues.add(reader.field("working_days_after_delivery"), "applies to services performed after_delivery only")
            }
            let time = readTime(reader)
            guard let performed else { return nil }
            return Service(id: id, name: name, performed: performed, workingDaysAfterDelivery: days, time: time)
        }
        let packages = readPackages(root, services: services ?? [])
        let addOns = readNamed(root, "add_ons") { reader, id, name -> AddOn? in
            guard let price = reader.int("price_per_hour_minor", range: 0...Int.max) else { return nil }
            return AddOn(id: id, name: name, pricePerHourMinor: price)
        }
        let calendar = root.object("calendar").flatMap(readCalendar)
        let prices = readPriceList(root, hourlyRate: hourlyRate, families: families, addOns: addOns)
        let cps = readCPS(root)
        let imageprograf = root.object("imageprograf").flatMap(readImagePROGRAF)
        try issues.throwIfAny()
        return Catalogue(
            currency: currency!, hourlyRateMinor: hourlyRate!, consumableAlertThresholdPercent: threshold!,
            tiers: tiers!, modelFamilies: families!, services: services!, implementationPackages: packages!,
            addOns: addOns!, prices: prices!, calendar: calendar!, cps: cps!, imageprograf: imageprograf!, document: document
        )
    }

    private static func readTiers(_ root: ObjectReader) -> [TierID: Tier]? {
        guard let object = root.object("tiers") else { return nil }
        var tiers: [TierID: Tier] = [:]
        for id in TierID.allCases {
            guard let tier = object.object(id.rawValue) else { continue }
            let name = tier.string("name")
            let colourCapped = tier.bool("colour_capped")
            let tonerCapped = tier.bool("toner_capped")
            let response = tier.object("response").flatMap(readResponse)
            if let name, let response, let colourCapped, let tonerCapped {
                tiers[id] = Tier(id: id, name: name, response: response, colourCapped: colourCapped, tonerCapped: tonerCapped)
            }
        }
        return tiers.count == TierID.allCases.count ? tiers : nil
    }

    static func readCurrency(_ reader: ObjectReader) -> String? {
        guard let currency = reader.string("currency") else { return nil }
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            reader.issues.add(reader.field("currency"), "must be an ISO 4217 code such as NOK")
            return nil
        }
        return currency
    }

    /// `{"kind": "next_business_day"}` or `{"kind": "business_hours", "hours": N}`.
    static func readResponse(_ reader: ObjectReader) -> ResponseTime? {
        switch reader.string("kind") {
        case "next_business_day":
            return .nextBusinessDay
        case "business_hours":
            return reader.int("hours", range: 1...200).map(ResponseTime.businessHours)
        case .some:
            reader.issues.add(reader.field("kind"), "must be next_business_day or business_hours")
            return nil
        case .none:
            return nil
        }
    }

    private static func readFamilies(_ root: ObjectReader) -> [ModelFamily]? {
        guard let items = root.array("model_families") else { return nil }
        if items.isEmpty { root.issues.add("model_families", "must not be empty") }
        var families: [ModelFamily] = []
        var ids = Set<String>()
        var models: [String: (family: String, model: String)] = [:]
        for (index, item) in items.enumerated() {
            let path = "model_families[\(index)]"
            guard let family = ObjectReader(item, path: path, issues: root.issues) else { continue }
            let id = family.string("id")
            let name = family.string("name")
            let cap = family.int("colour_cap_per_month", range: 0...Int.max)
            let names = family.stringArray("models")
            let colourPrice = family.int("colour_click_price_minor", range: 0...Int.max)
            let bannerPrice = family.int("banner_click_price_minor", range: 0...Int.max)
            let duty = family.int("rated_monthly_duty", range: 1...Int.max)
            var dutyByModel: [String: Int] = [:]
            if let ratings = family.object("rated_monthly_duty_by_model", required: false) {
                let keys = Set((names ?? []).map(ModelName.key))
                for model in ratings.keys {
                    guard keys.contains(ModelName.key(model)) else {
                        root.issues.add(ratings.field(model), "\(model) is not one of this family's models")
                        _ = ratings.value(model, required: false)
                        continue
                    }
                    if let rating = ratings.int(model, range: 1...Int.max) { dutyByModel[ModelName.key(model)] = rating }
                }
            }
            var cartridges: [TonerChannel: Cartridge] = [:]
            if let reader = family.object("cartridges") {
                for channel in TonerChannel.allCases {
                    guard let cartridge = reader.object(channel.rawValue) else { continue }
                    if let yield = cartridge.int("yield_pages", range: 1...Int.max),
                       let price = cartridge.int("price_minor", range: 0...Int.max) {
                        cartridges[channel] = Cartridge(yieldPages: yield, priceMinor: price)
                    }
                }
            }
            if let id, !ids.insert(id).inserted { root.issues.add("\(path).id", "duplicates another family's id \(id)") }
            for (modelIndex, model) in (names ?? []).enumerated() {
                let field = "\(path).models[\(modelIndex)]"
                let key = ModelName.key(model)
                if key.isEmpty {
                    root.issues.add(field, "\(model) names no model number once the brand words are left out")
                } else if let other = models.updateValue((id ?? path, model), forKey: key) {
                    root.issues.add(field, "\(model) is the same model as \(other.model) in family \(other.family) (case, spacing and brand words are ignored)")
                }
            }
            if let names, names.isEmpty { root.issues.add("\(path).models", "must not be empty") }
            if let id, let name, let cap, let names, let colourPrice, let bannerPrice, let duty,
               cartridges.count == TonerChannel.allCases.count {
                families.append(ModelFamily(
                    id: id, name: name, colourCapPerMonth: cap, models: names, colourClickPriceMinor: colourPrice,
                    bannerClickPriceMinor: bannerPrice, ratedMonthlyDuty: duty, ratedMonthlyDutyByModel: dutyByModel, cartridges: cartridges
                ))
            }
        }
        return families
    }

    /// Arrays of `{id, name, ...}` with unique ids.
    static func readNamed<T>(_ root: ObjectReader, _ key: String, _ make: (ObjectReader, String, String) -> T?) -> [T]? {
        guard let items = root.array(key) else { return nil }
        var out: [T] = []
        var ids = Set<String>()
        for (index, item) in items.enumerated() {
            guard let reader = ObjectReader(item, path: "\(root.field(key))[\(index)]", issues: root.issues) else { continue }
            let id = reader.string("id")
            let name = reader.string("name")
            if let id, !ids.insert(id).inserted { root.issues.add(reader.field("id"), "duplicate id \(id)") }
            if let id, let name, let value = make(reader, id, name) { out.append(value) }
        }
        return out
    }

    /// `time` of a service: `included_minutes`, `billed_in_minutes`, optional `max_people`.
    private static func readTime(_ service: ObjectReader) -> TimedService? {
        guard let time = service.object("time", required: false) else { return nil }
        let included = time.int("included_minutes", range: 0...10_000)
        let unit = time.int("billed_in_minutes", range: 1...1_440)
        let people = time.int("max_people", required: false, range: 1...1_000)
        _ = time.string("assumption", required: false, maxLength: 1_000)
        time.rejectUnknownFields()
        guard let included, let unit else { return nil }
        return TimedService(includedMinutes: included, billedInMinutes: unit, maxPeople: people)
    }

    private static func readPackages(_ root: ObjectReader, services: [Service]) -> [ImplementationPackage]? {
        let known = Set(services.map(\.id))
        let packages = readNamed(root, "implementation_packages") { reader, id, name -> ImplementationPackage? in
            let included = reader.stringArray("included") ?? []
            let downgradable = reader.stringArray("downgradable", required: false) ?? []
            let optional = reader.stringArray("optional") ?? []
            for (list, key) in [(included, "included"), (downgradable, "downgradable"), (optional, "optional")] {
                for (index, service) in list.enumerated() where !known.contains(service) {
                    reader.issues.add("\(reader.field(key))[\(index)]", "unknown service \(service)")
                }
            }
            for (index, service) in downgradable.enumerated() where known.contains(service) && !included.contains(service) {
                reader.issues.add("\(reader.field("downgradable"))[\(index)]", "\(service) is not included, so cannot be downgraded")
            }
            for service in Set(included).intersection(optional) {
                reader.issues.add(reader.field("optional"), "\(service) is already included")
            }
            return ImplementationPackage(id: id, name: name, included: included, downgradable: downgradable, optional: optional)
        }
        if let packages, packages.isEmpty { root.issues.add("implementation_packages", "must not be empty") }
        return packages
    }

    private static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    private static func readCalendar(_ calendar: ObjectReader) -> CalendarSettings? {
        let zone = calendar.string("time_zone")
        if let zone, TimeZone(identifier: zone) == nil {
            calendar.issues.add(calendar.field("time_zone"), "unknown time zone \(zone)")
        }
        var hours: [Int: ClosedRange<Int>] = [:]
        if let week = calendar.object("hours") {
            for (offset, day) in weekdays.enumerated() {
                guard let span = week.array(day, required: false) else { continue }
                let field = week.field(day)
                guard span.count == 2, case .string(let open) = span[0], case .string(let close) = span[1],
                      let from = minutes(open), let to = minutes(close), from < to else {
                    calendar.issues.add(field, "must be [\"HH:MM\", \"HH:MM\"] with opening before closing")
                    continue
                }
                hours[offset + 1] = from...to
            }
            week.rejectUnknownFields()
            if hours.isEmpty { calendar.issues.add(calendar.field("hours"), "must open on at least one day") }
        }
        let holidays = calendar.string("holidays")
        if let holidays, holidays != "NO" {
            calendar.issues.add(calendar.field("holidays"), "only \"NO\" (Norwegian public holidays) is supported")
        }
        var closed: [LocalDate] = []
        for (index, item) in (calendar.array("extra_closed_dates") ?? []).enumerated() {
            guard case .string(let text) = item, let date = LocalDate(text) else {
                calendar.issues.add("\(calendar.field("extra_closed_dates"))[\(index)]", "must be a date YYYY-MM-DD")
                continue
            }
            closed.append(date)
        }
        guard let zone, let holidays else { return nil }
        return CalendarSettings(timeZone: zone, hours: hours, holidays: holidays, extraClosedDates: closed)
    }

    /// "HH:MM" to minutes after midnight; "24:00" allowed as a closing time.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...59).contains(minute),
              (0...23).contains(hour) || (hour == 24 && minute == 0) else { return nil }
        return hour * 60 + minute
    }
}

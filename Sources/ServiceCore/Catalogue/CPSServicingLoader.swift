import Foundation
import ServiceJSON

extension CatalogueLoader {
    /// `cps.servicing`: turnaround days per level, the standard, the video minimum, the
    /// in-service limit, closing time, discount, countries' calendars, Canon's centres.
    static func readServicing(_ reader: ObjectReader) -> CPSServicing? {
        let days = marked(reader, "fast_track_working_days") { object -> [CPSLevel: Int]? in
            guard let table = object.object("value") else { return nil }
            var days: [CPSLevel: Int] = [:]
            for level in [CPSLevel.silver, .gold, .platinum, .corporate] { days[level] = table.int(level.rawValue, range: 1...60) }
            table.rejectUnknownFields()
            return days.count == 4 ? days : nil
        }
        let standard = markedInt(reader, "standard_working_days", 1...60)
        let video = markedInt(reader, "video_minimum_working_days", 1...60)
        let limit = markedInt(reader, "max_products_in_service", 1...100)
        let loanOver = markedInt(reader, "backup_loan_when_video_target_over_days", 1...60)
        let loanLevels = marked(reader, "backup_loan_levels") { object -> Set<CPSLevel>? in
            guard let names = object.stringArray("value", maxCount: 5) else { return nil }
            let levels = names.compactMap(CPSLevel.init(rawValue:))
            if levels.count != names.count { object.issues.add(object.field("value"), "must list levels: red, silver, gold, platinum, corporate") }
            return Set(levels)
        }
        let closing = marked(reader, "closing_time") { object -> Int? in
            guard let text = object.string("value", maxLength: 5) else { return nil }
            guard let minutes = minutes(text), minutes < 24 * 60 else { object.issues.add(object.field("value"), "must be HH:MM"); return nil }
            return minutes
        }
        let discount = markedInt(reader, "maintenance_discount_percent", 0...100)
        let countries = marked(reader, "countries") { readCountries($0) }
        let centres = marked(reader, "service_centres") { readCentres($0, countries: Set(countries?.keys.map { $0 } ?? [])) }
        reader.rejectUnknownFields()
        guard let days, let standard, let video, let limit, let loanOver, let loanLevels, let closing, let discount, let countries,
              let centres else { return nil }
        let rules = TurnaroundRules(fastTrackDays: days, standardDays: standard, videoMinimumDays: video, maxInService: limit,
                                    loanWhenVideoTargetOver: loanOver, loanLevels: loanLevels)
        return CPSServicing(turnaround: rules, closingMinutes: closing, maintenanceDiscountPercent: discount, countries: countries, centres: centres)
    }

    private static func readCountries(_ object: ObjectReader) -> [String: (timeZone: TimeZone, closedDates: Set<LocalDate>)]? {
        guard let items = object.array("value", maxCount: 300) else { return nil }
        var countries: [String: (timeZone: TimeZone, closedDates: Set<LocalDate>)] = [:]
        for (index, item) in items.enumerated() {
            guard let country = ObjectReader(item, path: "\(object.field("value"))[\(index)]", issues: object.issues) else { continue }
            let code = country.string("code", maxLength: 2)
            if let code, !CountryCode.isWellFormed(code) { country.issues.add(country.field("code"), "must be an ISO 3166 alpha-2 code") }
            let zoneName = country.string("time_zone")
            let zone = zoneName.flatMap(TimeZone.init(identifier:))
            if zoneName != nil && zone == nil { country.issues.add(country.field("time_zone"), "unknown time zone \(zoneName!)") }
            var closed = Set<LocalDate>()
            for (position, value) in (country.array("closed_dates", maxCount: 1_000) ?? []).enumerated() {
                guard case .string(let text) = value, let date = LocalDate(text) else {
                    country.issues.add("\(country.field("closed_dates"))[\(position)]", "must be a date YYYY-MM-DD")
                    continue
                }
                closed.insert(date)
            }
            _ = country.value("note", required: false)
            country.rejectUnknownFields()
            guard let code, let zone else { continue }
            if countries.updateValue((zone, closed), forKey: code) != nil { country.issues.add(country.field("code"), "duplicates country \(code)") }
        }
        return countries
    }

    private static func readCentres(_ object: ObjectReader, countries: Set<String>) -> [ServiceCentre]? {
        guard let items = object.array("value", maxCount: 1_000) else { return nil }
        var centres: [ServiceCentre] = []
        for (index, item) in items.enumerated() {
            guard let centre = ObjectReader(item, path: "\(object.field("value"))[\(index)]", issues: object.issues) else { continue }
            let id = centre.string("id", maxLength: 64)
            let name = centre.string("name")
            let country = centre.string("country", maxLength: 2)
            let kind = centre.choice("kind", ServiceCentre.Kind.self)
            centre.rejectUnknownFields()
            if let country, !countries.contains(country) { centre.issues.add(centre.field("country"), "has no working-day calendar in countries") }
            if kind == .partner { centre.issues.add(centre.field("kind"), "partners are run by a dealer: create them through the API") }
            if let id, centres.contains(where: { $0.id == id }) { centre.issues.add(centre.field("id"), "duplicates another centre's id \(id)") }
            guard let id, let name, let country, let kind else { continue }
            centres.append(ServiceCentre(id: id, name: name, country: country, kind: kind))
        }
        return centres
    }
}

import Foundation
import ServiceJSON
import Testing
@testable import ServiceCore

@Suite struct CatalogueTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Resources/packages.json").path

    static func shipped() throws -> JSONValue {
        try JSONParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func shippedCatalogueLoadsWithTheDomainValues() throws {
        let catalogue = try CatalogueLoader.load(path: Self.path)
        #expect(catalogue.currency == "NOK")
        #expect(catalogue.consumableAlertThresholdPercent == 15)
        #expect(catalogue.tiers[.standard]?.response == .nextBusinessDay)
        #expect(catalogue.tiers[.plus]?.response == .businessHours(6))
        #expect(catalogue.tiers[.premium]?.response == .businessHours(4))
        #expect(catalogue.tiers[.premium]?.colourCapped == false && catalogue.tiers[.premium]?.tonerCapped == false)
        #expect(catalogue.tiers[.standard]?.colourCapped == true)
        let caps = Dictionary(uniqueKeysWithValues: catalogue.modelFamilies.map { ($0.id, $0.colourCapPerMonth) })
        #expect(caps == ["irc-13x5": 1000, "iradv-c25x-c35x-c351": 2000, "iradv-c3xxx": 5000, "iradv-c5x35-40": 5000, "iradv-c5x50-55-60": 10000])
        let models = ["imageRUNNER C1325iF", "imageRUNNER C1335iF", "imageRUNNER ADVANCE C256i", "imageRUNNER ADVANCE C356i",
                      "imageRUNNER ADVANCE C351iF", "imageRUNNER ADVANCE C3520i", "imageRUNNER ADVANCE C3525i", "imageRUNNER ADVANCE C3530i",
                      "imageRUNNER ADVANCE C5535i", "imageRUNNER ADVANCE C5540i", "imageRUNNER ADVANCE C5550i", "imageRUNNER ADVANCE C5560i"]
        for model in models {
            guard case .known(_, let name) = catalogue.resolve(model: model) else { Issue.record("\(model)"); continue }
            #expect(name == model)
        }
        #expect(catalogue.package(id: "advanced")?.optional.contains("connectivity") == true)
        #expect(catalogue.package(id: "basic")?.included == ["pre_install", "freight_delivery", "security_activation"])
        #expect(catalogue.package(id: "standard")?.included.contains("plug_and_play") == true)
        // "Sikkerhetsaktivering: Kan nedgraderes" in all three packages: included, downgradable, never an option.
        for package in catalogue.implementationPackages {
            #expect(package.included.contains("security_activation"), "\(package.id)")
            #expect(package.downgradable == ["security_activation"], "\(package.id)")
            #expect(!package.optional.contains("security_activation"), "\(package.id)")
        }
        #expect(catalogue.calendar.timeZone == "Europe/Oslo")
        #expect(catalogue.calendar.hours[1] == 480...960)
        #expect(catalogue.calendar.hours[6] == nil)
    }

    /// Replaces the value at a path like ["model_families", 1, "colour_cap_per_month"].
    static func editing(_ value: JSONValue, _ path: [any Sendable], _ replacement: JSONValue?) -> JSONValue {
        guard let head = path.first else { return replacement ?? .null }
        let rest = Array(path.dropFirst())
        switch (value, head) {
        case (.object(var members), let key as String):
            if let index = members.firstIndex(where: { $0.0 == key }) {
                if rest.isEmpty && replacement == nil { members.remove(at: index) } else { members[index].1 = editing(members[index].1, rest, replacement) }
            }
            return .object(members)
        case (.array(var items), let index as Int):
            items[index] = editing(items[index], rest, replacement)
            return .array(items)
        default:
            return value
        }
    }

    static let breakages: [(path: [any Sendable], replacement: JSONValue?, field: String)] = [
        (["currency"], .string("kroner"), "currency"),
        (["hourly_rate_minor"], .int(-1), "hourly_rate_minor"),
        (["hourly_rate_minor"], .double(950.5), "hourly_rate_minor"),
        (["consumable_alert_threshold_percent"], .int(150), "consumable_alert_threshold_percent"),
        (["tiers", "plus"], nil, "tiers.plus"),
        (["tiers", "plus", "response", "hours"], .int(0), "tiers.plus.response.hours"),
        (["tiers", "standard", "response", "kind"], .string("soon"), "tiers.standard.response.kind"),
        (["tiers", "premium", "colour_capped"], .string("no"), "tiers.premium.colour_capped"),
        (["model_families", 1, "colour_cap_per_month"], .string("2000"), "model_families[1].colour_cap_per_month"),
        (["model_families", 2, "cartridges", "cyan", "yield_pages"], .int(0), "model_families[2].cartridges.cyan.yield_pages"),
        (["model_families", 0, "cartridges", "black"], nil, "model_families[0].cartridges.black"),
        (["model_families", 3, "models"], .array([]), "model_families[3].models"),
        (["model_families", 4, "id"], .string("irc-13x5"), "model_families[4].id"),
        (["model_families", 4, "models"], .array([.string("imageRUNNER C1325iF")]), "model_families[4].models[0]"),
        // The same model once case, spacing and brand words are ignored: in another family, then in the same one.
        (["model_families", 4, "models"], .array([.string("iR-ADV C3826i")]), "model_families[4].models[0]"),
        (["model_families", 4, "models"], .array([.string("IR ADV C5550i"), .string("imagerunner advance c5550 i")]), "model_families[4].models[1]"),
        (["model_families", 4, "models"], .array([.string("imageRUNNER ADVANCE DX")]), "model_families[4].models[0]"),
        (["implementation_packages", 0, "optional"], .array([.string("teleportation")]), "implementation_packages[0].optional[0]"),
        (["services", 0, "performed"], .string("whenever"), "services[0].performed"),
        // A deadline after delivery on a service done before it.
        (["services", 3, "performed"], .string("before_delivery"), "services[3].working_days_after_delivery"),
        (["services", 3, "working_days_after_delivery"], .int(0), "services[3].working_days_after_delivery"),
        (["services", 3, "time", "billed_in_minutes"], .int(0), "services[3].time.billed_in_minutes"),
        (["services", 5, "time", "max_people"], .string("six"), "services[5].time.max_people"),
        // Only an included service can be downgraded.
        (["implementation_packages", 0, "downgradable"], .array([.string("security_activation"), .string("user_training")]), "implementation_packages[0].downgradable[1]"),
        (["implementation_packages", 1, "downgradable"], .array([.string("teleportation")]), "implementation_packages[1].downgradable[0]"),
        (["implementation_packages", 2, "downgradable"], .string("security_activation"), "implementation_packages[2].downgradable"),
        (["calendar", "time_zone"], .string("Europe/Atlantis"), "calendar.time_zone"),
        (["calendar", "hours", "monday"], .array([.string("16:00"), .string("08:00")]), "calendar.hours.monday"),
        (["calendar", "holidays"], .string("SE"), "calendar.holidays"),
        (["calendar", "extra_closed_dates"], .array([.string("2026-13-01")]), "calendar.extra_closed_dates[0]"),
    ]

    @Test(arguments: 0..<breakages.count)
    func invalidValuesNameTheirJSONPath(_ index: Int) throws {
        let breakage = Self.breakages[index]
        try Self.expectRefused(breakage.path, breakage.replacement, naming: breakage.field)
    }

    /// The shipped catalogue with one value replaced (or removed) is refused with an issue at `field`.
    static func expectRefused(_ path: [any Sendable], _ replacement: JSONValue?, naming field: String) throws {
        let document = editing(try shipped(), path, replacement)
        do {
            _ = try CatalogueLoader.parse(document)
            Issue.record("accepted a catalogue with a bad \(field)")
        } catch {
            #expect(error.issues.map(\.field).contains(field), "\(error.issues)")
        }
    }

    @Test func allProblemsAreReportedAtOnce() throws {
        var document = Self.editing(try Self.shipped(), ["currency"], .int(1))
        document = Self.editing(document, ["model_families", 0, "rated_monthly_duty"], .int(0))
        do {
            _ = try CatalogueLoader.parse(document)
            Issue.record("accepted")
        } catch {
            #expect(Set(error.issues.map(\.field)) == ["currency", "model_families[0].rated_monthly_duty"])
        }
    }

    @Test func unreadableOrMalformedFilesAreReported() throws {
        #expect(throws: CatalogueLoader.Failure.self) { try CatalogueLoader.load(path: "/nonexistent/packages.json") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalogue-\(UUID().uuidString).json")
        try Data("{\"currency\": ".utf8).write(to: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try CatalogueLoader.load(path: directory.path)
            Issue.record("accepted malformed JSON")
        } catch {
            #expect(error.description.contains(directory.path))
            #expect(error.description.contains("invalid JSON"))
        }
    }
}

import ServiceJSON
import Testing
@testable import ServiceCore

/// The catalogue's `cps` section: the shipped figures, and every bad value
/// named by its JSON path.
@Suite struct CPSCatalogueTests {
    @Test func shippedSectionHasTheDomainFiguresAndAtLeast60Products() throws {
        let cps = try CatalogueLoader.load(path: CatalogueTests.path).cps
        #expect(cps.points == PointsRules(supersededPercent: 50, floorPercent: 10))
        #expect(cps.levels == LevelThresholds(silver: 100, gold: 500, platinum: 1500))
        let subscription = cps.subscription
        #expect([subscription.invitedFrom, subscription.silverFrom, subscription.goldFrom, subscription.anyLevelFrom,
                  subscription.corporateAbove] == [500, 500, 1000, 2000, 2500])
        #expect(subscription.dueAfterDays == 30 && subscription.termMonths == 12)
        #expect(cps.products.count >= 60)
        let categories = Set(cps.products.map(\.category))
        #expect(categories == Set(CPSProduct.Category.allCases))
        #expect(cps.products.filter(\.video).allSatisfy { [.cinemaEOS, .professionalCamcorder].contains($0.category) })
        #expect(cps.participatingCountries.contains("NO") && cps.participatingCountries.contains("ZA"))
        #expect(!cps.participatingCountries.contains("US") && !cps.participatingCountries.contains("JP"))
        #expect(cps.products(matching: "rf 70-200").map(\.id) == ["rf-70-200mm-f2-8l-is-usm", "rf-70-200mm-f2-8l-is-usm-z"])
    }

    static let breakages: [(path: [any Sendable], replacement: JSONValue?, field: String)] = [
        (["cps", "points", "floor_percent", "value"], .int(101), "cps.points.floor_percent.value"),
        (["cps", "points", "floor_percent", "value"], .int(60), "cps.points.floor_percent"),
        (["cps", "points", "superseded_percent", "assumption"], nil, "cps.points.superseded_percent"),
        (["cps", "levels", "gold", "value"], .int(100), "cps.levels.gold"),
        (["cps", "levels", "platinum"], nil, "cps.levels.platinum"),
        (["cps", "subscription", "gold_from", "value"], .int(400), "cps.subscription.gold_from"),
        (["cps", "subscription", "currency", "value"], .string("euro"), "cps.subscription.currency.value"),
        (["cps", "subscription", "annual_price_minor", "value", "corporate"], .int(-1), "cps.subscription.annual_price_minor.value.corporate"),
        (["cps", "subscription", "due_after_days", "value"], .string("30"), "cps.subscription.due_after_days.value"),
        (["cps", "participating_countries", "value"], .array([.string("Norway")]), "cps.participating_countries.value[0]"),
        (["cps", "products", "items", 0, "base_points"], .int(0), "cps.products.items[0].base_points"),
        (["cps", "products", "items", 1, "id"], .string("eos-r1"), "cps.products.items[1].id"),
        (["cps", "products", "items", 2, "category"], .string("toaster"), "cps.products.items[2].category"),
        (["cps", "products", "items", 3, "superseded_on"], .string("2001-01-01"), "cps.products.items[3].superseded_on"),
        (["cps", "products", "items", 4, "video"], .bool(true), "cps.products.items[4].video"),
        (["cps", "products", "items", 5, "released_on"], .string("2024-02-30"), "cps.products.items[5].released_on"),
        (["cps", "products", "items"], .array([]), "cps.products.items"),
        (["cps", "points", "typo"], nil, "cps.points"),
        (["cps", "servicing", "fast_track_working_days", "value", "gold"], .int(0), "cps.servicing.fast_track_working_days.value.gold"),
        (["cps", "servicing", "closing_time", "value"], .string("25:00"), "cps.servicing.closing_time.value"),
        (["cps", "servicing", "countries", "value", 1, "time_zone"], .string("Africa/Atlantis"), "cps.servicing.countries.value[1].time_zone"),
        (["cps", "servicing", "countries", "value", 2, "closed_dates"], .array([.string("2026-02-30")]),
         "cps.servicing.countries.value[2].closed_dates[0]"),
        (["cps", "servicing", "service_centres", "value", 0, "country"], .string("US"), "cps.servicing.service_centres.value[0].country"),
        (["cps", "servicing", "service_centres", "value", 1, "kind"], .string("partner"), "cps.servicing.service_centres.value[1].kind"),
    ]

    @Test(arguments: 0..<breakages.count)
    func invalidValuesNameTheirJSONPath(_ index: Int) throws {
        let breakage = Self.breakages[index]
        var document = CatalogueTests.editing(try CatalogueTests.shipped(), breakage.path, breakage.replacement)
        if breakage.path.last as? String == "typo" {
            // an unknown member is an error, not ignored
            guard case .object(var root) = document, let at = root.firstIndex(where: { $0.0 == "cps" }),
                  case .object(var cps) = root[at].1, let p = cps.firstIndex(where: { $0.0 == "points" }),
                  case .object(var points) = cps[p].1 else { Issue.record("shape"); return }
            points.append(("typo", .int(1)))
            cps[p].1 = .object(points)
            root[at].1 = .object(cps)
            document = .object(root)
        }
        do {
            _ = try CatalogueLoader.parse(document)
            Issue.record("accepted a catalogue with a bad \(breakage.field)")
        } catch {
            #expect(error.issues.map(\.field).contains { $0 == breakage.field || $0 == breakage.field + ".typo" }, "\(error.issues)")
        }
    }
}

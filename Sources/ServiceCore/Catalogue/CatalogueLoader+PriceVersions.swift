import ServiceJSON

extension CatalogueLoader {
    /// The base version from the catalogue's own figures, then each entry of
    /// the optional `price_versions` applied on top of the one before:
    ///
    ///     "price_versions": [{"id": "2026-07", "effective_from": "2026-07-01",
    ///        "hourly_rate_minor": 99000,
    ///        "model_families": {"iradv-c3xxx": {"colour_click_price_minor": 69,
    ///                                           "cartridges": {"black": {"price_minor": 145000}}}},
    ///        "add_ons": {"external_lift": {"price_per_hour_minor": 160000}}}]
    static func readPriceList(_ root: ObjectReader, hourlyRate: Int?, families: [ModelFamily]?, addOns: [AddOn]?) -> PriceList? {
        let items = root.array("price_versions", required: false) ?? []
        guard let hourlyRate, let families, let addOns else { return nil }
        var terms = PriceTerms(
            hourlyRateMinor: hourlyRate,
            families: Dictionary(families.map { ($0.id, FamilyPrices($0)) }, uniquingKeysWith: { first, _ in first }),
            addOns: Dictionary(addOns.map { ($0.id, $0.pricePerHourMinor) }, uniquingKeysWith: { first, _ in first })
        )
        var versions = [PriceVersion(id: PriceList.baseID, effectiveFrom: nil, terms: terms)]
        var ids: Set<String> = [PriceList.baseID]
        var previous: LocalDate?
        for (index, item) in items.enumerated() {
            guard let version = ObjectReader(item, path: "price_versions[\(index)]", issues: root.issues) else { continue }
            let id = version.string("id")
            if let id, !ids.insert(id).inserted {
                version.issues.add(version.field("id"), id == PriceList.baseID
                    ? "base names the catalogue's own figures; choose another id" : "duplicates another version's id \(id)")
            }
            let from = version.date("effective_from")
            if let from, let previous, from <= previous {
                version.issues.add(version.field("effective_from"), "must be after the previous version's \(previous) (versions in date order)")
            }
            if let from, from < LocalDate(year: 2000, month: 1, day: 1)! {
                version.issues.add(version.field("effective_from"), "must not be before 2000-01-01")
            }
            let before = terms
            if let rate = version.int("hourly_rate_minor", required: false, range: 0...Int.max) { terms.hourlyRateMinor = rate }
            if let overrides = version.object("model_families", required: false) {
                readFamilyOverrides(overrides, into: &terms.families)
            }
            if let overrides = version.object("add_ons", required: false) {
                for key in overrides.keys {
                    guard terms.addOns[key] != nil else {
                        overrides.issues.add(overrides.field(key), "unknown add-on \(key)")
                        _ = overrides.value(key, required: false)
                        continue
                    }
                    guard let addOn = overrides.object(key) else { continue }
                    if let price = addOn.int("price_per_hour_minor", range: 0...Int.max) { terms.addOns[key] = price }
                    addOn.rejectUnknownFields()
                }
            }
            version.rejectUnknownFields()
            if terms == before { version.issues.add(version.field("effective_from"), "changes no price, cap or rate") }
            if let from { previous = from }
            if let id, let from { versions.append(PriceVersion(id: id, effectiveFrom: from, terms: terms)) }
        }
        return PriceList(versions: versions)
    }

    /// `{"<family id>": {"colour_cap_per_month", "colour_click_price_minor",
    /// "banner_click_price_minor", "cartridges": {"<channel>": {"price_minor"}}}}`, each optional.
    private static func readFamilyOverrides(_ overrides: ObjectReader, into families: inout [String: FamilyPrices]) {
        for key in overrides.keys {
            guard var prices = families[key] else {
                overrides.issues.add(overrides.field(key), "unknown model family \(key)")
                _ = overrides.value(key, required: false)
                continue
            }
            guard let family = overrides.object(key) else { continue }
            if let cap = family.int("colour_cap_per_month", required: false, range: 0...Int.max) { prices.colourCapPerMonth = cap }
            if let price = family.int("colour_click_price_minor", required: false, range: 0...Int.max) { prices.colourClickPriceMinor = price }
            if let price = family.int("banner_click_price_minor", required: false, range: 0...Int.max) { prices.bannerClickPriceMinor = price }
            if let cartridges = family.object("cartridges", required: false) {
                for channel in TonerChannel.allCases {
                    guard let cartridge = cartridges.object(channel.rawValue, required: false) else { continue }
                    if let price = cartridge.int("price_minor", range: 0...Int.max) { prices.cartridgePriceMinor[channel] = price }
                    cartridge.rejectUnknownFields()
                }
                cartridges.rejectUnknownFields()
            }
            family.rejectUnknownFields()
            families[key] = prices
        }
    }
}

import ServiceJSON

/// The catalogue's `cps` section. Every number in it is an object
/// `{"value": ..., "assumption": "why"}` or `{"value": ..., "source": "seed"}`,
/// so the file itself says which figures the seeds fix and which were assumed.
extension CatalogueLoader {
    static func readCPS(_ root: ObjectReader) -> CPSRules? {
        guard let cps = root.object("cps") else { return nil }
        let points = cps.object("points").flatMap(readPoints)
        let levels = cps.object("levels").flatMap(readLevels)
        let subscription = cps.object("subscription").flatMap(readSubscription)
        let countries = marked(cps, "participating_countries") { countryList($0) }
        let products = cps.object("products").flatMap(readProducts)
        let servicing = cps.object("servicing").flatMap(readServicing)
        _ = cps.value("_comment", required: false)
        cps.rejectUnknownFields()
        guard let points, let levels, let subscription, let countries, let products, let servicing else { return nil }
        return CPSRules(points: points, levels: levels, subscription: subscription, participatingCountries: countries, products: products,
                        servicing: servicing)
    }

    /// A marked value: exactly one of `assumption` or `source`, and `value` read by `read`.
    static func marked<T>(_ parent: ObjectReader, _ key: String, _ read: (ObjectReader) -> T?) -> T? {
        guard let object = parent.object(key) else { return nil }
        let assumption = object.string("assumption", required: false, maxLength: 500)
        let source = object.string("source", required: false, maxLength: 500)
        if (assumption == nil) == (source == nil) {
            object.issues.add(object.path, "must say either an assumption or a source, not both")
        }
        let value = read(object)
        object.rejectUnknownFields()
        return value
    }

    static func markedInt(_ parent: ObjectReader, _ key: String, _ range: ClosedRange<Int>) -> Int? {
        marked(parent, key) { $0.int("value", range: range) }
    }

    private static func readPoints(_ reader: ObjectReader) -> PointsRules? {
        let superseded = markedInt(reader, "superseded_percent", 0...100)
        let floor = markedInt(reader, "floor_percent", 0...100)
        reader.rejectUnknownFields()
        guard let superseded, let floor else { return nil }
        if floor > superseded { reader.issues.add(reader.field("floor_percent"), "must not exceed superseded_percent") }
        return PointsRules(supersededPercent: superseded, floorPercent: floor)
    }

    private static func readLevels(_ reader: ObjectReader) -> LevelThresholds? {
        let silver = markedInt(reader, "silver", 1...1_000_000)
        let gold = markedInt(reader, "gold", 1...1_000_000)
        let platinum = markedInt(reader, "platinum", 1...1_000_000)
        reader.rejectUnknownFields()
        guard let silver, let gold, let platinum else { return nil }
        if gold <= silver { reader.issues.add(reader.field("gold"), "must be above silver") }
        if platinum <= gold { reader.issues.add(reader.field("platinum"), "must be above gold") }
        return LevelThresholds(silver: silver, gold: gold, platinum: platinum)
    }

    private static func readSubscription(_ reader: ObjectReader) -> SubscriptionRules? {
        let names = ["invited_from", "silver_from", "gold_from", "any_level_from", "corporate_above"]
        let steps = names.map { markedInt(reader, $0, 0...1_000_000) }
        let currency = marked(reader, "currency") { $0.currencyCode("value") }
        let prices = marked(reader, "annual_price_minor") { object -> [CPSLevel: Int]? in
            guard let table = object.object("value") else { return nil }
            var prices: [CPSLevel: Int] = [:]
            for level in SubscriptionRules.levels { prices[level] = table.int(level.rawValue, range: 0...Int.max) }
            table.rejectUnknownFields()
            return prices.count == SubscriptionRules.levels.count ? prices : nil
        }
        let fee = markedInt(reader, "bank_transfer_fee_minor", 0...Int.max)
        let due = markedInt(reader, "due_after_days", 0...365)
        let term = markedInt(reader, "term_months", 1...60)
        reader.rejectUnknownFields()
        for index in 1..<steps.count {
            if let low = steps[index - 1], let high = steps[index], high < low {
                reader.issues.add(reader.field(names[index]), "must not be below \(names[index - 1])")
            }
        }
        let found = steps.compactMap { $0 }
        guard found.count == names.count, let currency, let prices, let fee, let due, let term else { return nil }
        return SubscriptionRules(invitedFrom: found[0], silverFrom: found[1], goldFrom: found[2], anyLevelFrom: found[3],
                                 corporateAbove: found[4], currency: currency, annualPriceMinor: prices,
                                 bankTransferFeeMinor: fee, dueAfterDays: due, termMonths: term)
    }

    private static func countryList(_ reader: ObjectReader) -> Set<String>? {
        guard let codes = reader.stringArray("value", maxCount: 300) else { return nil }
        for (index, code) in codes.enumerated() where !CountryCode.isWellFormed(code) {
            reader.issues.add("\(reader.field("value"))[\(index)]", "must be an ISO 3166 alpha-2 code such as NO")
        }
        if codes.isEmpty { reader.issues.add(reader.field("value"), "must not be empty") }
        return Set(codes)
    }
}

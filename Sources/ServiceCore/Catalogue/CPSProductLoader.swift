import ServiceJSON

extension CatalogueLoader {
    /// The minimum the product list must hold: the issue asks for at least 60 real products.
    static let minimumCPSProducts = 60

    /// `products: {assumption, items: [...]}`: the points and dates of each product are assumptions.
    static func readProducts(_ reader: ObjectReader) -> [CPSProduct]? {
        let assumption = reader.string("assumption", maxLength: 500)
        let items = reader.array("items", maxCount: 10_000)
        reader.rejectUnknownFields()
        guard let items, assumption != nil else { return nil }
        if items.count < minimumCPSProducts {
            reader.issues.add(reader.field("items"), "must list at least \(minimumCPSProducts) products")
        }
        var ids = Set<String>()
        var products: [CPSProduct] = []
        for (index, item) in items.enumerated() {
            guard let object = ObjectReader(item, path: "\(reader.field("items"))[\(index)]", issues: reader.issues),
                  let product = readProduct(object) else { continue }
            if !ids.insert(product.id).inserted { object.issues.add(object.field("id"), "duplicates another product's id \(product.id)") }
            products.append(product)
        }
        return products
    }

    private static func readProduct(_ object: ObjectReader) -> CPSProduct? {
        let id = object.string("id", maxLength: 64)
        if let id, !id.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "-") }) {
            object.issues.add(object.field("id"), "may contain only a-z, 0-9 and '-'")
        }
        let name = object.string("name")
        let category = object.choice("category", CPSProduct.Category.self)
        let video = object.bool("video")
        let points = object.int("base_points", range: 1...100_000)
        let fastTrack = object.bool("fast_track_eligible")
        let released = object.date("released_on", required: false)
        let superseded = object.date("superseded_on", required: false)
        let serviceEnds = object.date("service_ends_on", required: false)
        object.rejectUnknownFields()
        if let category, let video, video != [.cinemaEOS, .professionalCamcorder].contains(category) {
            object.issues.add(object.field("video"), "must be true exactly for cinema_eos and professional_camcorder")
        }
        let dates = [("released_on", released), ("superseded_on", superseded), ("service_ends_on", serviceEnds)]
        for (index, (key, date)) in dates.enumerated() {
            guard let date else { continue }
            if let (earlierKey, earlier) = dates[..<index].last(where: { $0.1 != nil }), let earlier, date < earlier {
                object.issues.add(object.field(key), "must not be before \(earlierKey)")
            }
        }
        guard let id, let name, let category, let video, let points, let fastTrack else { return nil }
        return CPSProduct(id: id, name: name, category: category, video: video, basePoints: points, fastTrackEligible: fastTrack,
                          releasedOn: released, supersededOn: superseded, serviceEndsOn: serviceEnds)
    }
}

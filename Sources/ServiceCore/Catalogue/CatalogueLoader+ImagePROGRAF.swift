import ServiceJSON

/// The `imageprograf` section. Unknown members are errors here (a
/// misspelt assumption must not fall back silently), `_comment` aside.
extension CatalogueLoader {
    static func readImagePROGRAF(_ section: ObjectReader) -> IPFProgramme? {
        _ = section.string("_comment", required: false, maxLength: 4_000)
        let currency = readCurrency(section)
        let schedules = readNamed(section, "compensation_schedules", readSchedule)
        let lines = readProductLines(section, schedules: schedules ?? [])
        let authorisation = section.object("authorisation").flatMap { reader -> AuthorisationRequirements? in
            let months = reader.int("certification_valid_months", range: 1...120)
            let minimum = reader.int("minimum_certified_technicians_per_line", range: 1...100)
            reader.rejectUnknownFields()
            guard let months, let minimum else { return nil }
            return AuthorisationRequirements(certificationValidMonths: months, minimumCertifiedTechniciansPerLine: minimum)
        }
        let eCarePak = section.object("ecarepak").flatMap(readECarePak)
        let claims = section.object("claims").flatMap { reader -> ClaimTerms? in
            let deadline = reader.int("submission_deadline_days", range: 0...3_650)
            let labour = reader.int("max_labour_minutes", range: 1...100_000)
            reader.rejectUnknownFields()
            guard let deadline, let labour else { return nil }
            return ClaimTerms(submissionDeadlineDays: deadline, maxLabourMinutes: labour)
        }
        let support = section.object("support").flatMap { reader -> SupportTerms? in
            let steps = reader.int("minimum_troubleshooting_steps", range: 1...100)
            let response = reader.object("escalated_response").flatMap(readResponse)
            reader.rejectUnknownFields()
            guard let steps, let response else { return nil }
            return SupportTerms(minimumTroubleshootingSteps: steps, escalatedResponse: response)
        }
        section.rejectUnknownFields()
        guard let currency, let schedules, let lines, let authorisation, let eCarePak, let claims, let support else { return nil }
        return IPFProgramme(currency: currency, productLines: lines, schedules: schedules, authorisation: authorisation,
                            eCarePak: eCarePak, claims: claims, support: support)
    }

    private static func readSchedule(_ reader: ObjectReader, _ id: String, _ name: String) -> CompensationSchedule? {
        let unit = reader.int("labour_unit_minutes", range: 1...1_440)
        let rate = reader.int("labour_rate_minor_per_unit", range: 0...100_000_000)
        let cap = reader.int("labour_cap_units_per_call", range: 1...10_000)
        let markup = reader.int("parts_handling_markup_basis_points", range: 0...10_000)
        reader.rejectUnknownFields()
        guard let unit, let rate, let cap, let markup else { return nil }
        return CompensationSchedule(id: id, name: name, labourUnitMinutes: unit, labourRateMinorPerUnit: rate,
                                    labourCapUnitsPerCall: cap, partsMarkupBasisPoints: markup)
    }

    /// Every product line of the seed exactly once, each model in one line,
    /// and each line on the schedule of the line whose compensation process
    /// the seed says it follows.
    private static func readProductLines(_ section: ObjectReader, schedules: [CompensationSchedule]) -> [ProductLine]? {
        guard let items = section.array("product_lines") else { return nil }
        let issues = section.issues
        var lines: [ProductLine] = []
        var models: [String: String] = [:]
        for (index, item) in items.enumerated() {
            guard let reader = ObjectReader(item, path: "\(section.field("product_lines"))[\(index)]", issues: issues) else { continue }
            let id = reader.choice("id", ProductLineID.self)
            let name = reader.string("name")
            let names = reader.stringArray("models")
            let months = reader.int("warranty_months", range: 1...120)
            let schedule = reader.string("compensation_schedule")
            reader.rejectUnknownFields()
            if let id, lines.contains(where: { $0.id == id }) { issues.add(reader.field("id"), "duplicates product line \(id.rawValue)") }
            if let names, names.isEmpty { issues.add(reader.field("models"), "must not be empty") }
            for (position, model) in (names ?? []).enumerated() {
                if let other = models.updateValue(id?.rawValue ?? reader.path, forKey: model.lowercased()) {
                    issues.add("\(reader.field("models"))[\(position)]", "\(model) is already in product line \(other)")
                }
            }
            if let schedule, !schedules.contains(where: { $0.id == schedule }) {
                issues.add(reader.field("compensation_schedule"), "unknown compensation schedule \(schedule)")
            }
            if let id, let name, let names, let months, let schedule {
                lines.append(ProductLine(id: id, name: name, models: names, warrantyMonths: months, scheduleID: schedule))
            }
        }
        for id in ProductLineID.allCases where !lines.contains(where: { $0.id == id }) && !issues.list.contains(where: { $0.field.hasPrefix(section.field("product_lines")) }) {
            issues.add(section.field("product_lines"), "must include product line \(id.rawValue)")
        }
        for (index, line) in lines.enumerated() {
            guard let process = lines.first(where: { $0.id == line.id.compensationProcess }), process.scheduleID != line.scheduleID else { continue }
            issues.add("\(section.field("product_lines"))[\(index)].compensation_schedule",
                       "\(line.id.rawValue) follows the compensation process of \(process.id.rawValue): must be \(process.scheduleID)")
        }
        return lines
    }

    private static func readECarePak(_ reader: ObjectReader) -> ECarePakTerms? {
        var terms: [Int] = []
        let items = reader.array("terms_months")
        if let items, items.isEmpty { reader.issues.add(reader.field("terms_months"), "must not be empty") }
        for (index, item) in (items ?? []).enumerated() {
            guard case .int(let months) = item, (1...120).contains(months), !terms.contains(months) else {
                reader.issues.add("\(reader.field("terms_months"))[\(index)]", "must be a whole number of months between 1 and 120, each once")
                continue
            }
            terms.append(months)
        }
        let grace = reader.int("purchase_grace_days_after_coverage", range: 0...3_650)
        reader.rejectUnknownFields()
        guard let grace, let items, terms.count == items.count, !terms.isEmpty else { return nil }
        return ECarePakTerms(termsMonths: terms, purchaseGraceDays: grace)
    }
}

import ServiceCore
import ServiceHTTP
import ServiceJSON

struct ContractRoutes {
    let api: API

    struct Draft {
        let customerID: String
        let serials: [String]
        let tier: TierID
        let startsOn: LocalDate
        let endsOn: LocalDate
        let amountMinor: Int
        let currency: String
        let package: String
        let downgrades: [String]
        let options: [String]
        let bannerAgreed: Bool
        let bannerPrice: Int?
        let billingFrequency: BillingFrequency

        func terms(for customer: Customer) -> ContractStore.New {
            ContractStore.New(
                customer: customer, deviceSerials: serials, tier: tier, startsOn: startsOn, endsOn: endsOn,
                prepaidAmountMinor: amountMinor, prepaidCurrency: currency, implementationPackage: package,
                downgrades: downgrades, options: options, bannerAgreed: bannerAgreed, bannerClickPriceMinor: bannerPrice,
                billingFrequency: billingFrequency
            )
        }
    }

    func register(on group: inout RouteGroup) {
        group.post("/contracts") { request in
            _ = try request.principal(.admin, .dealer)
            let draft = try request.decode(readDraft)
            return try api.mfpWrite(request) { connection, principal in
                let contract = try ContractIntake.create(connection, customerID: draft.customerID, scope: principal.dealerScope, draft.terms)
                try api.audit(connection, principal, "contract.create", "contract", contract.id, dealer: contract.dealerID, [
                    ("customer_id", .string(contract.customerID)), ("tier", .string(draft.tier.rawValue)),
                    ("device_serials", .array(draft.serials.map(JSONValue.string))),
                    ("downgrades", .array(draft.downgrades.map(JSONValue.string))),
                ])
                try api.publish(connection, .contractCreated, dealer: contract.dealerID, id: contract.id, contract.json)
                return APIResponse.json(.created, contract.json, version: contract.version, location: "/v1/contracts/\(contract.id)")
            }
        }
        group.get("/contracts/{id}", api.show(
            "contract", parameter: "id", find: { try ContractStore.find($0, id: $1, scope: $2) }, json: { $0.json }
        ))
        group.get("/contracts?customer_id&device_serial&active_on&limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            let filter = ContractStore.Filter(
                customerID: request.query["customer_id"], deviceSerial: try request.querySerial("device_serial"),
                activeOn: try request.queryDate("active_on")
            )
            return APIResponse.page(try api.read { try ContractStore.list($0, scope: principal.dealerScope, filter: filter, page: page) })
        }
        group.post("/contracts/{id}/terminate") { request in
            _ = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            let lastDay = try request.decode { $0.date("effective_on") }
            return try api.mfpWrite(request) { connection, principal in
                let updated = try ContractTermination.terminate(connection, id: id, scope: principal.dealerScope, lastDay: lastDay)
                try api.audit(connection, principal, "contract.terminate", "contract", id, dealer: updated.dealerID,
                              [("effective_on", .string(lastDay.description))])
                try api.publish(connection, .contractTerminated, dealer: updated.dealerID, id: id, updated.json)
                return APIResponse.json(.ok, updated.json, version: updated.version)
            }
        }
        group.post("/contracts/{id}/amendments") { request in
            _ = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            let (effectiveOn, tier) = try request.decode { body -> (LocalDate, TierID)? in
                let date = body.date("effective_on")
                let tier = body.choice("tier", TierID.self)
                guard let date, let tier else { return nil }
                return (date, tier)
            }
            return try api.mfpWrite(request) { connection, principal in
                let updated = try ContractAmendments.amend(connection, id: id, scope: principal.dealerScope, effectiveOn: effectiveOn, tier: tier)
                try api.audit(connection, principal, "contract.amend", "contract", id, dealer: updated.dealerID,
                              [("effective_on", .string(effectiveOn.description)), ("tier", .string(tier.rawValue))])
                try api.publish(connection, .contractAmended, dealer: updated.dealerID, id: id, updated.json)
                return APIResponse.json(.created, updated.json, version: updated.version)
            }
        }
    }

    private func readDraft(_ body: ObjectReader) -> Draft? {
        let catalogue = api.catalogue
        let customerID = body.string("customer_id")
        var serials = body.deviceSerials("device_serials", maxCount: 500)
        if let list = serials {
            if list.isEmpty { body.issues.add("device_serials", "must name at least one device") }
            if Set(list).count != list.count { body.issues.add("device_serials", "must not repeat a device"); serials = nil }
        }
        let tier = body.choice("tier", TierID.self)
        let startsOn = body.date("starts_on")
        let endsOn = body.date("ends_on")
        if let startsOn, let endsOn, endsOn < startsOn { body.issues.add("ends_on", "must not be before starts_on") }
        var amount: Int?
        var currency: String?
        if let prepaid = body.object("prepaid") {
            amount = prepaid.int("amount_minor", range: 0...Int.max)
            currency = prepaid.string("currency")
            if let code = currency, code != catalogue.currency {
                body.issues.add(prepaid.field("currency"), "must be \(catalogue.currency)")
            }
            prepaid.rejectUnknownFields()
        }
        let packageID = body.string("implementation_package")
        let package = packageID.flatMap(catalogue.package(id:))
        if let packageID, package == nil {
            body.issues.add("implementation_package", "unknown package \(packageID); one of \(catalogue.implementationPackages.map(\.id).joined(separator: ", "))")
        }
        let options = body.stringArray("options", required: false) ?? []
        if let package {
            for (index, option) in options.enumerated() where !package.optional.contains(option) {
                body.issues.add("options[\(index)]", "\(option) is not an option of the \(package.id) package (options: \(package.optional.joined(separator: ", ")))")
            }
        }
        if Set(options).count != options.count { body.issues.add("options", "must not repeat an option") }
        let downgrades = body.stringArray("downgrades", required: false) ?? []
        if let package {
            for (index, service) in downgrades.enumerated() where !package.downgradable.contains(service) {
                body.issues.add("downgrades[\(index)]", "\(service) is not a downgradable service of the \(package.id) package (downgradable: \(package.downgradable.joined(separator: ", ")))")
            }
        }
        if Set(downgrades).count != downgrades.count { body.issues.add("downgrades", "must not repeat a service") }
        let bannerAgreed = body.bool("banner_agreed")
        let frequency = body.choice("billing_frequency", BillingFrequency.self, required: false)
        let bannerPrice = body.int("banner_click_price_minor", required: false, range: 0...Int.max)
        if bannerPrice != nil, bannerAgreed == false {
            body.issues.add("banner_click_price_minor", "is only valid with banner_agreed: true")
        }
        guard let customerID, let serials, !serials.isEmpty, let tier, let startsOn, let endsOn, startsOn <= endsOn,
              let amount, let currency, let packageID, package != nil, let bannerAgreed else { return nil }
        return Draft(customerID: customerID, serials: serials, tier: tier, startsOn: startsOn, endsOn: endsOn, amountMinor: amount,
                     currency: currency, package: packageID, downgrades: downgrades, options: options, bannerAgreed: bannerAgreed, bannerPrice: bannerPrice,
                     billingFrequency: frequency ?? .yearly)
    }
}

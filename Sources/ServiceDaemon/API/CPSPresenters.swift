import ServiceCore
import ServiceJSON

/// CPS resources as the API shows them. Contact details are personal data:
/// only the admin view has name, e-mail, country and addresses; billing sees
/// the account without them; a dealer (an authorised service partner) sees
/// only number, level, programme and which registered products are Fast Track
/// eligible.
enum CPSView {
    case admin, billing, partner

    init(_ principal: Principal) {
        switch principal.role {
        case .admin: self = .admin
        case .billing: self = .billing
        case .dealer: self = .partner
        }
    }
}

extension CPSMemberRecord {
    func json(_ view: CPSView, on date: LocalDate, rules: CPSRules) -> JSONValue {
        .written { write(to: &$0, view, on: date, rules: rules) }
    }

    func write(to json: inout JSONWriter, _ view: CPSView, on date: LocalDate, rules: CPSRules) {
        guard view == .partner else { return summary.write(to: &json, contactDetails: view == .admin, on: date, rules: rules) }
        json.object { json in
            json.member("membership_number", member.membershipNumber)
            json.member("programme", member.programme)
            json.member("level", standing(on: date, rules: rules).level)
            json.key("products")
            json.array(kitbag(on: date)) { json, registration in json.value(registration.partnerJSON(rules: rules)) }
        }
    }
}

extension CPSMemberSummary {
    /// The admin view (`contactDetails`: name, e-mail, country) or the billing view.
    func json(contactDetails: Bool, on date: LocalDate, rules: CPSRules) -> JSONValue {
        .written { write(to: &$0, contactDetails: contactDetails, on: date, rules: rules) }
    }

    /// Written straight to bytes: the member look-up is the programme's hot read.
    func write(to json: inout JSONWriter, contactDetails: Bool, on date: LocalDate, rules: CPSRules) {
        let standing = standing(on: date, rules: rules)
        json.object { json in
            json.member("id", member.id)
            json.member("membership_number", member.membershipNumber)
            json.member("programme", member.programme)
            json.member("level", standing.level)
            if contactDetails {
                json.member("name", member.name)
                json.member("email", member.email)
                json.member("country", member.country)
            }
            json.member("points", standing.points)
            json.member("points_to_next_level", standing.pointsToNextLevel)
            json.member("level_on", date)
            json.member("subscription_invited", member.programme == .subscription ? rules.subscription.isInvited(points: standing.points) : nil)
            json.member("subscription", currentTerm(on: date)) { json, term in
                json.member("level", term.level)
                json.member("term_starts_on", term.termStartsOn)
                json.member("term_ends_on", term.termEndsOn)
                json.member("invoice_id", term.id)
            }
            json.member("welcome_pack", welcomePack) { json, pack in
                json.member("id", pack.id)
                json.member("state", pack.state)
            }
            json.member("status", member.closedOn == nil ? "open" : "closed")
            json.member("closed_on", member.closedOn)
            json.member("migrated_to", member.migratedTo)
            json.member("created_at", member.createdAt)
            json.member("updated_at", member.updatedAt)
        }
    }
}

extension Registration {
    func json(on date: LocalDate, rules: CPSRules) -> JSONValue {
        let product = rules.product(id: productID)
        let worth = product.map { rules.points.points(of: $0, on: date) } ?? 0
        let counted = counts(on: date)
        return .object([
            ("id", .string(id)), ("product_id", .string(productID)), ("product_name", product.map { .string($0.name) } ?? .null),
            ("video", .bool(product?.video ?? false)),
            ("serial", details.serial.map(JSONValue.string) ?? .null),
            ("country_of_purchase", details.countryOfPurchase.map(JSONValue.string) ?? .null),
            ("purchased_on", details.purchasedOn.map { .string($0.description) } ?? .null),
            ("store", details.store.map(JSONValue.string) ?? .null), ("second_hand", .bool(details.secondHand)),
            ("complete", .bool(details.isComplete)), ("missing", .array(details.missing.map(JSONValue.string))),
            ("points", .int(counted ? worth : 0)), ("pending_points", .int(counted ? 0 : worth)),
            ("local_warranty", localWarranty(participating: rules.participatingCountries).map(JSONValue.bool) ?? .null),
            ("fast_track_eligible", .bool(isFastTrackEligible(rules: rules))),
            ("added_on", .string(addedOn.description)), ("added_by", .string(startReason.rawValue)),
            ("completed_on", completedOn.map { .string($0.description) } ?? .null),
            ("ended_on", endedOn.map { .string($0.description) } ?? .null),
            ("end_reason", endReason.map { .string($0.rawValue) } ?? .null),
        ])
    }

    /// "Fast Track is only eligible on products registered in full ... and points validated."
    func isFastTrackEligible(rules: CPSRules) -> Bool {
        details.isComplete && completedOn != nil && (rules.product(id: productID)?.fastTrackEligible ?? false)
    }

    func partnerJSON(rules: CPSRules) -> JSONValue {
        .object([
            ("id", .string(id)), ("product_id", .string(productID)),
            ("product_name", rules.product(id: productID).map { .string($0.name) } ?? .null),
            ("serial", details.serial.map(JSONValue.string) ?? .null), ("fast_track_eligible", .bool(isFastTrackEligible(rules: rules))),
        ])
    }
}

extension PointsLedger.Entry {
    var json: JSONValue {
        .object([
            ("date", .string(date.description)), ("registration_id", .string(registrationID)), ("product_id", .string(productID)),
            ("reason", .string(reason.rawValue)), ("change", .int(change)), ("total_before", .int(totalBefore)),
            ("total_after", .int(totalAfter)),
        ])
    }
}

extension CPSProduct {
    func json(on date: LocalDate, rules: CPSRules) -> JSONValue {
        .object([
            ("id", .string(id)), ("name", .string(name)), ("category", .string(category.rawValue)), ("video", .bool(video)),
            ("base_points", .int(basePoints)), ("points", .int(rules.points.points(of: self, on: date))), ("points_on", .string(date.description)),
            ("fast_track_eligible", .bool(fastTrackEligible)),
            ("released_on", releasedOn.map { .string($0.description) } ?? .null),
            ("superseded_on", supersededOn.map { .string($0.description) } ?? .null),
            ("service_ends_on", serviceEndsOn.map { .string($0.description) } ?? .null),
        ])
    }
}

extension CPSInvoice {
    func json(on date: LocalDate) -> JSONValue {
        .object([
            ("id", .string(id)), ("member_id", .string(memberID)), ("level", .string(level.rawValue)),
            ("payment_method", .string(paymentMethod.rawValue)), ("state", .string(state(on: date).rawValue)),
            ("term_starts_on", .string(termStartsOn.description)), ("term_ends_on", .string(termEndsOn.description)),
            ("issued_on", .string(issuedOn.description)), ("due_on", .string(dueOn.description)),
            ("amount_minor", .int(amountMinor)), ("fee_minor", .int(feeMinor)), ("total_minor", .int(totalMinor)),
            ("currency", .string(currency)), ("paid_on", paidOn.map { .string($0.description) } ?? .null),
        ])
    }
}

extension WelcomePack {
    var json: JSONValue {
        .object([
            ("id", .string(id)), ("member_id", .string(memberID)), ("state", .string(state.rawValue)),
            ("level_at_request", .string(levelAtRequest.rawValue)), ("address", CPSWelcomePackStore.addressJSON(address)),
            ("requested_on", .string(requestedOn.description)), ("sent_on", sentOn.map { .string($0.description) } ?? .null),
        ])
    }
}

extension SubscriptionRules.Option {
    var json: JSONValue { .object([("level", .string(level.rawValue)), ("reason", .string(reason))]) }
}

import ServiceCore
import ServiceJSON

/// Resources as the API shows them: snake_case, timestamps RFC 3339 UTC.
extension Dealer: JSONResource {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("id", id)
            json.member("name", name)
            json.member("created_at", createdAt)
        }
    }
}

extension Customer: JSONResource {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("id", id)
            json.member("dealer_id", dealerID)
            json.member("name", name)
            json.member("created_at", createdAt)
            json.member("updated_at", updatedAt)
        }
    }
}

extension Device: JSONResource {
    func write(to json: inout JSONWriter) {
        json.object { writeMembers(to: &$0) }
    }

    /// The members alone, for the events that add to them.
    func writeMembers(to json: inout JSONWriter) {
        json.member("serial", serial)
        json.member("model", model)
        json.member("family", familyID)
        json.member("customer_id", customerID)
        json.member("dealer_id", dealerID)
        json.member("ip_address", ipAddress)
        json.member("installed_on", installedOn)
        json.member("created_at", createdAt)
        json.member("updated_at", updatedAt)
    }
}

extension Contract: JSONResource {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("id", id)
            json.member("customer_id", customerID)
            json.member("dealer_id", dealerID)
            deviceSerials.withJoinedBytes { json.member("device_serials", joinedStrings: $0, ends: $1) }
            json.member("starts_on", startsOn)
            json.member("ends_on", endsOn)
            json.member("terminated_on", terminatedOn)
            json.key("tier_history")
            json.array(tierHistory) { json, change in
                json.object { json in
                    json.member("effective_on", change.effectiveOn)
                    json.member("tier", change.tier)
                }
            }
            json.member("prepaid") { json in
                json.member("amount_minor", prepaidAmountMinor)
                json.member("currency", prepaidCurrency)
            }
            json.member("billing_frequency", billingFrequency)
            json.member("implementation_package", implementationPackage)
            json.member("downgrades", strings: downgrades)
            json.member("options", strings: options)
            json.member("banner_agreed", bannerAgreed)
            json.member("banner_click_price_minor", bannerClickPriceMinor)
            json.member("created_at", createdAt)
            json.member("updated_at", updatedAt)
        }
    }
}

extension AuditEntry {
    var json: JSONValue {
        .object([
            ("id", .int(id)), ("at", .string(at)), ("api_key_id", keyID.map(JSONValue.string) ?? .null), ("role", .string(role)),
            ("action", .string(action)), ("resource_type", .string(resourceType)), ("resource_id", .string(resourceID)),
            ("dealer_id", dealerID.map(JSONValue.string) ?? .null), ("detail", detail),
        ])
    }
}

/// Resources whose version is their ETag.
protocol Versioned { var version: Int { get } }
extension Customer: Versioned {}
extension Device: Versioned {}
extension Contract: Versioned {}
extension ConsumableOrder: Versioned {}
extension ServiceRequest: Versioned {}


import ServiceCore
import ServiceJSON

/// Resources as the API shows them: snake_case, timestamps RFC 3339 UTC.
extension Dealer {
    var json: JSONValue {
        .object([("id", .string(id)), ("name", .string(name)), ("created_at", .string(createdAt))])
    }
}

extension Customer {
    var json: JSONValue {
        .object([
            ("id", .string(id)), ("dealer_id", .string(dealerID)), ("name", .string(name)),
            ("created_at", .string(createdAt)), ("updated_at", .string(updatedAt)),
        ])
    }
}

extension Device {
    var json: JSONValue {
        .object([
            ("serial", .string(serial)), ("model", .string(model)), ("family", .string(familyID)),
            ("customer_id", .string(customerID)), ("dealer_id", .string(dealerID)),
            ("ip_address", ipAddress.map(JSONValue.string) ?? .null),
            ("installed_on", installedOn.map { .string($0.description) } ?? .null),
            ("created_at", .string(createdAt)), ("updated_at", .string(updatedAt)),
        ])
    }
}

extension Contract {
    var json: JSONValue {
        .object([
            ("id", .string(id)), ("customer_id", .string(customerID)), ("dealer_id", .string(dealerID)),
            ("device_serials", .array(deviceSerials.map(JSONValue.string))),
            ("starts_on", .string(startsOn.description)), ("ends_on", .string(endsOn.description)),
            ("terminated_on", terminatedOn.map { .string($0.description) } ?? .null),
            ("tier_history", .array(tierHistory.map { .object([("effective_on", .string($0.effectiveOn.description)), ("tier", .string($0.tier.rawValue))]) })),
            ("prepaid", .object([("amount_minor", .int(prepaidAmountMinor)), ("currency", .string(prepaidCurrency))])),
            ("billing_frequency", .string(billingFrequency.rawValue)),
            ("implementation_package", .string(implementationPackage)),
            ("downgrades", .array(downgrades.map(JSONValue.string))),
            ("options", .array(options.map(JSONValue.string))),
            ("banner_agreed", .bool(bannerAgreed)),
            ("banner_click_price_minor", bannerClickPriceMinor.map(JSONValue.int) ?? .null),
            ("created_at", .string(createdAt)), ("updated_at", .string(updatedAt)),
        ])
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


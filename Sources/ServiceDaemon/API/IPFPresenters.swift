import Foundation
import ServiceCore
import ServiceJSON

/// The imagePROGRAF programme's resources as the API shows them.
extension IPFTechnician: Versioned {
    var json: JSONValue {
        .object([
            ("id", .string(id)), ("dealer_id", .string(dealerID)), ("name", .string(name)),
            ("certifications", .array(certifications.map { certification in
                .object([
                    ("product_line", .string(certification.line.rawValue)), ("certified_on", .string(certification.certifiedOn.description)),
                    ("expires_on", .string(certification.expiresOn.description)),
                ])
            })),
            ("created_at", .string(createdAt)),
        ])
    }
}

extension IPFAuthorisationReport {
    var json: JSONValue {
        .object([
            ("dealer_id", .string(dealerID)), ("on", .string(on.description)),
            ("lines", .array(lines.map { line in
                .object([
                    ("product_line", .string(line.line.rawValue)), ("status", .string(line.status.rawValue)),
                    ("certified_technicians", .int(line.certifiedTechnicians)), ("unmet", .array(line.unmet.map(JSONValue.string))),
                    ("suspension_reason", line.suspensionReason.map(JSONValue.string) ?? .null),
                ])
            })),
            ("history", .array(history.map { change in
                .object([("on", .string(change.on.description)), ("product_line", .string(change.line.rawValue)), ("status", .string(change.status.rawValue))])
            })),
            ("actions", .array(actions.map { recorded in
                .object([
                    ("kind", .string(recorded.action.kind.rawValue)), ("product_line", recorded.action.line.map { .string($0.rawValue) } ?? .null),
                    ("effective_on", .string(recorded.action.effectiveOn.description)), ("reason", .string(recorded.action.reason)),
                    ("api_key_id", recorded.keyID.map(JSONValue.string) ?? .null), ("recorded_at", .string(recorded.recordedAt)),
                ])
            })),
        ])
    }
}

extension Coverage.Period {
    var json: JSONValue {
        .object([
            ("kind", .string(kind.rawValue)), ("from", .string(from.description)), ("through", .string(through.description)),
            ("ecarepak_id", eCarePakID.map(JSONValue.string) ?? .null),
        ])
    }
}

extension IPFRegistration: Versioned {
    func json(_ programme: IPFProgramme) -> JSONValue {
        .object([
            ("serial", .string(serial)), ("dealer_id", .string(dealerID)), ("model", .string(model)), ("product_line", .string(line.rawValue)),
            ("end_customer", .object([
                ("name", .string(endCustomer.name)), ("address", .string(endCustomer.address)), ("country", .string(endCustomer.country)),
            ])),
            ("installed_on", .string(installedOn.description)), ("support_model", .string(supportModel.rawValue)),
            ("coverage_periods", .array(coveragePeriods(programme).map(\.json))),
            ("ecarepaks", .array(eCarePaks.map { pak in
                .object([("id", .string(pak.id)), ("term_months", .int(pak.termMonths)), ("purchased_on", .string(pak.purchasedOn.description))])
            })),
            ("transfers", .array(transfers.map { transfer in
                .object([
                    ("from_dealer_id", .string(transfer.fromDealerID)), ("to_dealer_id", .string(transfer.toDealerID)),
                    ("reason", .string(transfer.reason)), ("at", .string(transfer.at)),
                ])
            })),
            ("created_at", .string(createdAt)),
        ])
    }
}

extension IPFClaim: Versioned {
    var json: JSONValue {
        .object([
            ("id", .string(id)), ("dealer_id", .string(dealerID)), ("serial", .string(serial)), ("service_date", .string(serviceDate.description)),
            ("technician_id", .string(technicianID)), ("labour_minutes", .int(labourMinutes)),
            ("parts", .array(parts.map { part in
                .object([("part_number", .string(part.partNumber)), ("quantity", .int(part.quantity)), ("unit_cost_minor", .int(part.unitCostMinor))])
            })),
            ("description", .string(description)), ("state", .string(state.rawValue)),
            ("reasons", .array(reasons.map { .object([("code", .string($0.code)), ("message", .string($0.message))]) })),
            ("product_line", line.map { .string($0.rawValue) } ?? .null),
            ("amount", .object([("amount_minor", .int(amountMinor)), ("currency", .string(currency))])), ("explanation", explanation),
            ("submitted_at", .string(submittedAt)), ("submitted_on", .string(submittedOn.description)),
            ("paid_on", paidOn.map { .string($0.description) } ?? .null), ("payment_reference", paymentReference.map(JSONValue.string) ?? .null),
        ])
    }
}

extension IPFClaimStatement {
    var json: JSONValue {
        .object([
            ("dealer_id", .string(dealerID)), ("month", .string(String(first.description.prefix(7)))), ("currency", .string(currency)),
            ("from", .string(first.description)), ("through", .string(last.description)),
            ("totals", .object([
                ("claims", .int(claims.count)), ("rejected", .int(rejectedCount)), ("approved_unpaid_minor", .int(approvedUnpaidMinor)),
                ("paid_minor", .int(paidMinor)), ("total_minor", .int(totalMinor)),
            ])),
            ("claims", .array(claims.map(\.json))),
        ])
    }
}

extension IPFOrder: Versioned {
    var json: JSONValue {
        .object([
            ("id", .string(id)), ("dealer_id", .string(dealerID)), ("channel", .string(channel.rawValue)),
            ("lines", .array(lines.map { .object([("part_number", .string($0.partNumber)), ("quantity", .int($0.quantity))]) })),
            ("claim_id", claimID.map(JSONValue.string) ?? .null), ("state", .string(state.rawValue)),
            ("events", .array(events.map { event in
                .object([("type", .string(event.type.rawValue)), ("note", event.note.map(JSONValue.string) ?? .null), ("at", .string(event.at))])
            })),
            ("created_at", .string(createdAt)),
        ])
    }
}

extension IPFSupportCase: Versioned {
    var json: JSONValue {
        func instant(_ date: Date?) -> JSONValue { date.map { .string(RFC3339.format($0)) } ?? .null }
        return .object([
            ("id", .string(id)), ("dealer_id", .string(dealerID)), ("serial", .string(serial)), ("channel", .string(channel.rawValue)),
            ("problem", .string(problem)), ("state", .string(state.rawValue)), ("troubleshooting_steps", .int(troubleshootingSteps)),
            ("opened_at", instant(openedAt)), ("escalated_at", instant(escalatedAt)), ("response_due_at", instant(responseDueAt)),
            ("events", .array(events.map { event in
                .object([("type", .string(event.type.rawValue)), ("note", event.note.map(JSONValue.string) ?? .null), ("at", instant(event.at))])
            })),
        ])
    }
}

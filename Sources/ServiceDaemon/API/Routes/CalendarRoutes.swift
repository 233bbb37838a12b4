import ServiceCore
import ServiceHTTP
import ServiceJSON

/// The support calendar for portals: closed days of a year, and the
/// deadline a request reported at a given instant would get.
struct CalendarRoutes {
    let api: API

    static let supported = RFC3339.parse("1970-01-01T00:00:00Z")!...RFC3339.parse("9998-12-31T00:00:00Z")!

    func register(on group: inout RouteGroup) {
        let calendar = api.calendar
        group.get("/calendar/holidays?year") { request in
            _ = try request.principal
            guard let text = request.query["year"], let year = Int(text), (1900...9999).contains(year) else {
                throw APIProblem.invalid("year", "must be a year between 1900 and 9999")
            }
            return APIResponse.json(.ok, .object([
                ("year", .int(year)),
                ("time_zone", .string(calendar.timeZone.identifier)),
                ("closed_days", .array(calendar.closedDays(in: year).map { day in
                    .object([("date", .string(day.date.description)), ("name", .string(day.name)), ("local_name", .string(day.localName))])
                })),
            ]))
        }
        group.get("/calendar/deadline?tier&from") { request in
            _ = try request.principal
            var issues: [ValidationIssue] = []
            let tierID = request.query["tier"].flatMap(TierID.init(rawValue:))
            if tierID == nil { issues.append(ValidationIssue(field: "tier", message: "must be one of standard, plus, premium")) }
            // The calendar works in years 1970-9998 (holidays, local dates and the
            // next opening after `from` must all stay inside LocalDate's range).
            let from = request.query["from"].flatMap(RFC3339.parse)
            if request.query["from"] == nil {
                issues.append(ValidationIssue(field: "from", message: "is required (an RFC 3339 instant, e.g. 2026-03-02T14:00:00+01:00)"))
            } else if from == nil {
                issues.append(ValidationIssue(field: "from", message: "must be an RFC 3339 instant, e.g. 2026-03-02T14:00:00+01:00"))
            } else if let from, !(Self.supported ~= from) {
                issues.append(ValidationIssue(field: "from", message: "must lie in the years 1970 to 9998"))
            }
            guard issues.isEmpty, let tierID, let from, let tier = api.catalogue.tiers[tierID] else {
                throw APIProblem.validation(ValidationFailure(issues))
            }
            let (start, due) = calendar.deadline(for: tier.response, reportedAt: from)
            return APIResponse.json(.ok, .object([
                ("tier", .string(tierID.rawValue)),
                ("from", .string(RFC3339.format(from))),
                ("clock_starts_at", .string(RFC3339.format(start))),
                ("response_due_at", .string(RFC3339.format(due))),
            ]))
        }
    }
}

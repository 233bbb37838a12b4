import Foundation
import Testing
@testable import ServiceDaemon

@Suite struct CalendarAPITests {
    @Test func holidaysOfAYear() throws {
        let server = try APITestServer()
        let reply = try server.admin("GET", "/v1/calendar/holidays?year=2027")
        #expect(reply.status == 200)
        #expect(reply["time_zone"] as? String == "Europe/Oslo")
        let days = try #require(reply["closed_days"] as? [[String: String]])
        #expect(days.count == 12)
        #expect(days.first == ["date": "2027-01-01", "name": "New Year's Day", "local_name": "Første nyttårsdag"])
        #expect(days.contains(["date": "2027-05-06", "name": "Ascension Day", "local_name": "Kristi himmelfartsdag"]))
        #expect(try server.admin("GET", "/v1/calendar/holidays").status == 422)
        #expect(try server.admin("GET", "/v1/calendar/holidays?year=twenty").errors["year"] != nil)
    }

    @Test func deadlineForPortals() throws {
        let server = try APITestServer()
        // Monday 14:00 CET + 4 support hours = Tuesday 10:00 CET (09:00Z).
        let premium = try server.admin("GET", "/v1/calendar/deadline?tier=premium&from=2026-03-02T14:00:00%2B01:00")
        #expect(premium.status == 200)
        #expect(premium["clock_starts_at"] as? String == "2026-03-02T13:00:00Z")
        #expect(premium["response_due_at"] as? String == "2026-03-03T09:00:00Z")
        // Saturday -> Monday 08:00 -> Tuesday 16:00 CET.
        let standard = try server.admin("GET", "/v1/calendar/deadline?tier=standard&from=2026-03-07T11:00:00Z")
        #expect(standard["clock_starts_at"] as? String == "2026-03-09T07:00:00Z")
        #expect(standard["response_due_at"] as? String == "2026-03-10T15:00:00Z")
        let bad = try server.admin("GET", "/v1/calendar/deadline?tier=gold&from=monday")
        #expect(bad.status == 422)
        #expect(Set(bad.errors.keys) == ["tier", "from"])
        // The ends of the calendar's range are refused, not computed (these used to stop the daemon).
        for from in ["9999-12-31T23:30:00-05:00", "9999-12-31T15:00:00Z", "1200-01-01T00:00:00Z"] {
            let edge = try server.admin("GET", "/v1/calendar/deadline?tier=premium&from=\(from.replacingOccurrences(of: "+", with: "%2B"))")
            #expect(edge.errors == ["from": "must lie in the years 1970 to 9998"], "\(from)")
        }
        #expect(try server.admin("GET", "/healthz").status == 200)
        #expect(try server.call("GET", "/v1/calendar/deadline?tier=plus&from=2026-03-07T11:00:00Z", key: nil).status == 401)
    }
}

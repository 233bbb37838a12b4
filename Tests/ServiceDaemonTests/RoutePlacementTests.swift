import ServiceHTTP
import Testing
@testable import ServiceDaemon

/// Where the daemon's routes run: reads on the reader pool (one thread per
/// core), the reports over a period (a year of a dealer's requests, hundreds
/// of milliseconds) on the worker pool with the writes, so that two of them
/// never take every reader; on the event loop the liveness probe, and the
/// CPS member read, the one hot read by key placed there (its connection is
/// the loop's own, see `readsOnALoopNeverWaitForThePool`).
@Suite struct RoutePlacementTests {
    static let reports: Set<String> = [
        "/v1/reports/sla", "/v1/reports/usage", "/v1/reports/implementation", "/v1/cps/reports/turnaround",
    ]

    static let onTheLoop: Set<String> = ["/healthz", "/v1/cps/members/{id}"]

    @Test func readsRunOnTheReadersReportsAndWritesOnTheWorkers() throws {
        let server = try APITestServer()
        let routes = server.application.routes
        #expect(routes.count > 30)
        for route in routes {
            let expected: RoutePlacement
            if route.method == .GET && Self.onTheLoop.contains(route.template) {
                expected = .eventLoop
            } else if route.method != .GET || Self.reports.contains(route.template) {
                expected = .workerPool
            } else {
                expected = .readerPool
            }
            #expect(route.placement == expected, "\(route.method) \(route.template)")
        }
        let placed = Set(routes.filter { $0.placement == .workerPool && $0.method == .GET }.map(\.template))
        #expect(placed == Self.reports)
    }
}

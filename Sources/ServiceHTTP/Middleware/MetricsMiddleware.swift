import CoreMetrics
import Synchronization

/// Request metrics through swift-metrics, for whichever backend the factory
/// belongs to: `http_requests_total` by method, route and status,
/// `http_request_duration_seconds` by method and route, and
/// `http_requests_in_flight`. Requests no route matched count under the
/// route `unmatched`, so a scan of random paths cannot grow the series.
///
/// Cheap on the hot path: each route gets its own table of series when the
/// router is built (`specialized(for:)`), filled on first use; a request
/// costs a clock read, an in-flight increment and decrement, one lookup in
/// its route's table under the route's own lock, a histogram record and a
/// counter increment. No labels are built per request.
public struct MetricsMiddleware: Middleware {
    private let factory: any MetricsFactory
    private let inFlight: Meter
    private let unmatched: [HTTPMethod: RouteMetrics]

    public static let requests = "http_requests_total"
    public static let duration = "http_request_duration_seconds"
    public static let inFlightLabel = "http_requests_in_flight"

    public init(factory: any MetricsFactory) {
        self.factory = factory
        inFlight = Meter(label: Self.inFlightLabel, dimensions: [], factory: factory)
        var unmatched: [HTTPMethod: RouteMetrics] = [:]
        for method in HTTPMethod.allCases {
            unmatched[method] = RouteMetrics(method: method, route: "unmatched", inFlight: inFlight, factory: factory)
        }
        self.unmatched = unmatched
    }

    public func specialized(for route: RouteKey) -> any Middleware {
        guard let template = route.template else { return unmatched[route.method]! }
        return RouteMetrics(method: route.method, route: template, inFlight: inFlight, factory: factory)
    }

    /// Only reached if the router did not specialize it; counts nothing.
    public func handle(_ request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
        try next(request)
    }

    /// The series of one route.
    final class RouteMetrics: Middleware {
        private let method: String
        private let route: String
        private let inFlight: Meter
        private let factory: any MetricsFactory
        /// Made on first use, so routes never called and statuses never
        /// answered stay out of the output (a scrape would otherwise carry
        /// a histogram for every route).
        private let series = Mutex<Series>(Series())

        private struct Series {
            var duration: Timer?
            var counters: [Int: Counter] = [:]
        }

        init(method: HTTPMethod, route: String, inFlight: Meter, factory: any MetricsFactory) {
            self.method = method.rawValue
            self.route = route
            self.inFlight = inFlight
            self.factory = factory
        }

        func handle(_ request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
            let started = MonotonicClock.nanoseconds()
            inFlight.increment()
            defer { inFlight.decrement() }
            do {
                // A deferred response counts when it is answered.
                return try next(request).final { [self] answer in
                    finish(answer.status.code, started)
                    return answer
                }
            } catch {
                finish(500, started)
                throw error
            }
        }

        private func finish(_ status: Int, _ started: UInt64) {
            let elapsed = Int64(clamping: MonotonicClock.nanoseconds() - started)
            let (duration, counter) = series.withLock { series -> (Timer, Counter) in
                let duration = series.duration ?? Timer(
                    label: MetricsMiddleware.duration, dimensions: [("method", method), ("route", route)], factory: factory)
                series.duration = duration
                if let counter = series.counters[status] { return (duration, counter) }
                let counter = Counter(label: MetricsMiddleware.requests,
                                      dimensions: [("method", method), ("route", route), ("status", String(status))], factory: factory)
                series.counters[status] = counter
                return (duration, counter)
            }
            duration.recordNanoseconds(elapsed)
            counter.increment()
        }
    }
}

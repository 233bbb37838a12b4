import ServiceCore
import ServiceHTTP

extension DatabasePool {
    /// How handlers and their middleware read: on an event loop (a route
    /// placed there) through the loop's own connection, which nothing else
    /// holds, so the loop never waits for a reader a report keeps; on the
    /// pools' threads through the pool.
    func handlerRead<T>(_ body: (Connection) throws -> T) throws -> T {
        if EventLoopThread.isCurrent { return try readOnThreadConnection(body) }
        return try read(body)
    }
}

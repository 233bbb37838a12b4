/// A route handler: a plain function from a request to a response. Throwing
/// a `Problem` answers with it; any other error becomes a logged 500.
public typealias Handler = @Sendable (HTTPRequest) throws -> HTTPResponse

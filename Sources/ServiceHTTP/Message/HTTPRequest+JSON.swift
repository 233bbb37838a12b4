import ServiceJSON

/// A request body read as JSON under limits, with the answer for each way it
/// can fail: the same for every route that takes JSON, and what the router
/// fuzz target drives (see scripts/fuzz.sh).
extension HTTPRequest {
    /// `Content-Type: application/json`, parameters allowed; 415 otherwise.
    public func requireJSONContentType() throws(Problem) {
        let mediaType = headers["Content-Type"]?.split(separator: ";", maxSplits: 1).first?.trimmingOWS() ?? ""
        guard asciiCaseInsensitiveEquals(mediaType, "application/json") else {
            throw Problem(.unsupportedMediaType, detail: "the body must be JSON with Content-Type: application/json")
        }
    }

    /// The body as a JSON value: 415 for another media type, 400 when it is
    /// malformed or nested deeper than `limits` allow, 413 when it holds more
    /// values or a longer string than they allow.
    public func jsonBody(limits: JSONParser.Limits) throws(Problem) -> JSONValue {
        try requireJSONContentType()
        do {
            return try JSONParser.parse(body, limits: limits)
        } catch {
            switch error.kind {
            case .malformed: throw Problem(.badRequest, detail: "malformed JSON body: \(error)")
            case .tooLarge: throw Problem(.contentTooLarge, detail: "JSON body too large: \(error)")
            }
        }
    }
}

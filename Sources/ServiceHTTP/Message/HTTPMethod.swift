/// The methods this server recognises. TRACE and QUERY (the safe method with
/// a body, in IANA's registry) are recognised so that a resource answers
/// them with 405 and its Allow list, like any other method it does not
/// allow: no route registers them (TRACE would echo credentials back).
/// Any other syntactically valid method, CONNECT included, is answered with
/// 501 (RFC 9110 §9.1), so it is not representable here.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    case GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE, QUERY

    /// Byte-level match so the parser never allocates a String for the method.
    static func from(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPMethod? {
        switch bytes.count {
        case 3:
            if bytes.elementsEqual("GET".utf8) { return .GET }
            if bytes.elementsEqual("PUT".utf8) { return .PUT }
        case 4:
            if bytes.elementsEqual("POST".utf8) { return .POST }
            if bytes.elementsEqual("HEAD".utf8) { return .HEAD }
        case 5:
            if bytes.elementsEqual("PATCH".utf8) { return .PATCH }
            if bytes.elementsEqual("TRACE".utf8) { return .TRACE }
            if bytes.elementsEqual("QUERY".utf8) { return .QUERY }
        case 6:
            if bytes.elementsEqual("DELETE".utf8) { return .DELETE }
        case 7:
            if bytes.elementsEqual("OPTIONS".utf8) { return .OPTIONS }
        default:
            break
        }
        return nil
    }
}

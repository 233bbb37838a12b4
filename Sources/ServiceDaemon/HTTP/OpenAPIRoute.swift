import ServiceHTTP

/// `GET /openapi.json`: the API's contract, without a key (portal developers
/// and tools such as schemathesis read it before they have one).
struct OpenAPIRoute {
    let document: [UInt8]

    func register(on router: inout Router) {
        router.get("/openapi.json", placement: .eventLoop) { [document] _ in
            .json(.ok, document)
        }
    }
}

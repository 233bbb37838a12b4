import ServiceCore
import ServiceHTTP
import Synchronization

/// `GET /openapi.json`: the API's contract, without a key (portal developers
/// and tools such as schemathesis read it before they have one). The
/// document (about 400 KB) is parsed and filled from the catalogue on the
/// first request, not at start-up: most starts never serve it, and cron's
/// commands and a restart should not pay for it.
final class OpenAPIRoute: Sendable {
    private let catalogue: Catalogue
    private let document = Mutex<[UInt8]?>(nil)

    init(catalogue: Catalogue) {
        self.catalogue = catalogue
    }

    func register(on router: inout Router) {
        // On a worker: the first request parses the document.
        router.get("/openapi.json") { [self] _ in
            .json(.ok, try bytes())
        }
    }

    func bytes() throws -> [UInt8] {
        try document.withLock { cached in
            if let cached { return cached }
            let filled = try OpenAPIDocument.bytes(for: catalogue)
            cached = filled
            return filled
        }
    }
}

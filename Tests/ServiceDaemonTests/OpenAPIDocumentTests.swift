import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON
import Testing
@testable import ServiceDaemon

/// The OpenAPI document (Sources/ServiceDaemon/API/OpenAPI/openapi.json)
/// against the router: every route the daemon serves is documented, and
/// nothing is documented that it does not serve. A new route fails here
/// until the document has it.
@Suite struct OpenAPIDocumentTests {
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    static func document() throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(OpenAPIDocument.embedded)) as? [String: Any])
    }

    static func operations(_ document: [String: Any]) -> [(path: String, method: String, operation: [String: Any])] {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        return paths.flatMap { path, item in
            item.compactMap { method, operation in
                guard methods.contains(method), let operation = operation as? [String: Any] else { return nil }
                return (path, method.uppercased(), operation)
            }
        }
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws {
        let server = try APITestServer()
        let served = Set(server.application.routes.map { "\($0.method.rawValue) \($0.template)" })
        let documented = Set(Self.operations(try Self.document()).map { "\($0.method) \($0.path)" })
        #expect(served.count > 30)
        let undocumented = served.subtracting(documented).sorted()
        let unserved = documented.subtracting(served).sorted()
        #expect(undocumented.isEmpty, "routes missing from openapi.json: \(undocumented)")
        #expect(unserved.isEmpty, "documented in openapi.json but not routed: \(unserved)")
    }

    /// The query parameters a route accepts (its template's `?a&b`) are the
    /// ones the document declares for it, no more and no fewer: the router
    /// refuses any other name, so an undocumented one is unusable and a
    /// documented one the router lacks is refused.
    @Test func everyRoutesQueryParametersAreDocumented() throws {
        let server = try APITestServer()
        let operations = Dictionary(uniqueKeysWithValues: Self.operations(try Self.document()).map { ("\($0.method) \($0.path)", $0.operation) })
        let parameters = (try Self.document()["components"] as? [String: Any])?["parameters"] as? [String: [String: Any]] ?? [:]
        #expect(server.application.routes.filter { !$0.query.isEmpty }.count > 20)
        for route in server.application.routes {
            let label = "\(route.method.rawValue) \(route.template)"
            guard let operation = operations[label] else { continue }  // the test above names it
            let documented = Set(((operation["parameters"] as? [[String: Any]]) ?? []).compactMap { parameter -> String? in
                let resolved = (parameter["$ref"] as? String).flatMap { parameters[String($0.split(separator: "/").last ?? "")] } ?? parameter
                return resolved["in"] as? String == "query" ? resolved["name"] as? String : nil
            })
            #expect(documented == route.query, "\(label): documented \(documented.sorted()) vs routed \(route.query.sorted())")
        }
    }

    /// The server answers 400 to a NUL anywhere in the request target, before
    /// any route: a path or query parameter documented as any string would
    /// promise what it refuses (schemathesis generated `dealer_id=%00`), so
    /// each one is bounded by a pattern, an enum, a format or a shared schema.
    @Test func everyStringParameterInTheTargetExcludesNUL() throws {
        let document = try Self.document()
        var checked = 0
        for (path, method, operation) in Self.operations(document) {
            for parameter in (operation["parameters"] as? [[String: Any]]) ?? [] {
                guard ["path", "query"].contains(parameter["in"] as? String), let schema = parameter["schema"] as? [String: Any],
                      schema["type"] as? String == "string" else { continue }
                checked += 1
                let bounded = ["pattern", "enum", "format", "$ref"].contains { schema[$0] != nil }
                #expect(bounded, "\(method) \(path): \(parameter["name"] ?? "?") is any string, but a NUL is refused with 400")
                if let pattern = schema["pattern"] as? String, pattern.hasPrefix("^[^") {
                    #expect(pattern.contains("\\x00"), "\(method) \(path): \(parameter["name"] ?? "?") pattern \(pattern)")
                }
            }
        }
        #expect(checked > 50)
    }

    @Test func servedWithoutAKeyWithTheLoadedCatalogueLists() throws {
        let server = try APITestServer()
        let reply = try server.call("GET", "/openapi.json", key: nil)
        #expect(reply.status == 200)
        #expect(reply.header("Content-Type") == "application/json")
        #expect(reply["openapi"] as? String == "3.1.0")
        let schemas = (reply["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]]
        let models = try #require(schemas?["DeviceModel"]?["enum"] as? [String])
        let catalogue = try CatalogueLoader.load(path: DaemonProcess.catalogue)
        #expect(models == catalogue.modelFamilies.flatMap(\.models))
        #expect(models.contains("imageRUNNER ADVANCE C3530i"))
        let ipfModels = try #require(schemas?["IPFModel"]?["enum"] as? [String])
        #expect(ipfModels == catalogue.imageprograf.productLines.flatMap(\.models))
        #expect(ipfModels.contains("imagePROGRAF TM-300"))
        let terms = try #require(schemas?["NewIPFECarePak"]?["properties"] as? [String: [String: Any]])["term_months"]?["enum"] as? [Int]
        #expect(terms == catalogue.imageprograf.eCarePak.termsMonths)
    }

    /// The file itself holds the lists of the catalogue that ships, so it is
    /// right as it stands for anyone reading it in the repository.
    @Test func fileHoldsTheShippedCatalogueLists() throws {
        let catalogue = try CatalogueLoader.load(path: DaemonProcess.catalogue)
        let file = try JSONParser.parse(OpenAPIDocument.embedded)
        #expect(OpenAPIDocument.filled(file, from: catalogue).encoded() == file.encoded())
        // A marker naming no list is a typo, not something to skip.
        var keys: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .array(let items): items.forEach(collect)
            case .object(let members):
                for (name, member) in members {
                    if name == "x-catalogue", case .string(let key) = member { keys.append(key) }
                    collect(member)
                }
            default: break
            }
        }
        collect(file)
        #expect(keys.count >= 4)
        for key in keys { #expect(OpenAPIDocument.catalogueList(key, catalogue) != nil, "unknown x-catalogue \(key)") }
    }

    /// What a route needs in the document to be usable: an operation id, a
    /// tag that is declared, its path parameters declared, the key's 401 on
    /// every /v1 route, and references that resolve.
    @Test func everyOperationIsComplete() throws {
        let document = try Self.document()
        let tags = Set(((document["tags"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
        var ids = Set<String>()
        for (path, method, operation) in Self.operations(document) {
            let label = "\(method) \(path)"
            let id = operation["operationId"] as? String
            #expect(id != nil, "\(label): operationId")
            if let id { #expect(ids.insert(id).inserted, "\(label): operationId \(id) repeated") }
            #expect(!(operation["summary"] as? String ?? "").isEmpty, "\(label): summary")
            let opTags = operation["tags"] as? [String] ?? []
            #expect(!opTags.isEmpty && opTags.allSatisfy(tags.contains), "\(label): tags \(opTags) must be declared")
            let responses = operation["responses"] as? [String: Any] ?? [:]
            #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(label): a success response")
            if path.hasPrefix("/v1/") {
                #expect(responses["401"] != nil, "\(label): 401")
                #expect(operation["security"] == nil, "\(label): /v1 routes take the bearer key")
            } else {
                #expect((operation["security"] as? [Any])?.isEmpty == true, "\(label): outside /v1 no key")
            }
            let declared = Set(((operation["parameters"] as? [[String: Any]]) ?? []).compactMap { parameter -> String? in
                parameter["in"] as? String == "path" ? parameter["name"] as? String : nil
            })
            let inTemplate = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            #expect(declared == inTemplate, "\(label): path parameters \(declared.sorted()) vs template \(inTemplate.sorted())")
        }
        // Every reference resolves within the document.
        let text = String(decoding: OpenAPIDocument.embedded, as: UTF8.self)
        let pattern = try NSRegularExpression(pattern: ##""\$ref"\s*:\s*"#/([^"]+)""##)
        let refs = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) }
        #expect(!refs.isEmpty)
        for ref in Set(refs) {
            var node: Any? = document
            for part in ref.split(separator: "/") { node = (node as? [String: Any])?[String(part)] }
            #expect(node != nil, "unresolved $ref #/\(ref)")
        }
    }

    /// The webhook URL pattern the document states is the one the daemon
    /// enforces (taken exactly as sent, no white space around it), and the feed's `types`
    /// pattern names every event type: a schema-valid request is accepted.
    @Test func webhookURLAndEventTypePatternsAgreeWithTheDaemon() throws {
        let schemas = try #require((try Self.document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        for name in ["NewWebhookEndpoint", "WebhookEndpointChange"] {
            let properties = try #require((schemas[name] as? [String: Any])?["properties"] as? [String: Any])
            let pattern = try #require((properties["url"] as? [String: Any])?["pattern"] as? String)
            #expect(pattern.hasPrefix("^" + OutboundPolicy.securePattern) && pattern.hasSuffix("$") && !pattern.contains("\\u3000"), "\(name).url")
            let eventTypes = try #require(properties["event_types"] as? [String: Any])
            #expect(eventTypes["maxItems"] as? Int == EventType.allCases.count && eventTypes["uniqueItems"] as? Bool == true, "\(name).event_types")
        }
        let feed = try #require(Self.operations(try Self.document()).first { $0.path == "/v1/events" }?.operation)
        let types = try #require((feed["parameters"] as? [[String: Any]])?.first { $0["name"] as? String == "types" })
        let pattern = try #require((types["schema"] as? [String: Any])?["pattern"] as? String)
        let expression = try NSRegularExpression(pattern: pattern)
        let all = EventType.allCases.map(\.rawValue).joined(separator: ",")
        #expect(expression.firstMatch(in: all, range: NSRange(all.startIndex..., in: all)) != nil)
        #expect(expression.firstMatch(in: "contract.exploded", range: NSRange(location: 0, length: 17)) == nil)
    }
}

import ServiceCore
import ServiceJSON

/// The API's OpenAPI 3.1 document (`openapi.json` beside this file), embedded
/// in the binary at build time so it is served wherever the binary runs.
/// Lists that come from the catalogue (models, implementation packages,
/// their options, the currency) are marked `x-catalogue` and filled in from
/// the catalogue this daemon loaded, so the document describes what this
/// daemon accepts; the file holds those of `Resources/packages.json`.
enum OpenAPIDocument {
    static var embedded: [UInt8] { PackageResources.openapi_json }

    /// The document for a daemon serving `catalogue`, as compact JSON.
    static func bytes(for catalogue: Catalogue) throws -> [UInt8] {
        filled(try JSONParser.parse(embedded), from: catalogue).bytes
    }

    /// The values a `x-catalogue` key names.
    static func catalogueList(_ key: String, _ catalogue: Catalogue) -> [String]? {
        switch key {
        case "model_families[].models[]": return catalogue.modelFamilies.flatMap(\.models)
        case "implementation_packages[].id": return catalogue.implementationPackages.map(\.id)
        case "implementation_packages[].optional[]": return unique(catalogue.implementationPackages.flatMap(\.optional))
        case "currency": return [catalogue.currency]
        case "services[].id": return catalogue.services.map(\.id)
        case "add_ons[].id": return catalogue.addOns.map(\.id)
        default: return nil
        }
    }

    /// `value` with the `enum` of every object marked `x-catalogue` replaced.
    static func filled(_ value: JSONValue, from catalogue: Catalogue) -> JSONValue {
        switch value {
        case .array(let items):
            return .array(items.map { filled($0, from: catalogue) })
        case .object(let members):
            let list = members.first { $0.0 == "x-catalogue" }.flatMap { member -> [String]? in
                guard case .string(let key) = member.1 else { return nil }
                return catalogueList(key, catalogue)
            }
            return .object(members.map { name, member in
                if name == "enum", let list { return (name, .array(list.map(JSONValue.string))) }
                return (name, filled(member, from: catalogue))
            })
        default:
            return value
        }
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

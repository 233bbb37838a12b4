import ServiceCore
import ServiceJSON

/// The API's OpenAPI 3.1 document (`openapi.json` beside this file), embedded
/// in the binary at build time so it is served wherever the binary runs.
/// Lists that come from the catalogue (models, implementation packages,
/// their options, the currency; the imagePROGRAF models, currency and
/// eCarePak terms) are marked `x-catalogue` and filled in from
/// the catalogue this daemon loaded, so the document describes what this
/// daemon accepts; the file holds those of `Resources/packages.json`.
enum OpenAPIDocument {
    static var embedded: [UInt8] { PackageResources.openapi_json }

    /// The document for a daemon serving `catalogue`, as compact JSON.
    static func bytes(for catalogue: Catalogue) throws -> [UInt8] {
        filled(try JSONParser.parse(embedded), from: catalogue).bytes
    }

    /// The values a `x-catalogue` key names.
    static func catalogueList(_ key: String, _ catalogue: Catalogue) -> [JSONValue]? {
        let programme = catalogue.imageprograf
        switch key {
        case "model_families[].models[]": return strings(catalogue.modelFamilies.flatMap(\.models))
        case "implementation_packages[].id": return strings(catalogue.implementationPackages.map(\.id))
        case "implementation_packages[].optional[]": return strings(unique(catalogue.implementationPackages.flatMap(\.optional)))
        case "implementation_packages[].downgradable[]": return strings(unique(catalogue.implementationPackages.flatMap(\.downgradable)))
        case "currency": return [.string(catalogue.currency)]
        case "imageprograf.currency": return [.string(programme.currency)]
        case "imageprograf.product_lines[].models[]": return strings(programme.productLines.flatMap(\.models))
        case "imageprograf.ecarepak.terms_months": return programme.eCarePak.termsMonths.map { .int($0) }
        case "services[].id": return strings(catalogue.services.map(\.id))
        case "add_ons[].id": return strings(catalogue.addOns.map(\.id))
        default: return nil
        }
    }

    private static func strings(_ values: [String]) -> [JSONValue] { values.map(JSONValue.string) }

    /// `value` with the `enum` of every object marked `x-catalogue` replaced.
    static func filled(_ value: JSONValue, from catalogue: Catalogue) -> JSONValue {
        switch value {
        case .array(let items):
            return .array(items.map { filled($0, from: catalogue) })
        case .object(let members):
            let list = members.first { $0.0 == "x-catalogue" }.flatMap { member -> [JSONValue]? in
                guard case .string(let key) = member.1 else { return nil }
                return catalogueList(key, catalogue)
            }
            return .object(members.map { name, member in
                if name == "enum", let list { return (name, .array(list)) }
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

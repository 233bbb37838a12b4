/// How a dealer's spelling of an office MFP model is matched to the
/// catalogue. The service description names families by model number
/// ("IR ADV C3xxx", "IRC 13x5") and dealers write the same machine as
/// "imageRUNNER ADVANCE DX C3826i", "iR-ADV C3826i" or "c3826i": the model
/// number identifies the machine, the brand words do not.
///
/// The rule, applied alike to the catalogue's names and to the dealer's:
/// 1. letters are compared without case; spaces, '-', '_', '.' and '/' only
///    separate words;
/// 2. the brand words are optional: a leading "Canon", then "imageRUNNER" or
///    "iR", then "ADVANCE" or "ADV", then the generation mark "DX";
/// 3. a trailing word II, III or IV is Canon's generation of the same model
///    number ("C3530i III") and stays a separate word, so "C3530i II" and
///    "C3530i III" remain different models.
/// The catalogue loader refuses two models with the same key, so a key
/// always names one model.
public enum ModelName {
    static let brandWords = [["canon"], ["imagerunner", "ir"], ["advance", "adv"], ["dx"]]
    static let generations: Set<String> = ["ii", "iii", "iv"]
    /// A set, not a string: `String.contains` with Foundation imported searches through ICU.
    static let separators: Set<Character> = ["-", "_", ".", "/"]

    /// The comparison key of a model name, e.g. "c3530i iii" for
    /// "imageRUNNER ADVANCE C3530i III"; empty when no model number is left.
    public static func key(_ name: String) -> String {
        var words = name.lowercased().split { $0.isWhitespace || separators.contains($0) }.map(String.init)
        var generation: String?
        if words.count > 1, let last = words.last, generations.contains(last) {
            generation = last
            words.removeLast()
        }
        var number = Substring(words.joined())
        for alternatives in brandWords {
            if let word = alternatives.first(where: { number.hasPrefix($0) }) { number = number.dropFirst(word.count) }
        }
        guard !number.isEmpty else { return "" }
        return generation.map { "\(number) \($0)" } ?? String(number)
    }

    /// How near a served model is to an unknown one: fewest edits first; at
    /// equal edits a model number with as many digits wins, since the
    /// seed's patterns keep the digit count (C35x has three, C3xxx four).
    struct Nearness: Comparable {
        let edits: Int
        let otherDigitCount: Bool

        static func < (a: Self, b: Self) -> Bool {
            (a.edits, a.otherDigitCount ? 1 : 0) < (b.edits, b.otherDigitCount ? 1 : 0)
        }
    }

    /// Edits (insert, delete, replace one character) turning one key into
    /// the other: how near an unknown model is to a served one.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// The outcome of looking a dealer's model name up in the catalogue.
public enum ModelResolution: Sendable {
    /// The family and the model's name as the catalogue spells it, which is
    /// what is stored on the device.
    case known(ModelFamily, canonicalName: String)
    /// No served model has this key; `closest` are the families holding the
    /// nearest models (`ModelName.Nearness`), when those are at most
    /// `ModelResolution.nearDistance` edits away, else empty.
    case unknown(given: String, closest: [ModelFamily], all: [ModelFamily])

    /// Up to this many edits away a model counts as near ("C3526i" is one
    /// edit from "C3525i"); further away no family is suggested as closest.
    public static let nearDistance = 2

    /// The 422 message for an unknown model.
    public var problem: String? {
        guard case .unknown(let given, let closest, let all) = self else { return nil }
        let names = { (families: [ModelFamily]) in families.map { "\($0.name) (\($0.id))" }.joined(separator: ", ") }
        if closest.isEmpty {
            return "unknown model \(given); no family serves a similar model number; families served: \(names(all)); see GET /v1/catalogue"
        }
        return "unknown model \(given); closest families: \(names(closest)); see GET /v1/catalogue for the models served"
    }
}

extension Catalogue {
    /// The family and canonical name of a model written in any of the
    /// spellings `ModelName` accepts.
    public func resolve(model: String) -> ModelResolution {
        let wanted = ModelName.key(model)
        // A known model (every registration but a typo) costs key comparisons only, no edit distances.
        for family in modelFamilies {
            if let index = family.modelKeys.firstIndex(of: wanted) { return .known(family, canonicalName: family.models[index]) }
        }
        let digits = wanted.filter(\.isNumber).count
        var best: (nearness: ModelName.Nearness, families: [ModelFamily]) = (.init(edits: .max, otherDigitCount: true), [])
        for family in modelFamilies {
            var nearest = ModelName.Nearness(edits: .max, otherDigitCount: true)
            for key in family.modelKeys {
                nearest = min(nearest, .init(edits: ModelName.editDistance(wanted, key), otherDigitCount: key.filter(\.isNumber).count != digits))
            }
            if nearest < best.nearness { best = (nearest, [family]) } else if nearest == best.nearness { best.families.append(family) }
        }
        let closest = best.nearness.edits <= ModelResolution.nearDistance ? best.families : []
        return .unknown(given: model, closest: closest, all: modelFamilies)
    }
}

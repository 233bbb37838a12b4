import Testing
@testable import ServiceCore

/// Model names as dealers write them, against the family the service
/// description's pattern puts them in (IRC 13x5, IR ADV C25x/C35x/C351,
/// C3xxx, C5x35/40, C5x50/55/60) and the name Canon gives them.
@Suite struct ModelNameTests {
    static let catalogue = try! CatalogueLoader.load(path: CatalogueTests.path)

    static let table: [(written: String, family: String, canonical: String)] = [
        // IRC 13x5
        ("imageRUNNER C1325iF", "irc-13x5", "imageRUNNER C1325iF"),
        ("IRC1325iF", "irc-13x5", "imageRUNNER C1325iF"),
        ("iR C1335iF", "irc-13x5", "imageRUNNER C1335iF"),
        ("Canon imageRUNNER C1335IF", "irc-13x5", "imageRUNNER C1335iF"),
        // IR ADV C25x/C35x/C351
        ("imageRUNNER ADVANCE C250i", "iradv-c25x-c35x-c351", "imageRUNNER ADVANCE C250i"),
        ("iR-ADV C350i", "iradv-c25x-c35x-c351", "imageRUNNER ADVANCE C350i"),
        ("IR ADV C351iF", "iradv-c25x-c35x-c351", "imageRUNNER ADVANCE C351iF"),
        ("imagerunner advance c255i", "iradv-c25x-c35x-c351", "imageRUNNER ADVANCE C255i"),
        ("iRADV C355i", "iradv-c25x-c35x-c351", "imageRUNNER ADVANCE C355i"),
        ("imageRUNNER ADVANCE C256i", "iradv-c25x-c35x-c351", "imageRUNNER ADVANCE C256i"),
        ("iR ADV C356i", "iradv-c25x-c35x-c351", "imageRUNNER ADVANCE C356i"),
        ("imageRUNNER ADVANCE DX C257i", "iradv-c25x-c35x-c351", "imageRUNNER ADVANCE DX C257i"),
        ("iR-ADV C357i", "iradv-c25x-c35x-c351", "imageRUNNER ADVANCE DX C357i"),
        // IR ADV C3xxx
        ("imageRUNNER ADVANCE C3320i", "iradv-c3xxx", "imageRUNNER ADVANCE C3320i"),
        ("iR-ADV C3325i", "iradv-c3xxx", "imageRUNNER ADVANCE C3325i"),
        ("IR ADV C3330I", "iradv-c3xxx", "imageRUNNER ADVANCE C3330i"),
        ("imageRUNNER ADVANCE C3520i", "iradv-c3xxx", "imageRUNNER ADVANCE C3520i"),
        ("imageRUNNER ADVANCE C3525i II", "iradv-c3xxx", "imageRUNNER ADVANCE C3525i II"),
        ("iR-ADV C3530i III", "iradv-c3xxx", "imageRUNNER ADVANCE C3530i III"),
        ("ir adv c3520i-ii", "iradv-c3xxx", "imageRUNNER ADVANCE C3520i II"),
        ("imageRUNNER ADVANCE C3720i", "iradv-c3xxx", "imageRUNNER ADVANCE C3720i"),
        ("iR ADV C3725i", "iradv-c3xxx", "imageRUNNER ADVANCE C3725i"),
        ("IR-ADV C3730i", "iradv-c3xxx", "imageRUNNER ADVANCE C3730i"),
        ("imageRUNNER ADVANCE DX C3822i", "iradv-c3xxx", "imageRUNNER ADVANCE DX C3822i"),
        ("IR-ADV C3826i", "iradv-c3xxx", "imageRUNNER ADVANCE DX C3826i"),
        ("imagerunner advance c3826i", "iradv-c3xxx", "imageRUNNER ADVANCE DX C3826i"),
        ("iR ADV C3826i", "iradv-c3xxx", "imageRUNNER ADVANCE DX C3826i"),
        ("  iR   ADV  DX   C3830i ", "iradv-c3xxx", "imageRUNNER ADVANCE DX C3830i"),
        ("C3835i", "iradv-c3xxx", "imageRUNNER ADVANCE DX C3835i"),
        // IR ADV C5x35/40
        ("imageRUNNER ADVANCE C5235i", "iradv-c5x35-40", "imageRUNNER ADVANCE C5235i"),
        ("iR-ADV C5240i", "iradv-c5x35-40", "imageRUNNER ADVANCE C5240i"),
        ("imageRUNNER ADVANCE C5535i", "iradv-c5x35-40", "imageRUNNER ADVANCE C5535i"),
        ("IR ADV C5540i III", "iradv-c5x35-40", "imageRUNNER ADVANCE C5540i III"),
        ("iR-ADV C5535i II", "iradv-c5x35-40", "imageRUNNER ADVANCE C5535i II"),
        ("imageRUNNER ADVANCE DX C5735i", "iradv-c5x35-40", "imageRUNNER ADVANCE DX C5735i"),
        ("iR ADV C5740i", "iradv-c5x35-40", "imageRUNNER ADVANCE DX C5740i"),
        ("IR-ADV DX C5840i", "iradv-c5x35-40", "imageRUNNER ADVANCE DX C5840i"),
        // IR ADV C5x50/55/60
        ("imageRUNNER ADVANCE C5250", "iradv-c5x50-55-60", "imageRUNNER ADVANCE C5250"),
        ("iR-ADV C5255", "iradv-c5x50-55-60", "imageRUNNER ADVANCE C5255"),
        ("imageRUNNER ADVANCE C5255i", "iradv-c5x50-55-60", "imageRUNNER ADVANCE C5255i"),
        ("imageRUNNER ADVANCE C5550i", "iradv-c5x50-55-60", "imageRUNNER ADVANCE C5550i"),
        ("imagerunner advance c5560I", "iradv-c5x50-55-60", "imageRUNNER ADVANCE C5560i"),
        ("iR ADV C5560i II", "iradv-c5x50-55-60", "imageRUNNER ADVANCE C5560i II"),
        ("IR-ADV C5550i III", "iradv-c5x50-55-60", "imageRUNNER ADVANCE C5550i III"),
        ("imageRUNNER ADVANCE DX C5750i", "iradv-c5x50-55-60", "imageRUNNER ADVANCE DX C5750i"),
        ("iR-ADV C5760i", "iradv-c5x50-55-60", "imageRUNNER ADVANCE DX C5760i"),
        ("iR ADV DX C5850i", "iradv-c5x50-55-60", "imageRUNNER ADVANCE DX C5850i"),
        ("imagerunner advance dx c5860i", "iradv-c5x50-55-60", "imageRUNNER ADVANCE DX C5860i"),
    ]

    @Test func tableIsLargeEnough() { #expect(Self.table.count >= 40) }

    @Test(arguments: Self.table.map(\.written))
    func everySpellingResolvesToItsFamily(_ written: String) throws {
        let row = try #require(Self.table.first { $0.written == written })
        guard case .known(let family, let canonical) = Self.catalogue.resolve(model: written) else {
            Issue.record("\(written) unknown")
            return
        }
        #expect(family.id == row.family)
        #expect(canonical == row.canonical)
    }

    @Test func everyCatalogueModelResolvesToItself() {
        for family in Self.catalogue.modelFamilies {
            for model in family.models {
                guard case .known(let found, let name) = Self.catalogue.resolve(model: model) else { Issue.record("\(model)"); continue }
                #expect(found.id == family.id && name == model)
            }
        }
    }

    @Test func keysKeepTheGenerationApart() {
        #expect(ModelName.key("imageRUNNER ADVANCE C3530i") == "c3530i")
        #expect(ModelName.key("iR-ADV C3530i II") == "c3530i ii")
        #expect(ModelName.key("IR ADV C3530i III") == "c3530i iii")
        #expect(ModelName.key("imageRUNNER ADVANCE DX") == "")
    }

    /// Unknown models: the families holding a model at most two edits away.
    @Test(arguments: [
        // C5870i: 'c5870i' is one edit from c5840i (C5x35/40) and c5850i/c5860i (C5x50/55/60).
        ("imageRUNNER ADVANCE DX C5870i", ["iradv-c5x35-40", "iradv-c5x50-55-60"]),
        // C3526i: one edit from c3525i, c3520i, c3826i (C3xxx) and from c356i (C25x/C35x), which has
        // three digits, not four: only C3xxx is named.
        ("iR-ADV C3526i", ["iradv-c3xxx"]),
        // C1225iF: one edit from c1325if (IRC 13x5); the nearest elsewhere (c1325if is the only c1...) is further.
        ("imageRUNNER C1225iF", ["irc-13x5"]),
        // C5560 without 'i': one edit from c5560i (C5x50/55/60) and c5540i... is two; c5560i wins alone.
        ("imageRUNNER ADVANCE C5560", ["iradv-c5x50-55-60"]),
        // C250: one edit from c250i, same digit count: C25x.
        ("iR-ADV C250", ["iradv-c25x-c35x-c351"]),
        // Nothing within two edits: no family is called close.
        ("LaserJet 4", []),
        ("imageRUNNER ADVANCE", []),
    ])
    func unknownModelsNameTheClosestFamilies(_ written: String, _ closest: [String]) {
        guard case .unknown(_, let families, let all) = Self.catalogue.resolve(model: written) else {
            Issue.record("\(written) resolved")
            return
        }
        #expect(families.map(\.id) == closest)
        #expect(all.count == 5)
        let problem = Self.catalogue.resolve(model: written).problem ?? ""
        #expect(problem.contains(written))
        for id in closest { #expect(problem.contains(id)) }
        if closest.isEmpty { #expect(problem.contains("families served")) }
    }

    @Test func editDistanceCountsSingleCharacterEdits() {
        #expect(ModelName.editDistance("c3526i", "c3525i") == 1)
        #expect(ModelName.editDistance("c5560", "c5560i") == 1)
        #expect(ModelName.editDistance("", "abc") == 3)
        #expect(ModelName.editDistance("kitten", "sitting") == 3)
    }
}

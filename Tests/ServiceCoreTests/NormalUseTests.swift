import Foundation
import ServiceJSON
import Testing
@testable import ServiceCore

/// "Normal use": a monthly average up to the rated duty, over the contract
/// period, not per month, and no limit under Premium.
@Suite struct NormalUseTests {
    typealias B = BillingCalculatorTests

    static func assess(_ contract: Contract, through: String, a4: Int, rating: (Int, String) = (20_000, "family")) -> NormalUse? {
        NormalUse.assess(contracts: [contract], through: B.d(through), ratedDuty: rating, unlimited: { $0 == .premium }) { _, _ in
            Usage(counters: MeterCounters(bwA4: a4, bwA3: 0, colourA4: 0, colourA3: 0, bannerBW: 0, bannerColour: 0), estimated: false)
        }
    }

    // 1 January to 15 March: 1 + 1 + 15/31 = 2.4839 months. 60 000 A4 pages:
    // 60 000 / 2.4839 = 24 155.8 -> 24 156 a month, above the family's 20 000.
    @Test func theAverageOverTheContractPeriodIsJudged() throws {
        let use = try #require(Self.assess(B.contract(), through: "2026-03-15", a4: 60_000))
        #expect(use.from == B.d("2026-01-01") && use.through == B.d("2026-03-15"))
        #expect(use.json["months"]?.encoded() == "\"2.4839\"")
        #expect(use.averageMonthlyA4 == 24_156)
        #expect(use.aboveRatedDuty == true)
        // 40 000 over January and February is 20 000 a month: at the rating, not above it.
        #expect(Self.assess(B.contract(), through: "2026-02-28", a4: 40_000)?.aboveRatedDuty == false)
        // A contract ending earlier is judged up to its last day.
        #expect(Self.assess(B.contract(terminated: "2026-01-31"), through: "2026-06-30", a4: 20_001)?.through == B.d("2026-01-31"))
    }

    @Test func premiumHasNoPageVolumeLimit() throws {
        let use = try #require(Self.assess(B.contract(tiers: [("2026-01-01", .standard), ("2026-03-01", .premium)]), through: "2026-03-15", a4: 600_000))
        #expect(use.isLimit == false && use.aboveRatedDuty == nil)
        #expect(use.json["above_rated_duty"]?.encoded() == "null")
        #expect(Self.assess(B.contract("c", "2026-04-01", "2027-03-31"), through: "2026-03-15", a4: 1) == nil)  // no contract yet
    }

    @Test func aModelsOwnRatingWinsOverItsFamilys() throws {
        let text = try String(contentsOfFile: CatalogueTests.path, encoding: .utf8)
        func load(_ ratings: String) throws -> Catalogue {
            let edited = text.replacingOccurrences(of: #""rated_monthly_duty": 20000,"#,
                                                   with: #""rated_monthly_duty": 20000, "rated_monthly_duty_by_model": \#(ratings),"#)
            return try CatalogueLoader.parse(try JSONParser.parse(Array(edited.utf8)))
        }
        let family = try #require(try load(#"{"imageRUNNER ADVANCE C3530i": 30000}"#).family(id: "iradv-c3xxx"))
        #expect(family.ratedDuty(model: "imageRUNNER ADVANCE C3530i") == (30_000, "model"))
        #expect(family.ratedDuty(model: "iR-ADV C3530i").duty == 30_000)
        #expect(family.ratedDuty(model: "imageRUNNER ADVANCE C3520i") == (20_000, "family"))
        for (ratings, field) in [(#"{"imageRUNNER ADVANCE C5540i": 1}"#, "model_families[2].rated_monthly_duty_by_model.imageRUNNER ADVANCE C5540i"),
                                 (#"{"imageRUNNER ADVANCE C3530i": 0}"#, "model_families[2].rated_monthly_duty_by_model.imageRUNNER ADVANCE C3530i")] {
            do {
                _ = try load(ratings)
                Issue.record("accepted \(ratings)")
            } catch {
                let issues = (error as? ValidationFailure)?.issues ?? []
                #expect(issues.map(\.field).contains(field), "\(issues)")
            }
        }
    }
}

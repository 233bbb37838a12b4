import Foundation
import ServiceJSON

/// The prices, caps and rates a stored run billed a year at, kept with the
/// year, so that a closed year keeps them: a catalogue whose figures differ
/// from them on any day of a billed year is refused (at start-up of `serve`
/// and `bill`, and by a run), naming the year; a change dated after the
/// year leaves it alone. Only figures both sides know are compared: a
/// family or add-on added since is no change to a billed year.
public enum BilledPrices {
    /// The catalogue would re-price a billed year.
    public struct Changed: Error, Sendable, CustomStringConvertible {
        public let year: Int
        public let runID: String
        /// Each figure that differs, with the day it differs from.
        public let differences: [String]

        public var description: String {
            "the catalogue changes prices of \(year) (\(year)-01-01 through \(year)-12-31), already billed by run \(runID): "
                + differences.joined(separator: "; ")
                + "; a closed year keeps its prices: date the change after it (price_versions[].effective_from \(year + 1)-01-01 or later)"
        }
    }

    /// Days of a year under one set of figures.
    struct Piece: Equatable {
        let from: LocalDate
        let through: LocalDate
        /// `hourly_rate_minor`, `model_families.<id>.<field>`, `add_ons.<id>.price_per_hour_minor`.
        let figures: [String: Int]
    }

    /// The year split where a figure changes (versions that change nothing
    /// in it, or only names, leave it whole).
    static func schedule(_ prices: PriceList, year: Int) -> [Piece] {
        var out: [Piece] = []
        for piece in prices.pieces(from: LocalDate(year: year, month: 1, day: 1)!, through: LocalDate(year: year, month: 12, day: 31)!) {
            let figures = flat(prices.versions[piece.version].terms)
            if let last = out.last, last.figures == figures {
                out[out.count - 1] = Piece(from: last.from, through: piece.through, figures: figures)
            } else {
                out.append(Piece(from: piece.from, through: piece.through, figures: figures))
            }
        }
        return out
    }

    static func flat(_ terms: PriceTerms) -> [String: Int] {
        var figures = ["hourly_rate_minor": terms.hourlyRateMinor]
        for (id, family) in terms.families {
            let path = "model_families.\(id)."
            figures[path + "colour_cap_per_month"] = family.colourCapPerMonth
            figures[path + "colour_click_price_minor"] = family.colourClickPriceMinor
            figures[path + "banner_click_price_minor"] = family.bannerClickPriceMinor
            for (channel, price) in family.cartridgePriceMinor { figures[path + "cartridges.\(channel.rawValue).price_minor"] = price }
        }
        for (id, price) in terms.addOns { figures["add_ons.\(id).price_per_hour_minor"] = price }
        return figures
    }

    static func json(_ schedule: [Piece]) -> JSONValue {
        .array(schedule.map { piece in
            .object([
                ("from", .string(piece.from.description)), ("through", .string(piece.through.description)),
                ("figures", .object(piece.figures.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ])
        })
    }

    static func decode(_ text: String) -> [Piece]? {
        guard case .array(let items)? = try? JSONParser.parse(Array(text.utf8)) else { return nil }
        var out: [Piece] = []
        for item in items {
            guard case .string(let from)? = item["from"], case .string(let through)? = item["through"],
                  let from = LocalDate(from), let through = LocalDate(through),
                  case .object(let members)? = item["figures"] else { return nil }
            var figures: [String: Int] = [:]
            for (key, value) in members {
                guard case .int(let number) = value else { return nil }
                figures[key] = number
            }
            out.append(Piece(from: from, through: through, figures: figures))
        }
        return out
    }

    /// Each figure known to both that differs on some day, from the first such day.
    static func differences(billed: [Piece], now: [Piece]) -> [String] {
        func figures(_ pieces: [Piece], on day: LocalDate) -> [String: Int] {
            pieces.first { $0.from <= day && day <= $0.through }?.figures ?? [:]
        }
        let days = Set(billed.map(\.from) + now.map(\.from)).sorted()
        var seen = Set<String>()
        var out: [String] = []
        for day in days {
            let before = figures(billed, on: day), after = figures(now, on: day)
            for (key, was) in before.sorted(by: { $0.key < $1.key }) {
                guard let now = after[key], now != was, seen.insert(key).inserted else { continue }
                out.append("\(key) was \(was), is \(now) from \(day)")
            }
        }
        return out
    }

    /// Every billed year against `prices`; years billed before prices were
    /// kept are taken to have been billed at `prices` and recorded so.
    public static func verify(_ connection: Connection, prices: PriceList) throws {
        for row in try connection.fetchAll("""
            SELECT r.year, min(r.id) FROM billing_runs r
            WHERE r.status = 'completed' AND NOT EXISTS (SELECT 1 FROM billed_prices p WHERE p.year = r.year)
            GROUP BY r.year
            """) {
            try record(connection, prices: prices, year: try row.get(0), runID: try row.get(1))
        }
        for row in try connection.fetchAll("SELECT year FROM billed_prices ORDER BY year") {
            try verify(connection, prices: prices, year: try row.get(0))
        }
    }

    /// One year against `prices`, if it was billed.
    static func verify(_ connection: Connection, prices: PriceList, year: Int) throws {
        guard let row = try connection.fetchOne("SELECT run_id, schedule FROM billed_prices WHERE year = ?", [year]) else { return }
        let runID: String = try row.get(0)
        guard let billed = decode(try row.get(1)) else {
            throw Changed(year: year, runID: runID, differences: ["the prices recorded for it cannot be read"])
        }
        let differences = differences(billed: billed, now: schedule(prices, year: year))
        if !differences.isEmpty { throw Changed(year: year, runID: runID, differences: differences) }
    }

    /// Keeps the year's prices with its first completed run (later runs bill at the same ones).
    static func record(_ connection: Connection, prices: PriceList, year: Int, runID: String) throws {
        try connection.execute(
            "INSERT OR IGNORE INTO billed_prices (year, run_id, schedule, recorded_at) VALUES (?, ?, ?, ?)",
            [year, runID, json(schedule(prices, year: year)).encoded(), Timestamp.now()]
        )
    }
}

/// One page of a list ordered by id, and where the next one starts.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    /// The id after which the next page starts; nil on the last page.
    public let nextAfter: String?

    /// Builds a page from up to `limit + 1` rows: the extra row only tells
    /// that there is more.
    public init(rows: [Item], limit: Int, id: (Item) -> String) {
        var rows = rows
        nextAfter = Self.cut(&rows, limit: limit, id: id)
        items = rows
    }

    /// Cuts `rows` (up to `limit + 1`) to the page in place, not copied into
    /// a new array, and returns the id after which the next page starts.
    public static func cut(_ rows: inout [Item], limit: Int, id: (Item) -> String) -> String? {
        guard rows.count > limit else { return nil }
        rows.removeLast(rows.count - limit)
        return rows.last.map(id)
    }
}

extension Page {
    /// Every item, fetching page after page, for internal reads that need them all.
    public static func all(pageSize: Int = 500, _ fetch: (PageRequest) throws -> Page<Item>) throws -> [Item] {
        var items: [Item] = []
        var after: String?
        repeat {
            let page = try fetch(PageRequest(limit: pageSize, after: after))
            items += page.items
            after = page.nextAfter
        } while after != nil
        return items
    }
}

/// Paging request: rows with an id greater than `after`, at most `limit`.
public struct PageRequest: Sendable {
    public let limit: Int
    public let after: String?

    public init(limit: Int, after: String?) {
        self.limit = limit
        self.after = after
    }
}

extension Page {
    init(items: [Item], nextAfter: String?) {
        self.items = items
        self.nextAfter = nextAfter
    }

    /// The same page with each item turned into another (rows into records).
    public func map<U>(_ transform: (Item) throws -> U) rethrows -> Page<U> {
        Page<U>(items: try items.map(transform), nextAfter: nextAfter)
    }

}

extension Page {
    /// A page of records from up to `limit + 1` rows of a list ordered by the
    /// id in `idColumn` (the extra row only tells that there is more), built
    /// by `assemble` from the page's rows all at once, so that their child
    /// rows are read in one query for the page (`ChildRows`), not one per record.
    static func assembling(rows: [Row], limit: Int, idColumn: Int = 0, _ assemble: ([Row]) throws -> [Item]) throws -> Page<Item> {
        let pageRows = Array(rows.prefix(limit))
        let nextAfter = rows.count > limit ? try pageRows.last?.get(idColumn, as: String.self) : nil
        return Page(items: try assemble(pageRows), nextAfter: nextAfter)
    }
}

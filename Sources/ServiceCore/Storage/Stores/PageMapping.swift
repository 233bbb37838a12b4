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
    /// A page from up to `limit + 1` ids of a list ordered by id, each
    /// loaded whole (a record with its child rows); the extra id only tells
    /// that there is more.
    public static func loading(ids: [String], limit: Int, _ load: (String) throws -> Item?) rethrows -> Page<Item> {
        let pageIDs = Array(ids.prefix(limit))
        return Page(items: try pageIDs.compactMap(load), nextAfter: ids.count > limit ? pageIDs.last : nil)
    }
}

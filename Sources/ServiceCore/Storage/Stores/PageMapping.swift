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

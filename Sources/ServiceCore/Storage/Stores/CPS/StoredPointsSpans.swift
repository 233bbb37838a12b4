import Foundation

/// Reads `cps_members.points_spans` (migration 32): `product completed_on
/// ended_on` for each complete registration, `-` for an open end, joined by
/// `;`. Product ids hold only a-z, 0-9 and `-` (the catalogue's rule), so
/// neither separator can occur in one. Nil for anything else: the caller
/// reports the column as undecodable rather than count a wrong total.
/// Product ids are taken from `productIDs` (the catalogue's) where it has them.
enum StoredPointsSpans {
    private static let space = UInt8(ascii: " ")
    private static let separator = UInt8(ascii: ";")

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, productIDs: InternedStrings = .none) -> [PointsSpan]? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
        // A span is at least 14 bytes and its separator: sized once for the
        // most there can be, not grown span by span.
        var spans: [PointsSpan] = []
        spans.reserveCapacity(bytes.count / 15 + 1)
        var start = 0
        while true {
            let found = memchr(base + start, Int32(separator), bytes.count - start)
            let end = found.map { UnsafeRawPointer(base).distance(to: $0) } ?? bytes.count
            guard let span = span(UnsafeBufferPointer(rebasing: bytes[start..<end]), productIDs) else { return nil }
            spans.append(span)
            if end == bytes.count { return spans }
            start = end + 1
        }
    }

    /// `product YYYY-MM-DD YYYY-MM-DD` or `product YYYY-MM-DD -`: the dates
    /// have fixed widths, so the product is all before the last 13 or 22 bytes.
    private static func span(_ field: UnsafeBufferPointer<UInt8>, _ productIDs: InternedStrings) -> PointsSpan? {
        let open = field.count > 13 && field[field.count - 2] == space && field[field.count - 1] == UInt8(ascii: "-")
        let gap = field.count - (open ? 13 : 22)
        guard gap > 0, field[gap] == space, field[gap + 11] == space,
              let completed = LocalDate(utf8: UnsafeBufferPointer(rebasing: field[(gap + 1)..<(gap + 11)])) else { return nil }
        var ended: LocalDate?
        if !open {
            guard let date = LocalDate(utf8: UnsafeBufferPointer(rebasing: field[(gap + 12)...])) else { return nil }
            ended = date
        }
        let product = UnsafeBufferPointer(rebasing: field[..<gap])
        guard !product.contains(space) else { return nil }
        return PointsSpan(productID: productIDs.string(utf8: product), completedOn: completed, endedOn: ended)
    }
}

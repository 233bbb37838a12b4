/// Reads `cps_members.points_spans` (migration 32): `product completed_on
/// ended_on` for each complete registration, `-` for an open end, joined by
/// `;`. Product ids hold only a-z, 0-9 and `-` (the catalogue's rule), so
/// neither separator can occur in one. Nil for anything else: the caller
/// reports the column as undecodable rather than count a wrong total.
enum StoredPointsSpans {
    private static let space = UInt8(ascii: " ")
    private static let separator = UInt8(ascii: ";")

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [PointsSpan]? {
        guard !bytes.isEmpty else { return [] }
        var spans: [PointsSpan] = []
        var start = 0
        while true {
            let end = bytes[start...].firstIndex(of: separator) ?? bytes.count
            guard let span = span(UnsafeBufferPointer(rebasing: bytes[start..<end])) else { return nil }
            spans.append(span)
            if end == bytes.count { return spans }
            start = end + 1
        }
    }

    /// `product YYYY-MM-DD YYYY-MM-DD` or `product YYYY-MM-DD -`.
    private static func span(_ field: UnsafeBufferPointer<UInt8>) -> PointsSpan? {
        guard let gap = field.firstIndex(of: space), gap > 0 else { return nil }
        let dates = UnsafeBufferPointer(rebasing: field[(gap + 1)...])
        guard dates.count == 12 || dates.count == 21, dates[10] == space,
              let completed = LocalDate(utf8: UnsafeBufferPointer(rebasing: dates[..<10])) else { return nil }
        var ended: LocalDate?
        if dates.count == 21 {
            guard let date = LocalDate(utf8: UnsafeBufferPointer(rebasing: dates[11...])) else { return nil }
            ended = date
        } else if dates[11] != UInt8(ascii: "-") {
            return nil
        }
        let product = String(decoding: UnsafeBufferPointer(rebasing: field[..<gap]), as: UTF8.self)
        return PointsSpan(productID: product, completedOn: completed, endedOn: ended)
    }
}

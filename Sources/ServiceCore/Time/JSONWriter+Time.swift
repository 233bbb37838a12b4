import Foundation
import ServiceJSON

/// Instants and dates as the API prints them (`RFC3339.format`,
/// `LocalDate.description`), written in place.
extension JSONWriter {
    public mutating func member(_ name: StaticString, _ instant: Date?) {
        key(name)
        guard let instant else { return null() }
        unescapedString { RFC3339.write(instant, to: &$0) }
    }

    public mutating func member(_ name: StaticString, _ date: LocalDate?) {
        key(name)
        guard let date else { return null() }
        string(date.description)
    }
}

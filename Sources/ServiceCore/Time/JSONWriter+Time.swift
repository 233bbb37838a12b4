import Foundation
import ServiceJSON

/// Instants and dates as the API prints them (`RFC3339.format`,
/// `LocalDate.description`), written in place: a page of service requests
/// prints a dozen instants per request.
extension JSONWriter {
    public mutating func member(_ name: StaticString, _ instant: Date?) {
        key(name)
        guard let instant else { return null() }
        // Years without four digits have no RFC 3339 form: written as `format` writes them.
        if !unescapedString(maxLength: RFC3339.length, { RFC3339.write(instant, into: $0) }) { string(RFC3339.format(instant)) }
    }

    public mutating func member(_ name: StaticString, _ date: LocalDate?) {
        key(name)
        guard let date else { return null() }
        if !unescapedString(maxLength: 10, { (0...9999).contains(date.year) ? date.write(into: $0, at: 0) : nil }) { string(date.description) }
    }
}

import ServiceJSON

/// Reads the members of a JSON object by name and type, recording an issue
/// with the member's full path for every absent, mistyped or out-of-range
/// value instead of stopping at the first. `finish()` reports members that
/// were never read: for request bodies an unknown field is an error, since
/// a typo must not be silently ignored.
public final class ObjectReader {
    public let path: String
    public let issues: ValidationIssues
    private let members: [(String, JSONValue)]
    /// Per member, whether it was read; positional, since objects are small.
    private var read: [Bool]

    /// Nil (with an issue recorded) when the value is not an object.
    public init?(_ value: JSONValue, path: String = "", issues: ValidationIssues) {
        self.path = path
        self.issues = issues
        guard case .object(let members) = value else {
            issues.add(path.isEmpty ? "body" : path, "must be a JSON object")
            return nil
        }
        self.members = members
        read = Array(repeating: false, count: members.count)
    }

    public func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func contains(_ key: String) -> Bool { members.contains { $0.0 == key } }

    /// The member names, in document order (for objects keyed by id).
    public var keys: [String] { members.map(\.0) }

    /// The raw member; records "is required" when absent and required.
    public func value(_ key: String, required: Bool) -> JSONValue? {
        guard let position = members.firstIndex(where: { $0.0 == key }) else {
            if required { issues.add(field(key), "is required") }
            return nil
        }
        read[position] = true
        let value = members[position].1
        if case .null = value {
            if required { issues.add(field(key), "is required") }
            return nil
        }
        return value
    }

    public func string(_ key: String, required: Bool = true, maxLength: Int = 200) -> String? {
        guard let value = value(key, required: required) else { return nil }
        return text(value, field: field(key), maxLength: maxLength)
    }

    /// A string taken exactly as sent (a URL): surrounding white space is
    /// refused rather than trimmed, so its length is the length sent, as
    /// JSON Schema's `maxLength` counts it.
    public func exactString(_ key: String, required: Bool = true, maxLength: Int = 200) -> String? {
        guard let value = value(key, required: required) else { return nil }
        if case .string(let raw) = value, raw.trimmingWhitespace() != raw {
            issues.add(field(key), "must not begin or end with white space")
            return nil
        }
        return text(value, field: field(key), maxLength: maxLength)
    }

    /// A string value, trimmed, non-empty, at most `maxLength` code points and
    /// free of control characters; nil with an issue under `field` otherwise.
    /// One rule for single fields and for the elements of string arrays.
    private func text(_ value: JSONValue, field: String, maxLength: Int) -> String? {
        guard case .string(let text) = value else {
            issues.add(field, "must be a string, got \(value.kindName)")
            return nil
        }
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            issues.add(field, "must not be empty")
            return nil
        }
        // Unicode code points, as JSON Schema's maxLength counts them and the
        // OpenAPI document states every limit: counting graphemes accepted an
        // e-mail of 254 graphemes but more code points (schemathesis). A
        // string with no more bytes than the limit cannot have more.
        guard trimmed.utf8.count <= maxLength || trimmed.unicodeScalars.count <= maxLength else {
            issues.add(field, "must be at most \(maxLength) characters")
            return nil
        }
        guard !trimmed.containsControlCharacters else {
            issues.add(field, "must not contain control characters")
            return nil
        }
        return trimmed
    }

    public func int(_ key: String, required: Bool = true, range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        guard let value = value(key, required: required) else { return nil }
        let number: Int
        switch value {
        case .int(let integer):
            number = integer
        // JSON has one number type: 2026.0 and 2.026e3 are the integer 2026
        // (as JSON Schema's "integer" says), and an integral number beyond
        // 64 bits is out of the field's range rather than not an integer.
        case .double(let double) where double.isFinite && double.rounded(.towardZero) == double:
            guard let integer = Int(exactly: double) else {
                issues.add(field(key), "must be between \(range.lowerBound) and \(range.upperBound)")
                return nil
            }
            number = integer
        default:
            issues.add(field(key), "must be an integer, got \(value.kindName)")
            return nil
        }
        guard range.contains(number) else {
            issues.add(field(key), Self.rangeMessage(range))
            return nil
        }
        return number
    }

    public func bool(_ key: String, required: Bool = true) -> Bool? {
        guard let value = value(key, required: required) else { return nil }
        guard case .bool(let flag) = value else {
            issues.add(field(key), "must be true or false, got \(value.kindName)")
            return nil
        }
        return flag
    }

    public func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type, required: Bool = true) -> T?
    where T.RawValue == String {
        guard let text = string(key, required: required) else { return nil }
        guard let choice = T(rawValue: text) else {
            issues.add(field(key), "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return choice
    }

    public func date(_ key: String, required: Bool = true) -> LocalDate? {
        guard let text = string(key, required: required) else { return nil }
        guard let date = LocalDate(text) else {
            issues.add(field(key), "must be a date YYYY-MM-DD")
            return nil
        }
        return date
    }

    public func object(_ key: String, required: Bool = true) -> ObjectReader? {
        guard let value = value(key, required: required) else { return nil }
        return ObjectReader(value, path: field(key), issues: issues)
    }

    public func array(_ key: String, required: Bool = true, maxCount: Int = 1_000) -> [JSONValue]? {
        guard let value = value(key, required: required) else { return nil }
        guard case .array(let items) = value else {
            issues.add(field(key), "must be an array, got \(value.kindName)")
            return nil
        }
        guard items.count <= maxCount else {
            issues.add(field(key), "must have at most \(maxCount) elements")
            return nil
        }
        return items
    }

    public func stringArray(_ key: String, required: Bool = true, maxCount: Int = 1_000, maxLength: Int = 200) -> [String]? {
        guard let items = array(key, required: required, maxCount: maxCount) else { return nil }
        let texts = items.enumerated().map { text($0.element, field: "\(field(key))[\($0.offset)]", maxLength: maxLength) }
        let valid = texts.compactMap { $0 }
        return valid.count == texts.count ? valid : nil
    }

    /// An array of objects, each read by `element` with its own path
    /// (`key[i].member`) and refused for unknown members; nil unless every
    /// element was read.
    public func objectArray<T>(_ key: String, required: Bool = true, maxCount: Int = 1_000,
                               _ element: (ObjectReader) -> T?) -> [T]? {
        guard let items = array(key, required: required, maxCount: maxCount) else { return nil }
        let read = items.enumerated().map { index, item -> T? in
            guard let reader = ObjectReader(item, path: "\(field(key))[\(index)]", issues: issues) else { return nil }
            defer { reader.rejectUnknownFields() }
            return element(reader)
        }
        let valid = read.compactMap { $0 }
        return valid.count == read.count ? valid : nil
    }

    /// Reports members that were never read.
    public func rejectUnknownFields() {
        for (position, (key, _)) in members.enumerated() where !read[position] {
            issues.add(field(key), "unknown field")
        }
    }

    static func rangeMessage(_ range: ClosedRange<Int>) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (0, Int.max): return "must not be negative"
        case (1, Int.max): return "must be positive"
        case (let low, Int.max): return "must be at least \(low)"
        default: return "must be between \(range.lowerBound) and \(range.upperBound)"
        }
    }
}

extension String {
    /// ASCII is checked byte by byte; only other text needs Unicode properties.
    var containsControlCharacters: Bool {
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return false }
        return unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    func trimmingWhitespace() -> String {
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return self }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}

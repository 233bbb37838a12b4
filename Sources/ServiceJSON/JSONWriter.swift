/// Writes JSON text straight into bytes, for the resources a list page holds
/// by the dozen. Building a `JSONValue` first costs an array per object and a
/// boxed value per member, all freed again once written: on the pages of
/// contracts and service requests that tree was a third of the request's CPU.
///
/// Member names are `StaticString`s: the API's snake_case names, written as
/// they are. Values are escaped like `JSONValue` escapes them, so a resource
/// reads the same whichever way it was written.
public struct JSONWriter {
    /// The text so far, taken by `bytes(capacity:_:)`. `@usableFromInline`
    /// so that the writing calls can be inlined into the presenters of other
    /// modules: a page calls them a few thousand times.
    @usableFromInline var buffer: [UInt8]
    /// Whether the next value opens its container (no comma before it), or
    /// follows a member's name.
    @usableFromInline var atStart = true

    @inlinable init(capacity: Int) {
        buffer = []
        buffer.reserveCapacity(capacity)
    }

    /// The bytes of one value written by `body`.
    @inlinable public static func bytes(capacity: Int = 1024, _ body: (inout JSONWriter) throws -> Void) rethrows -> [UInt8] {
        var writer = JSONWriter(capacity: capacity)
        try body(&writer)
        return writer.buffer
    }

    // MARK: Containers

    @inlinable public mutating func object(_ members: (inout JSONWriter) throws -> Void) rethrows {
        try container(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), members)
    }

    @inlinable public mutating func array(_ elements: (inout JSONWriter) throws -> Void) rethrows {
        try container(open: UInt8(ascii: "["), close: UInt8(ascii: "]"), elements)
    }

    /// An array with one element written by `element` per item.
    @inlinable public mutating func array<Items: Sequence>(_ items: Items, _ element: (inout JSONWriter, Items.Element) throws -> Void) rethrows {
        try array { writer in
            for item in items { try element(&writer, item) }
        }
    }

    @inlinable mutating func container(open: UInt8, close: UInt8, _ body: (inout JSONWriter) throws -> Void) rethrows {
        separate()
        buffer.append(open)
        atStart = true
        try body(&self)
        buffer.append(close)
        atStart = false
    }

    /// A member's name; its value is the next thing written.
    @inlinable public mutating func key(_ name: StaticString) {
        separate()
        buffer.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { buffer.append(contentsOf: $0) }
        buffer.append(UInt8(ascii: "\""))
        buffer.append(UInt8(ascii: ":"))
        atStart = true
    }

    @inlinable mutating func separate() {
        if atStart { atStart = false } else { buffer.append(UInt8(ascii: ",")) }
    }

    // MARK: Values

    @inlinable public mutating func string(_ value: String) {
        separate()
        JSONValue.writeString(value, to: &buffer)
    }

    @inlinable public mutating func int(_ value: Int) {
        separate()
        JSONValue.writeInt(value, to: &buffer)
    }

    @inlinable public mutating func bool(_ value: Bool) {
        separate()
        buffer.append(contentsOf: (value ? "true" : "false").utf8)
    }

    @inlinable public mutating func null() {
        separate()
        buffer.append(contentsOf: "null".utf8)
    }

    @inlinable public mutating func value(_ value: JSONValue) {
        separate()
        value.write(to: &buffer)
    }

    /// A string whose bytes `write` appends and which needs no escaping: a
    /// date or an instant formatted in place, never text from outside.
    @inlinable public mutating func unescapedString(_ write: (inout [UInt8]) -> Void) {
        separate()
        buffer.append(UInt8(ascii: "\""))
        write(&buffer)
        buffer.append(UInt8(ascii: "\""))
    }

    // MARK: Members: a name and its value, `null` for a missing optional
    // (a value that is never missing is passed as an optional too: one
    // overload per type, not two)

    @inlinable public mutating func member(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    @inlinable public mutating func member(_ name: StaticString, _ value: Int?) {
        key(name)
        if let value { int(value) } else { null() }
    }

    @inlinable public mutating func member(_ name: StaticString, _ value: Bool?) {
        key(name)
        if let value { bool(value) } else { null() }
    }

    @inlinable public mutating func member(_ name: StaticString, _ value: JSONValue) {
        key(name)
        self.value(value)
    }

    @inlinable public mutating func member(_ name: StaticString, strings: [String]) {
        key(name)
        array(strings) { $0.string($1) }
    }

    /// An array of strings given as their UTF-8 bytes joined by one
    /// separator byte each (never written) and where each string ends: a
    /// contract's thousands of serials. Written in one pass, byte by byte,
    /// straight into the text when none needs escaping, as most never do;
    /// a call per string (a check, a copy) was most of the cost.
    public mutating func member(_ name: StaticString, joinedStrings bytes: UnsafeBufferPointer<UInt8>, ends: [Int]) {
        key(name)
        separate()
        if !ends.isEmpty, let base = bytes.baseAddress, appendPlain(base: base, count: bytes.count, ends: ends) { return }
        var start = 0
        atStart = true
        buffer.append(UInt8(ascii: "["))
        for end in ends {
            precondition(start <= end && end <= bytes.count, "a string ends outside the joined bytes")
            separate()
            JSONValue.writeString(utf8: UnsafeBufferPointer(rebasing: bytes[start..<end]), to: &buffer)
            start = end + 1
        }
        buffer.append(UInt8(ascii: "]"))
        atStart = false
    }

    /// Appends the strings as a JSON array when none has a byte to escape,
    /// and returns whether it did; leaves the text as it was otherwise.
    /// Each string lies after the one before and its separator, so the array
    /// is at most the bytes plus two quotes a string and the brackets.
    private mutating func appendPlain(base: UnsafePointer<UInt8>, count: Int, ends: [Int]) -> Bool {
        let before = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count + 2 * ends.count + 2))
        let written = buffer.withUnsafeMutableBufferPointer { text -> Int? in
            let out = text.baseAddress! + before
            var at = 0
            out[at] = UInt8(ascii: "[")
            at &+= 1
            var start = 0
            for end in ends {
                precondition(start <= end && end <= count, "a string ends outside the joined bytes")
                let string = UnsafeBufferPointer(start: base + start, count: end &- start)
                if JSONValue.needsEscaping(string) { return nil }
                if start > 0 {
                    out[at] = UInt8(ascii: ",")
                    at &+= 1
                }
                out[at] = UInt8(ascii: "\"")
                (out + (at &+ 1)).update(from: base + start, count: string.count)
                at &+= string.count &+ 1
                out[at] = UInt8(ascii: "\"")
                at &+= 1
                start = end &+ 1
            }
            out[at] = UInt8(ascii: "]")
            return at &+ 1
        }
        buffer.removeLast(buffer.count - before - (written ?? 0))
        return written != nil
    }

    @inlinable public mutating func member(_ name: StaticString, _ members: (inout JSONWriter) throws -> Void) rethrows {
        key(name)
        try object(members)
    }

    /// An object written from `value` by `members`, or `null` when there is none.
    @inlinable public mutating func member<Value>(
        _ name: StaticString, _ value: Value?, _ members: (inout JSONWriter, Value) throws -> Void
    ) rethrows {
        key(name)
        if let value { try object { try members(&$0, value) } } else { null() }
    }
}

extension JSONValue {
    /// A value written once by a `JSONWriter`, to be placed in a tree.
    public static func written(capacity: Int = 512, _ body: (inout JSONWriter) throws -> Void) rethrows -> JSONValue {
        .raw(try JSONWriter.bytes(capacity: capacity, body))
    }
}

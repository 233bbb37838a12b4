/// Writes JSON text straight into bytes, for the resources a list page holds
/// by the dozen. Building a `JSONValue` first costs an array per object and a
/// boxed value per member, all freed again once written: on the pages of
/// contracts and service requests that tree was a third of the request's CPU.
///
/// The text grows in memory the writer owns (it cannot be copied, and frees
/// it when done), written through a pointer: appending to an array checked
/// its uniqueness and capacity on every call, and a page makes a few
/// thousand, about 200 instructions for each member's name.
///
/// Member names are `StaticString`s: the API's snake_case names, written as
/// they are. Values are escaped like `JSONValue` escapes them, so a resource
/// reads the same whichever way it was written.
public struct JSONWriter: ~Copyable {
    /// The text so far: `count` bytes of `capacity` at `base`. `@usableFromInline`
    /// so that the writing calls can be inlined into the presenters of other
    /// modules: a page calls them a few thousand times.
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int
    /// Whether the next value opens its container (no comma before it), or
    /// follows a member's name.
    @usableFromInline var atStart = true

    @inlinable init(capacity: Int) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes of one value written by `body`.
    @inlinable public static func bytes(capacity: Int = 1024, _ body: (inout JSONWriter) throws -> Void) rethrows -> [UInt8] {
        var writer = JSONWriter(capacity: capacity)
        try body(&writer)
        return writer.text
    }

    @usableFromInline var text: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    // MARK: Bytes

    /// Room for `more` bytes after the text.
    @inlinable mutating func reserve(_ more: Int) {
        if count &+ more > capacity { grow(to: count + more) }
    }

    @usableFromInline mutating func grow(to needed: Int) {
        let grown = Swift.max(needed, capacity * 2)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = grown
    }

    @inlinable mutating func put(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    @inlinable mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress else { return }
        reserve(bytes.count)
        (base + count).update(from: from, count: bytes.count)
        count &+= bytes.count
    }

    /// Copies `count` bytes with two overlapping loads and stores when they
    /// are few: member names and ids are 2 to 32 bytes, written a few
    /// thousand times a page, and a call to `memcpy` for each was most of
    /// writing a name.
    @inlinable static func copy(_ source: UnsafePointer<UInt8>, _ count: Int, to target: UnsafeMutablePointer<UInt8>) {
        let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(target)
        switch count {
        case 16...32:
            let first = from.loadUnaligned(as: SIMD16<UInt8>.self)
            let last = from.loadUnaligned(fromByteOffset: count &- 16, as: SIMD16<UInt8>.self)
            to.storeBytes(of: first, as: SIMD16<UInt8>.self)
            to.storeBytes(of: last, toByteOffset: count &- 16, as: SIMD16<UInt8>.self)
        case 8..<16:
            let first = from.loadUnaligned(as: UInt64.self), last = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            to.storeBytes(of: first, as: UInt64.self)
            to.storeBytes(of: last, toByteOffset: count &- 8, as: UInt64.self)
        case 4..<8:
            let first = from.loadUnaligned(as: UInt32.self), last = from.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            to.storeBytes(of: first, as: UInt32.self)
            to.storeBytes(of: last, toByteOffset: count &- 4, as: UInt32.self)
        case 1..<4:
            for index in 0..<count { target[index] = source[index] }
        default:
            target.update(from: source, count: count)
        }
    }

    @usableFromInline mutating func put(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { put($0) }
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
        put(open)
        atStart = true
        try body(&self)
        put(close)
        atStart = false
    }

    /// A member's name; its value is the next thing written.
    @inlinable public mutating func key(_ name: StaticString) {
        // Read through its pointer: the closure of `withUTF8Buffer` was not
        // inlined, a call per name. A literal of one scalar has no pointer.
        if name.hasPointerRepresentation {
            key(name.utf8Start, count: name.utf8CodeUnitCount)
        } else {
            name.withUTF8Buffer { key($0.baseAddress!, count: $0.count) }
        }
    }

    @inlinable mutating func key(_ name: UnsafePointer<UInt8>, count length: Int) {
        // One reservation for the comma, the quoted name and the colon.
        reserve(length &+ 4)
        if atStart { atStart = false } else {
            base[count] = UInt8(ascii: ",")
            count &+= 1
        }
        base[count] = UInt8(ascii: "\"")
        Self.copy(name, length, to: base + (count &+ 1))
        count &+= length &+ 1
        base[count] = UInt8(ascii: "\"")
        base[count &+ 1] = UInt8(ascii: ":")
        count &+= 2
        atStart = true
    }

    @inlinable mutating func separate() {
        if atStart { atStart = false } else { put(UInt8(ascii: ",")) }
    }

    // MARK: Values

    @inlinable public mutating func string(_ value: String) {
        separate()
        var value = value
        value.withUTF8 { quoted($0) }
    }

    /// The bytes quoted, escaped where they must be.
    @usableFromInline mutating func quoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard !JSONValue.needsEscaping(utf8) else {
            var escaped: [UInt8] = []
            JSONValue.writeString(utf8: utf8, to: &escaped)
            return put(escaped)
        }
        quotedAsTheyAre(utf8)
    }

    /// The bytes quoted, which the caller knows need no escaping.
    @usableFromInline mutating func quotedAsTheyAre(_ utf8: UnsafeBufferPointer<UInt8>) {
        reserve(utf8.count &+ 2)
        base[count] = UInt8(ascii: "\"")
        if let from = utf8.baseAddress { Self.copy(from, utf8.count, to: base + (count &+ 1)) }
        count &+= utf8.count &+ 1
        base[count] = UInt8(ascii: "\"")
        count &+= 1
    }

    @inlinable public mutating func int(_ value: Int) {
        separate()
        reserve(DecimalDigits.maxCount)
        count &+= DecimalDigits.write(value, into: base + count)
    }

    // Literals, not arrays held in globals: each use of a global checked
    // that it was initialised and went through the array (a page writes a
    // few hundred of them).
    @inlinable public mutating func bool(_ value: Bool) {
        separate()
        value ? put("true") : put("false")
    }

    @inlinable public mutating func null() {
        separate()
        put("null")
    }

    @inlinable mutating func put(_ literal: StaticString) {
        literal.withUTF8Buffer { put($0) }
    }

    @inlinable public mutating func value(_ value: JSONValue) {
        separate()
        if case .raw(let bytes) = value { return put(bytes) }
        var text: [UInt8] = []
        value.write(to: &text)
        put(text)
    }

    /// A string of at most `maxLength` bytes that needs no escaping, written
    /// in place by `write` (which returns how many it wrote, or nil to write
    /// nothing): a date or an instant, never text from outside. Returns
    /// whether it was written.
    @inlinable @discardableResult
    public mutating func unescapedString(maxLength: Int, _ write: (UnsafeMutableBufferPointer<UInt8>) -> Int?) -> Bool {
        let (before, wasAtStart) = (count, atStart)
        separate()
        reserve(maxLength &+ 2)
        base[count] = UInt8(ascii: "\"")
        guard let length = write(UnsafeMutableBufferPointer(start: base + (count &+ 1), count: maxLength)) else {
            (count, atStart) = (before, wasAtStart)
            return false
        }
        precondition(length <= maxLength, "an unescaped string longer than it said")
        count &+= length &+ 1
        base[count] = UInt8(ascii: "\"")
        count &+= 1
        return true
    }

    // MARK: Members: a name and its value, `null` for a missing optional
    // (a value that is never missing is passed as an optional too: one
    // overload per type, not two)

    @inlinable public mutating func member(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    /// An enumeration's case as its raw value, written without the escape
    /// check: raw values are the code's own names (`respond`, `closed`),
    /// never text from outside, and a page writes a few hundred.
    @inlinable public mutating func member<Value: RawRepresentable & CaseIterable>(_ name: StaticString, _ value: Value?)
    where Value.RawValue == String {
        key(name)
        guard let value else { return null() }
        separate()
        var raw = value.rawValue
        raw.withUTF8 { raw in
            assert(!JSONValue.needsEscaping(raw), "an enumeration's raw value that needs escaping")
            quotedAsTheyAre(raw)
        }
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
    /// contract's thousands of serials. Written with one check and one copy
    /// per string straight into the text when none needs escaping, as most
    /// never do.
    public mutating func member(_ name: StaticString, joinedStrings bytes: UnsafeBufferPointer<UInt8>, ends: [Int]) {
        key(name)
        if !ends.isEmpty, let from = bytes.baseAddress, putPlain(from, count: bytes.count, ends: ends) { return }
        var start = 0
        array(ends) { writer, end in
            precondition(start <= end && end <= bytes.count, "a string ends outside the joined bytes")
            writer.separate()
            writer.quoted(UnsafeBufferPointer(rebasing: bytes[start..<end]))
            start = end + 1
        }
    }

    /// Writes the strings as a JSON array when none has a byte to escape,
    /// and returns whether it did; leaves the text as it was otherwise.
    /// Each string lies after the one before and its separator, so the array
    /// is at most the bytes plus two quotes a string and the brackets.
    private mutating func putPlain(_ from: UnsafePointer<UInt8>, count length: Int, ends: [Int]) -> Bool {
        let (before, wasAtStart) = (count, atStart)
        separate()
        reserve(length + 2 * ends.count + 2)
        put(UInt8(ascii: "["))
        var start = 0
        for end in ends {
            precondition(start <= end && end <= length, "a string ends outside the joined bytes")
            let string = UnsafeBufferPointer(start: from + start, count: end &- start)
            if JSONValue.needsEscaping(string) {
                (count, atStart) = (before, wasAtStart)
                return false
            }
            if start > 0 {
                base[count] = UInt8(ascii: ",")
                count &+= 1
            }
            base[count] = UInt8(ascii: "\"")
            (base + (count &+ 1)).update(from: from + start, count: string.count)
            count &+= string.count &+ 1
            base[count] = UInt8(ascii: "\"")
            count &+= 1
            start = end &+ 1
        }
        put(UInt8(ascii: "]"))
        atStart = false
        return true
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

import Foundation
import Glibc
import Testing
@testable import ServiceHTTP
import HTTPTestSupport

/// A connection's queue of bytes to send: a large body goes out behind its
/// head without being copied there, and whatever the transport takes at a
/// time, the peer gets every byte once, in the order they were queued.
@Suite struct OutputQueueTests {
    /// A transport in memory; subclasses say what a write takes.
    class FakeTransport: ConnectionTransport {
        var fileDescriptor: Int32 { -1 }
        var needsHandshake: Bool { false }
        func handshake() -> TransportResult { .bytes(0) }
        var readNeedsWritable: Bool { false }
        var writeNeedsReadable: Bool { false }
        var shortReadDrains: Bool { true }
        func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportResult { .wouldBlock }
        func shutdownOutput() {}
        func close() {}
        func write(_ buffer: UnsafeRawBufferPointer) -> TransportResult { .wouldBlock }
        func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> TransportResult { writeInTurn(first, second) }
    }

    /// Takes at most `limit` bytes a call, refusing every other call
    /// (`.wouldBlock`) as a socket with a full buffer does.
    final class TricklingTransport: FakeTransport {
        var received: [UInt8] = []
        var gatheredWrites = 0
        let limit: Int
        private var refuseNext = false

        init(limit: Int) { self.limit = limit }

        override func write(_ buffer: UnsafeRawBufferPointer) -> TransportResult {
            write(buffer, UnsafeRawBufferPointer(start: nil, count: 0), gathered: false)
        }

        override func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> TransportResult {
            write(first, second, gathered: true)
        }

        private func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, gathered: Bool) -> TransportResult {
            refuseNext.toggle()
            guard refuseNext else { return .wouldBlock }
            if gathered { gatheredWrites += 1 }
            let fromFirst = min(limit, first.count), fromSecond = min(limit - fromFirst, second.count)
            received += first.prefix(fromFirst)
            received += second.prefix(fromSecond)
            return .bytes(fromFirst + fromSecond)
        }
    }

    static func bytes(_ count: Int, from seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
    }

    /// Sends until the queue is empty, as the event loop does on each writable event.
    static func drain(_ queue: inout OutputQueue, into transport: TricklingTransport) {
        var calls = 0
        while !queue.isEmpty {
            _ = queue.send(through: transport)
            calls += 1
            precondition(calls < 1_000_000, "the queue never emptied")
        }
    }

    @Test(arguments: [1, 7, 100, 5_000, 1 << 20])
    func headAndLargeBodyArriveInOrderWhateverTheTransportTakes(limit: Int) {
        let transport = TricklingTransport(limit: limit)
        var queue = OutputQueue()
        let head = Array("HTTP/1.1 200 OK\r\nContent-Length: 40000\r\n\r\n".utf8)
        let body = Self.bytes(40_000, from: 3)
        queue.append(head)
        queue.append(body: body)
        Self.drain(&queue, into: transport)
        #expect(transport.received == head + body)
        #expect(transport.gatheredWrites > 0)  // the body was not copied behind its head
    }

    @Test func bytesQueuedBehindAPartlySentBodyFollowIt() {
        let transport = TricklingTransport(limit: 1_000)
        var queue = OutputQueue()
        let first = Self.bytes(10_000, from: 1), second = Self.bytes(9_000, from: 2)
        queue.append(Array("head one\r\n".utf8))
        queue.append(body: first)
        _ = queue.send(through: transport)  // 1 000 bytes: the head and part of the body
        _ = queue.send(through: transport)  // refused
        #expect(transport.received.count == 1_000)
        // A pipelined response's head and body while the first body is still queued.
        queue.append(Array("head two\r\n".utf8))
        queue.append(body: second)
        queue.append { $0.append(contentsOf: "trailer".utf8) }
        Self.drain(&queue, into: transport)
        #expect(transport.received == Array("head one\r\n".utf8) + first + Array("head two\r\n".utf8) + second + Array("trailer".utf8))
    }

    @Test func smallBodiesAreSentFromOneBuffer() {
        let transport = TricklingTransport(limit: 1 << 20)
        var queue = OutputQueue()
        queue.append(Array("head\r\n".utf8))
        queue.append(body: Array(#"{"status":"ok"}"#.utf8))
        Self.drain(&queue, into: transport)
        #expect(String(decoding: transport.received, as: UTF8.self) == "head\r\n{\"status\":\"ok\"}")
        #expect(transport.gatheredWrites == 0)
    }

    @Test func resetForgetsWhatWasQueued() {
        let transport = TricklingTransport(limit: 1 << 20)
        var queue = OutputQueue()
        queue.append(Array("sent".utf8))
        queue.append(body: Self.bytes(5_000, from: 9))
        Self.drain(&queue, into: transport)
        queue.reset()
        let emptied = queue.isEmpty
        #expect(emptied)
        queue.append(Array("next".utf8))
        Self.drain(&queue, into: transport)
        #expect(transport.received.suffix(4) == Array("next".utf8))
        #expect(transport.received.count == 4 + 5_000 + 4)
    }

    /// The default gathered write of a transport without one (TLS): the second
    /// buffer only after all of the first, and an error after the first went
    /// out reported by the next call.
    final class OneBufferTransport: FakeTransport {
        var results: [TransportResult]
        var writes: [Int] = []
        init(results: [TransportResult]) { self.results = results }
        override func write(_ buffer: UnsafeRawBufferPointer) -> TransportResult {
            writes.append(buffer.count)
            return results.removeFirst()
        }
    }

    @Test func aTransportWithoutGatheredWritesSendsTheBuffersInTurn() {
        let first = [UInt8](repeating: 1, count: 10), second = [UInt8](repeating: 2, count: 20)
        func gathered(_ transport: OneBufferTransport) -> TransportResult {
            first.withUnsafeBytes { a in second.withUnsafeBytes { b in transport.write(a, b) } }
        }
        func count(_ result: TransportResult) -> Int? { if case .bytes(let n) = result { n } else { nil } }

        let whole = OneBufferTransport(results: [.bytes(10), .bytes(20)])
        #expect(count(gathered(whole)) == 30)
        #expect(whole.writes == [10, 20])

        let partFirst = OneBufferTransport(results: [.bytes(4)])
        #expect(count(gathered(partFirst)) == 4)
        #expect(partFirst.writes == [10])  // nothing of the second before all of the first

        let secondBlocks = OneBufferTransport(results: [.bytes(10), .wouldBlock])
        #expect(count(gathered(secondBlocks)) == 10)

        let secondFails = OneBufferTransport(results: [.bytes(10), .failed(EPIPE)])
        #expect(count(gathered(secondFails)) == 10)

        let firstBlocks = OneBufferTransport(results: [.wouldBlock])
        guard case .wouldBlock = gathered(firstBlocks) else {
            Issue.record("a refused first buffer is a refused write")
            return
        }
    }

    /// Over a real socket: a response far larger than the socket buffers, to a
    /// client that reads late, arrives whole and in order with the response
    /// pipelined behind it.
    @Test func largeBodyToASlowReaderArrivesWholeBeforeThePipelinedResponse() throws {
        let big = Self.bytes(3 << 20, from: 5)
        let server = try TestServer(routes: { router in
            router.get("/big", placement: .eventLoop) { _ in
                HTTPResponse(status: .ok, contentType: "application/octet-stream", body: big)
            }
        })
        let client = try server.client()
        try client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(300_000)  // the server's writes block meanwhile
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.body == big)
        #expect(try client.readResponse().text == #"{"status":"ok"}"#)
    }
}

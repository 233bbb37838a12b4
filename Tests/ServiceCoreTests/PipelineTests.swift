import Foundation
import Synchronization
import Testing
@testable import ServiceCore

@Suite struct PipelineTests {
    struct Failure: Error, Equatable { let side: String }

    @Test func itemsArriveInOrderThroughABoundedBuffer() throws {
        let inFlight = Atomic<Int>(0)
        let peak = Atomic<Int>(0)
        let pipeline = Pipeline<Int>(capacity: 3) { send in
            for item in 0..<5_000 {
                let now = inFlight.add(1, ordering: .sequentiallyConsistent).newValue
                peak.max(now, ordering: .sequentiallyConsistent)
                try send(item)
            }
        }
        defer { pipeline.close() }
        var received: [Int] = []
        while let item = try pipeline.next() {
            inFlight.subtract(1, ordering: .sequentiallyConsistent)
            received.append(item)
        }
        #expect(received == Array(0..<5_000))
        // The buffer holds at most 3; one more may be on its way in, one on its way out.
        let highest = peak.load(ordering: .sequentiallyConsistent)
        #expect(highest <= 5)
    }

    @Test func aProducerErrorReachesTheConsumerAfterWhatWasSent() throws {
        let pipeline = Pipeline<Int>(capacity: 2) { send in
            for item in 0..<10 { try send(item) }
            throw Failure(side: "producer")
        }
        defer { pipeline.close() }
        var received: [Int] = []
        #expect(throws: Failure(side: "producer")) {
            while let item = try pipeline.next() { received.append(item) }
        }
        #expect(received == Array(0..<10))
    }

    @Test func closingStopsTheProducerAndWaitsForIt() throws {
        let produced = Atomic<Int>(0)
        let finished = Atomic<Bool>(false)
        let pipeline = Pipeline<Int>(capacity: 2) { send in
            defer { finished.store(true, ordering: .sequentiallyConsistent) }
            for item in 0..<1_000_000 {
                try send(item)
                produced.add(1, ordering: .sequentiallyConsistent)
            }
        }
        // The consumer gives up early, as on an error of its own.
        for _ in 0..<10 { _ = try pipeline.next() }
        pipeline.close()
        // The producer has finished (what it borrowed is free) and stopped long before the end.
        let producerFinished = finished.load(ordering: .sequentiallyConsistent)
        let count = produced.load(ordering: .sequentiallyConsistent)
        #expect(producerFinished)
        #expect(count < 100)
    }

    @Test func droppingAPipelineStopsItsProducer() throws {
        let finished = Atomic<Bool>(false)
        do {
            let pipeline = Pipeline<Int>(capacity: 1) { send in
                defer { finished.store(true, ordering: .sequentiallyConsistent) }
                for item in 0..<1_000_000 { try send(item) }
            }
            _ = try pipeline.next()
        }
        let producerFinished = finished.load(ordering: .sequentiallyConsistent)
        #expect(producerFinished)
    }
}

import Foundation
import Synchronization
import Testing
@testable import ServiceCore

@Suite struct PipelineTests {
    struct Failure: Error, Equatable { let side: String }

    @Test func itemsArriveInOrderThroughABoundedBuffer() throws {
        let inFlight = Atomic<Int>(0)
        let peak = Atomic<Int>(0)
        var received: [Int] = []
        try Pipeline.run(capacity: 3, produce: { send in
            for item in 0..<5_000 {
                let now = inFlight.add(1, ordering: .sequentiallyConsistent).newValue
                peak.max(now, ordering: .sequentiallyConsistent)
                try send(item)
            }
        }, consume: { item in
            inFlight.subtract(1, ordering: .sequentiallyConsistent)
            received.append(item)
        })
        #expect(received == Array(0..<5_000))
        // The buffer holds at most 3; one more may be on its way in, one on its way out.
        let highest = peak.load(ordering: .sequentiallyConsistent)
        #expect(highest <= 5)
    }

    @Test func aProducerErrorReachesTheConsumerAfterWhatWasSent() {
        var received: [Int] = []
        #expect(throws: Failure(side: "producer")) {
            try Pipeline.run(capacity: 2, produce: { send in
                for item in 0..<10 { try send(item) }
                throw Failure(side: "producer")
            }, consume: { received.append($0) })
        }
        #expect(received == Array(0..<10))
    }

    @Test func aConsumerErrorStopsTheProducerBeforeReturning() {
        let produced = Atomic<Int>(0)
        let finished = Atomic<Bool>(false)
        #expect(throws: Failure(side: "consumer")) {
            try Pipeline.run(capacity: 2, produce: { send in
                defer { finished.store(true, ordering: .sequentiallyConsistent) }
                for item in 0..<1_000_000 {
                    try send(item)
                    produced.add(1, ordering: .sequentiallyConsistent)
                }
            }, consume: { item in
                if item == 10 { throw Failure(side: "consumer") }
            })
        }
        // The producer has finished (its borrowed resources are free) and
        // stopped long before the end.
        let producerFinished = finished.load(ordering: .sequentiallyConsistent)
        let count = produced.load(ordering: .sequentiallyConsistent)
        #expect(producerFinished)
        #expect(count < 100)
    }
}

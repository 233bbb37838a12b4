import Foundation
import ServiceCore
import Testing
@testable import ServiceDaemon

/// The cache of keys found valid: fresh answers come from it, stale ones
/// are looked up again, a revocation through the API clears it, and a
/// look-up racing that revocation cannot put its answer back.
@Suite struct AuthenticatedKeysTests {
    final class Clock: @unchecked Sendable {
        var nanoseconds: UInt64 = 1_000
    }

    static let principal = Principal(keyID: "key_1", role: .dealer, dealerID: "dlr_1")

    @Test func freshAnswersComeFromTheCacheAndStaleOnesAreLookedUpAgain() throws {
        let clock = Clock()
        let keys = AuthenticatedKeys(lifetimeNanoseconds: 1_000_000_000) { clock.nanoseconds }
        var lookUps = 0
        let lookUp = { () -> Principal? in lookUps += 1; return Self.principal }
        #expect(try keys.principal(for: "sdk_a", lookUp: lookUp) == Self.principal)
        clock.nanoseconds += 999_999_999
        #expect(try keys.principal(for: "sdk_a", lookUp: lookUp) == Self.principal)
        #expect(lookUps == 1)
        clock.nanoseconds += 1  // a second after the look-up: asked again
        #expect(try keys.principal(for: "sdk_a", lookUp: lookUp) == Self.principal)
        #expect(lookUps == 2)
    }

    @Test func unknownKeysAreNeverCached() throws {
        let keys = AuthenticatedKeys()
        var lookUps = 0
        #expect(try keys.principal(for: "sdk_new", lookUp: { lookUps += 1; return nil }) == nil)
        // Created meanwhile (by the CLI, say): found at once.
        #expect(try keys.principal(for: "sdk_new", lookUp: { lookUps += 1; return Self.principal }) == Self.principal)
        #expect(lookUps == 2)
    }

    @Test func aRevocationClearsTheCacheAndALookUpRacingItIsNotKept() throws {
        let keys = AuthenticatedKeys()
        _ = try keys.principal(for: "sdk_a", lookUp: { Self.principal })
        keys.invalidate()
        var lookUps = 0
        // This look-up read the key before the revocation committed; the revocation clears the cache meanwhile.
        #expect(try keys.principal(for: "sdk_a", lookUp: { lookUps += 1; keys.invalidate(); return Self.principal }) == Self.principal)
        // Its answer was not kept: the next request looks again and sees the revocation.
        #expect(try keys.principal(for: "sdk_a", lookUp: { lookUps += 1; return nil }) == nil)
        #expect(lookUps == 2)
    }

    /// A server and a dealer key (with its id) that has just been used, so the daemon remembers it.
    static func keyInUse() throws -> (APITestServer, String, String) {
        let server = try APITestServer()
        let dealer = try server.admin("POST", "/v1/dealers", #"{"name": "Revoked Ltd"}"#)["id"] as! String
        let created = try server.admin("POST", "/v1/dealers/\(dealer)/api-keys")
        let key = try #require(created["key"] as? String), id = try #require(created["id"] as? String)
        #expect(try server.call("GET", "/v1/customers", key: key).status == 200)
        return (server, key, id)
    }

    /// Over HTTP: a key revoked through the API is refused on the very next request,
    /// although it was cached a moment before.
    @Test func aKeyRevokedThroughTheAPIIsRefusedAtOnce() throws {
        let (server, key, id) = try Self.keyInUse()
        #expect(try server.call("DELETE", "/v1/api-keys/\(id)", key: server.adminKey).status == 204)
        #expect(try server.call("GET", "/v1/customers", key: key).status == 401)
    }

    /// A key revoked behind the daemon's back (the CLI, from another process) is refused within a second.
    @Test func aKeyRevokedByAnotherProcessIsRefusedWithinTheLifetime() throws {
        let (server, key, id) = try Self.keyInUse()
        let other = try DatabasePool(configuration: server.application.configuration.database)
        _ = try other.write { try APIKeyStore.revoke($0, id: id) }
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try server.call("GET", "/v1/customers", key: key).status == 401)
    }
}

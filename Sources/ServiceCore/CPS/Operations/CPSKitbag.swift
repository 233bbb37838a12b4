/// Registering products: "you can enter the information in your own time";
/// points count once serial, country, date of purchase and store are all there.
public enum CPSKitbag {
    /// Details given in a request; nil members are left as they are.
    public struct DetailsInput: Sendable {
        public var serial: String?
        public var countryOfPurchase: String?
        public var purchasedOn: LocalDate?
        public var store: String?
        public var secondHand: Bool?

        public init(serial: String? = nil, countryOfPurchase: String? = nil, purchasedOn: LocalDate? = nil, store: String? = nil,
                    secondHand: Bool? = nil) {
            self.serial = serial
            self.countryOfPurchase = countryOfPurchase
            self.purchasedOn = purchasedOn
            self.store = store
            self.secondHand = secondHand
        }

        func apply(to details: inout Registration.Details) {
            if let serial { details.serial = serial }
            if let countryOfPurchase { details.countryOfPurchase = countryOfPurchase }
            if let purchasedOn { details.purchasedOn = purchasedOn }
            if let store { details.store = store }
            if let secondHand { details.secondHand = secondHand }
        }
    }

    public static func add(_ connection: Connection, member: CPSMember, productID: String, input: DetailsInput, today: LocalDate,
                           rules: CPSRules) throws -> Registration {
        try requireOpen(member)
        guard let product = rules.product(id: productID) else {
            throw CPSFailure.invalid("product_id", "unknown product \(productID); see GET /v1/cps/products")
        }
        try check(input, product: product, today: today)
        var details = Registration.Details()
        input.apply(to: &details)
        try requireSerialFree(connection, productID: productID, serial: details.serial, own: nil)
        let registration = Registration(id: Identifier.make("reg"), memberID: member.id, productID: productID, details: details,
                                        addedOn: today, startReason: .registered, completedOn: details.isComplete ? today : nil)
        try CPSRegistrationStore.insert(connection, registration)
        return registration
    }

    public static func update(_ connection: Connection, member: CPSMember, _ registration: Registration, input: DetailsInput,
                              today: LocalDate, rules: CPSRules) throws -> Registration {
        try requireOpen(member)
        guard let product = rules.product(id: registration.productID) else {
            throw CPSFailure.conflict("product \(registration.productID) is no longer in the catalogue")
        }
        try check(input, product: product, today: today)
        let updated = registration.updating({ input.apply(to: &$0) }, today: today)
        if updated.details.serial != registration.details.serial {
            try requireSerialFree(connection, productID: product.id, serial: updated.details.serial, own: registration.id)
        }
        return try CPSRegistrationStore.save(connection, updated)
    }

    /// Out of the Kitbag from today: its points stop counting; the row stays for the history.
    public static func remove(_ connection: Connection, member: CPSMember, _ registration: Registration, today: LocalDate) throws -> Registration {
        try requireOpen(member)
        var ended = registration
        ended.endedOn = today
        ended.endReason = .removed
        return try CPSRegistrationStore.save(connection, ended)
    }

    /// An admin moves a registered product to its new owner: it leaves the seller's
    /// Kitbag today (`removed`) and enters the buyer's as second-hand with the same
    /// details, counting from today if complete.
    public static func transfer(_ connection: Connection, from seller: CPSMember, _ registration: Registration, to buyer: CPSMember,
                                today: LocalDate) throws -> Registration {
        try requireOpen(seller)
        try requireOpen(buyer)
        guard buyer.id != seller.id else { throw CPSFailure.invalid("to_member_id", "is the member who holds the product") }
        _ = try remove(connection, member: seller, registration, today: today)
        var details = registration.details
        details.secondHand = true
        let moved = Registration(id: Identifier.make("reg"), memberID: buyer.id, productID: registration.productID, details: details,
                                 addedOn: today, startReason: .registered, completedOn: details.isComplete ? today : nil)
        try CPSRegistrationStore.insert(connection, moved)
        return moved
    }

    static func requireOpen(_ member: CPSMember) throws {
        guard member.closedOn == nil else { throw CPSFailure.conflict("the account is closed (its products were migrated)") }
    }

    /// A purchase date is neither in the future nor before the product existed.
    static func check(_ input: DetailsInput, product: CPSProduct, today: LocalDate) throws {
        guard let bought = input.purchasedOn else { return }
        if bought > today { throw CPSFailure.invalid("purchased_on", "must not be in the future") }
        if let released = product.releasedOn, bought < released {
            throw CPSFailure.invalid("purchased_on", "must not be before \(product.name) came out (\(released))")
        }
    }

    /// 409 naming nothing about the holder: the seller removes it first, or an admin transfers it.
    static func requireSerialFree(_ connection: Connection, productID: String, serial: String?, own: String?) throws {
        guard let serial else { return }
        if try CPSRegistrationStore.isHeld(connection, productID: productID, serial: serial, except: own) {
            throw CPSFailure.conflict("this product serial is already registered to a CPS account; the holder must remove it first")
        }
    }
}

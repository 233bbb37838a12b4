import ServiceHTTP

/// Canon Professional Services under `/v1/cps`.
struct CPSRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        CPSProductRoutes(api: api).register(on: &group)
        CPSMemberRoutes(api: api).register(on: &group)
        CPSKitbagRoutes(api: api).register(on: &group)
        CPSSubscriptionRoutes(api: api).register(on: &group)
        CPSInvoiceRoutes(api: api).register(on: &group)
        CPSWelcomePackRoutes(api: api).register(on: &group)
        CPSMigrationRoutes(api: api).register(on: &group)
        CPSTransferRoutes(api: api).register(on: &group)
        CPSServiceCentreRoutes(api: api).register(on: &group)
        CPSRepairRoutes(api: api).register(on: &group)
        CPSLoanRoutes(api: api).register(on: &group)
        CPSTurnaroundReportRoutes(api: api).register(on: &group)
    }
}

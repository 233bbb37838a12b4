/// What a claim pays under its product line's compensation schedule:
/// labour per started unit of time up to the cap per call, plus parts at
/// cost with the handling mark-up, rounded half up once on the parts total.
public struct Compensation: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        public let partNumber: String
        public let quantity: Int
        public let unitCostMinor: Int

        public init(partNumber: String, quantity: Int, unitCostMinor: Int) {
            self.partNumber = partNumber
            self.quantity = quantity
            self.unitCostMinor = unitCostMinor
        }
    }

    public let scheduleID: String
    public let labourMinutes: Int
    public let labourUnitsStarted: Int
    public let labourUnitsPaid: Int
    public let labourMinor: Int
    public let partsCostMinor: Int
    public let partsMarkupMinor: Int
    public let totalMinor: Int

    /// Inputs are bounded by validation (minutes, quantities, costs, number
    /// of parts) so that no product here can overflow.
    public init(labourMinutes: Int, parts: [Part], schedule: CompensationSchedule) {
        scheduleID = schedule.id
        self.labourMinutes = labourMinutes
        labourUnitsStarted = (labourMinutes + schedule.labourUnitMinutes - 1) / schedule.labourUnitMinutes
        labourUnitsPaid = min(labourUnitsStarted, schedule.labourCapUnitsPerCall)
        labourMinor = labourUnitsPaid * schedule.labourRateMinorPerUnit
        partsCostMinor = parts.reduce(0) { $0 + $1.quantity * $1.unitCostMinor }
        let withMarkup = (partsCostMinor * (10_000 + schedule.partsMarkupBasisPoints) + 5_000) / 10_000
        partsMarkupMinor = withMarkup - partsCostMinor
        totalMinor = labourMinor + withMarkup
    }
}

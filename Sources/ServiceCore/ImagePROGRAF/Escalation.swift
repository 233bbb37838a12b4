/// Section E of the seed: support is escalated once all reasonable
/// troubleshooting options have been exhausted; here (assumption,
/// catalogue) once at least the minimum number of steps is recorded.
public enum Escalation {
    /// Steps still to record before the case may be escalated; 0 when ready.
    public static func missingSteps(recorded: Int, terms: SupportTerms) -> Int {
        max(0, terms.minimumTroubleshootingSteps - recorded)
    }
}

/// The programme's product lines. Fixed by the seed, not the catalogue:
/// the compensation process of the scanners is defined in terms of them.
public enum ProductLineID: String, Sendable, CaseIterable, Hashable {
    case imageprografTM = "imageprograf-tm"
    case imageprograf
    case colortracZ36 = "colortrac-z36"
    case colortracL36ei = "colortrac-l36ei"
    case colortracL24ei = "colortrac-l24ei"

    /// The seed, section C: "The compensation process for the Colortrac Z36
    /// scanning system is the same as the process for the imagePROGRAF
    /// TM-Series printers. The compensation process for the Colortrac L36ei /
    /// L24ei scanning system is the same as the process for the imagePROGRAF
    /// printers." The printers follow their own.
    public var compensationProcess: ProductLineID {
        switch self {
        case .colortracZ36: .imageprografTM
        case .colortracL36ei, .colortracL24ei: .imageprograf
        case .imageprografTM, .imageprograf: self
        }
    }
}

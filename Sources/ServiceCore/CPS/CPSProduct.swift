/// A Canon product that can be registered in a Kitbag, as the catalogue
/// lists it: its base points and the dates on which they drop.
public struct CPSProduct: Sendable, Equatable {
    public enum Category: String, Sendable, CaseIterable {
        case cameraBody = "camera_body"
        case rfLens = "rf_lens"
        case efLens = "ef_lens"
        case cinemaEOS = "cinema_eos"
        case professionalCamcorder = "professional_camcorder"
        case speedlite
        case imagePROGRAFPro = "imageprograf_pro"
    }

    public let id: String
    public let name: String
    public let category: Category
    /// Cinema EOS and the XF/XA camcorders: never under 5 days of servicing.
    public let video: Bool
    public let basePoints: Int
    public let fastTrackEligible: Bool
    /// When the product came out; a purchase before that date is refused.
    public let releasedOn: LocalDate?
    public let supersededOn: LocalDate?
    public let serviceEndsOn: LocalDate?

    public init(id: String, name: String, category: Category, video: Bool, basePoints: Int, fastTrackEligible: Bool,
                releasedOn: LocalDate? = nil, supersededOn: LocalDate? = nil, serviceEndsOn: LocalDate? = nil) {
        self.id = id
        self.name = name
        self.category = category
        self.video = video
        self.basePoints = basePoints
        self.fastTrackEligible = fastTrackEligible
        self.releasedOn = releasedOn
        self.supersededOn = supersededOn
        self.serviceEndsOn = serviceEndsOn
    }
}

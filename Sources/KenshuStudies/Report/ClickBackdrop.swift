import Foundation

/// A picture of a page as built, laid under a click map's dots: the report says where people
/// clicked *on the page*, not in an empty box. Taken by whoever has a browser (the `kenshu`
/// command, the server); the report only places it.
public struct ClickBackdrop: Sendable, Hashable {
    /// The page, as a click map names it (a collapsed path: `v2/login.html`).
    public var page: String
    public var layout: StudyLayout
    /// The encoded image (JPEG or PNG).
    public var image: Data
    public var mediaType: String
    /// The CSS width the page was laid out at, and the height of the picture in CSS px.
    public var width: Int
    public var height: Int

    public init(page: String, layout: StudyLayout, image: Data, mediaType: String = "image/jpeg", width: Int, height: Int) {
        self.page = page
        self.layout = layout
        self.image = image
        self.mediaType = mediaType
        self.width = width
        self.height = height
    }

    /// `data:image/jpeg;base64,…`, so the report stays one file that fetches nothing.
    var dataURL: String { "data:\(mediaType);base64,\(image.base64EncodedString())" }
}

import Foundation

/// Writes one PowerPoint deck (.pptx) per handbook edition and layout.
///
/// Slides: a title slide; then per procedure a section slide, one slide per step
/// (editable sentence, screenshot, movable red rectangles over the targets/callouts)
/// and one slide per note. Output is byte-for-byte reproducible for a given `timestamp`.
public struct SlideDeckWriter: Sendable {
    /// 2026-01-01T00:00:00Z.
    public static let defaultTimestamp = Date(timeIntervalSince1970: 1_767_225_600)

    /// Written as `dcterms:created`/`modified` and as every zip entry's modification time.
    public var timestamp: Date

    public init(timestamp: Date = SlideDeckWriter.defaultTimestamp) {
        self.timestamp = timestamp
    }

    /// Writes the deck of `edition` (an edition id such as "v2") for `layout` ("pc" or "sp") to `destination`.
    /// Step images are read relative to `manifestFolder`.
    public func write(manifest: HandbookManifest, manifestFolder: URL, edition editionID: String, layout: String,
                      to destination: URL) throws {
        let slides = try composeSlides(manifest: manifest, editionID: editionID, layout: layout)
        let parts = try packageParts(for: slides, title: manifest.title, manifestFolder: manifestFolder)
        try PackageArchive.write(parts, to: destination, modificationDate: timestamp)
    }

    /// How the layout key is shown on the title slide.
    static func displayName(ofLayout layout: String) -> String {
        switch layout {
        case "pc": "パソコン"
        case "sp": "スマートフォン"
        default: layout
        }
    }

    private func composeSlides(manifest: HandbookManifest, editionID: String,
                               layout: String) throws -> [ComposedSlide] {
        guard let edition = manifest.editions.first(where: { $0.id == editionID }) else {
            throw SlideDeckError.editionNotFound(editionID, available: manifest.editions.map(\.id))
        }
        guard edition.procedures.contains(where: { $0.layouts[layout] != nil }) else {
            throw SlideDeckError.layoutNotFound(layout, edition: editionID)
        }
        var slides = [SlideComposer.titleSlide(manifest: manifest, edition: edition,
                                               layoutDisplayName: Self.displayName(ofLayout: layout))]
        for procedure in edition.procedures where Self.belongsInDeck(procedure, layout: layout) {
            slides.append(SlideComposer.sectionSlide(procedure: procedure))
            for step in procedure.layouts[layout] ?? [] {
                slides.append(SlideComposer.stepSlide(procedure: procedure, step: step, isSmartphone: layout == "sp"))
            }
            for note in procedure.notes {
                slides.append(SlideComposer.noteSlide(procedure: procedure, note: note))
            }
        }
        return slides
    }

    /// A procedure shown only in the other layout is left out; one without any steps
    /// (text only) is kept in every deck.
    static func belongsInDeck(_ procedure: HandbookManifest.Procedure, layout: String) -> Bool {
        let hasSteps = !(procedure.layouts[layout] ?? []).isEmpty
        let hasAnySteps = procedure.layouts.values.contains { !$0.isEmpty }
        return hasSteps || !hasAnySteps
    }

    private func packageParts(for slides: [ComposedSlide], title: String,
                              manifestFolder: URL) throws -> [PackagePart] {
        var slideParts: [PackagePart] = []
        var notesParts: [PackagePart] = []
        var mediaParts: [PackagePart] = []
        var mediaFileNames: [String: String] = [:]  // manifest image path → media file name
        var slideFileNames: [String] = []

        for (index, slide) in slides.enumerated() {
            let slideFileName = "slide\(index + 1).xml"
            slideFileNames.append(slideFileName)

            var imageFileName: String?
            if let imagePath = slide.imagePath {
                if let existing = mediaFileNames[imagePath] {
                    imageFileName = existing
                } else {
                    let fileName = "image\(mediaFileNames.count + 1).png"
                    let data = try Self.readPNG(imagePath, in: manifestFolder)
                    mediaParts.append(PackagePart(path: "ppt/media/\(fileName)", contentTypeOverride: nil,
                                                  data: data, shouldCompress: false))
                    mediaFileNames[imagePath] = fileName
                    imageFileName = fileName
                }
            }

            var notesFileName: String?
            if !slide.notes.isEmpty {
                let fileName = "notesSlide\(notesParts.count / 2 + 1).xml"
                notesFileName = fileName
                notesParts.append(.xml("ppt/notesSlides/\(fileName)", contentType: ContentType.notesSlide,
                                       NotesXML.notesSlide(paragraphs: slide.notes)))
                notesParts.append(.xml("ppt/notesSlides/_rels/\(fileName).rels", contentType: nil,
                                       NotesXML.notesSlideRelationships(slideFileName: slideFileName)))
            }

            slideParts.append(.xml("ppt/slides/\(slideFileName)", contentType: ContentType.slide,
                                   SlideXML.slide(slide.shapes)))
            slideParts.append(.xml("ppt/slides/_rels/\(slideFileName).rels", contentType: nil,
                                   SlideXML.relationships(layoutFileName: MasterXML.blankLayoutFileName,
                                                          imageFileName: imageFileName,
                                                          notesSlideFileName: notesFileName)))
        }

        let timestamp = timestamp.formatted(.iso8601)
        var parts: [PackagePart] = [
            .xml("_rels/.rels", contentType: nil, PresentationParts.rootRelationships()),
            .xml("docProps/core.xml", contentType: ContentType.coreProperties,
                 PresentationParts.coreProperties(title: title, timestamp: timestamp)),
            .xml("docProps/app.xml", contentType: ContentType.extendedProperties,
                 PresentationParts.appProperties(slideCount: slides.count, notesCount: notesParts.count / 2)),
            .xml("ppt/presentation.xml", contentType: ContentType.presentation,
                 PresentationParts.presentation(slideCount: slides.count)),
            .xml("ppt/_rels/presentation.xml.rels", contentType: nil,
                 PresentationParts.presentationRelationships(slideFileNames: slideFileNames)),
            .xml("ppt/presProps.xml", contentType: ContentType.presProps, PresentationParts.presentationProperties()),
            .xml("ppt/viewProps.xml", contentType: ContentType.viewProps, PresentationParts.viewProperties()),
            .xml("ppt/tableStyles.xml", contentType: ContentType.tableStyles, PresentationParts.tableStyles()),
            .xml("ppt/theme/theme1.xml", contentType: ContentType.theme, ThemeXML.theme()),
            .xml("ppt/theme/theme2.xml", contentType: ContentType.theme, ThemeXML.theme(name: "Kenshu Notes")),
            .xml("ppt/slideMasters/slideMaster1.xml", contentType: ContentType.slideMaster, MasterXML.slideMaster()),
            .xml("ppt/slideMasters/_rels/slideMaster1.xml.rels", contentType: nil,
                 MasterXML.slideMasterRelationships()),
            .xml("ppt/slideLayouts/\(MasterXML.blankLayoutFileName)", contentType: ContentType.slideLayout,
                 MasterXML.blankLayout()),
            .xml("ppt/slideLayouts/_rels/\(MasterXML.blankLayoutFileName).rels", contentType: nil,
                 MasterXML.blankLayoutRelationships()),
            .xml("ppt/notesMasters/notesMaster1.xml", contentType: ContentType.notesMaster, NotesXML.notesMaster()),
            .xml("ppt/notesMasters/_rels/notesMaster1.xml.rels", contentType: nil,
                 NotesXML.notesMasterRelationships()),
        ]
        parts += slideParts + notesParts + mediaParts
        // Office expects the content types first in the zip.
        let contentTypes = PackagePart.xml("[Content_Types].xml", contentType: nil,
                                           PresentationParts.contentTypes(for: parts))
        return [contentTypes] + parts
    }

    private static func readPNG(_ relativePath: String, in folder: URL) throws -> Data {
        let url = folder.appendingPathComponent(relativePath)
        guard let data = try? Data(contentsOf: url) else {
            throw SlideDeckError.imageNotFound(url.path)
        }
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard data.count > signature.count, Array(data.prefix(signature.count)) == signature else {
            throw SlideDeckError.imageNotPNG(url.path)
        }
        return data
    }
}

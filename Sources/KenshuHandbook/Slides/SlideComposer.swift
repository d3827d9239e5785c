/// One slide's content before it becomes package parts.
struct ComposedSlide: Sendable {
    var shapes = SlideShapes()
    /// The step image (relative to the manifest folder) shown with `SlideXML.imageRelationshipID`.
    var imagePath: String?
    /// Speaker notes; a slide without any gets no notes slide.
    var notes: [TextParagraph] = []
}

/// Turns manifest content into the deck's four kinds of slides.
enum SlideComposer {
    static let outlineWidth = EMU.points(2.25)
    private static let pageMargin = EMU.inches(0.8)
    private static let inset = 91_440
    private static let captionSize: Double = 12
    private static let sentenceSizes: [Double] = [28, 24, 22, 20, 18, 16, 14, 12]
    private static let bodySizes: [Double] = [24, 22, 20, 18, 16, 14, 12]

    static func titleSlide(manifest: HandbookManifest, edition: HandbookManifest.Edition,
                           layoutDisplayName: String) -> ComposedSlide {
        let frame = EMURect(x: pageMargin, y: EMU.inches(1.5), width: EMU.slideWidth - 2 * pageMargin,
                            height: EMU.slideHeight - EMU.inches(3))
        let titleSize = TextFitting.largestSize(for: manifest.title, candidates: [40, 36, 32, 28, 24],
                                                width: frame.width - 2 * inset, height: EMU.inches(2))
        var paragraphs = TextParagraph.paragraphs(manifest.title, sizePoints: titleSize, isBold: true,
                                                  alignment: .center)
        paragraphs += TextParagraph.paragraphs(manifest.site, sizePoints: 22, colorHex: DeckColors.caption,
                                               alignment: .center, spaceBeforePoints: 18)
        paragraphs += TextParagraph.paragraphs("\(edition.label) ・ \(layoutDisplayName)", sizePoints: 26,
                                               isBold: true, colorHex: DeckColors.highlightRed,
                                               alignment: .center, spaceBeforePoints: 24)
        var slide = ComposedSlide()
        slide.shapes.addTextBox(name: "Title", frame: frame, paragraphs: paragraphs, anchor: .middle)
        return slide
    }

    /// The procedure's opening slide; its speaker notes carry the manual's details and notes.
    static func sectionSlide(procedure: HandbookManifest.Procedure) -> ComposedSlide {
        let frame = EMURect(x: pageMargin, y: pageMargin, width: EMU.slideWidth - 2 * pageMargin,
                            height: EMU.slideHeight - 2 * pageMargin)
        let textWidth = frame.width - 2 * inset
        var paragraphs = TextParagraph.paragraphs(procedure.section, sizePoints: 32, isBold: true,
                                                  colorHex: DeckColors.highlightRed)
        let titleSize = TextFitting.largestSize(for: procedure.title, candidates: [40, 36, 32, 28, 24],
                                                width: textWidth, height: EMU.inches(1.8))
        paragraphs += TextParagraph.paragraphs(procedure.title, sizePoints: titleSize, isBold: true,
                                               spaceBeforePoints: 6)
        if let lead = procedure.lead, !lead.isEmpty {
            let leadSize = TextFitting.largestSize(for: lead, candidates: bodySizes, width: textWidth,
                                                   height: EMU.inches(2.5))
            paragraphs += TextParagraph.paragraphs(lead, sizePoints: leadSize, spaceBeforePoints: 24)
        }
        var slide = ComposedSlide()
        slide.shapes.addTextBox(name: "Section", frame: frame, paragraphs: paragraphs, anchor: .middle)

        var notes: [String] = []
        if !procedure.details.isEmpty { notes.append(procedure.details) }
        for note in procedure.notes {
            notes.append(["【\(note.kind)】" + (note.title ?? ""), note.text].joined(separator: "\n"))
        }
        slide.notes = notesParagraphs(notes.joined(separator: "\n\n"))
        return slide
    }

    static func stepSlide(procedure: HandbookManifest.Procedure, step: HandbookManifest.Step,
                          isSmartphone: Bool) -> ComposedSlide {
        let geometry = StepSlideGeometry(clip: step.clip, isSmartphone: isSmartphone)
        // The picture without frames when there is one: the frames are the rectangles below.
        var slide = ComposedSlide(imagePath: step.plainImage ?? step.image)
        slide.shapes.addTextBox(name: "Step \(step.number)", frame: geometry.textFrame,
                                paragraphs: stepTextParagraphs(procedure: procedure, step: step, geometry: geometry))
        slide.shapes.addPicture(name: "Screenshot \(step.number)", description: step.text,
                                frame: geometry.pictureFrame, relationshipID: SlideXML.imageRelationshipID)
        for (index, target) in step.targets.enumerated() {
            guard let frame = geometry.frame(over: target.mark) else { continue }
            slide.shapes.addOutlineRectangle(name: "Target \(index + 1): \(target.name)", frame: frame,
                                             colorHex: DeckColors.highlightRed, lineWidthEMU: outlineWidth)
        }
        for callout in step.callouts {
            guard let frame = geometry.frame(over: callout.mark) else { continue }
            slide.shapes.addOutlineRectangle(name: "Callout \(callout.number): \(callout.label)", frame: frame,
                                             colorHex: DeckColors.highlightRed, lineWidthEMU: outlineWidth)
            addCalloutBadge(number: callout.number, at: frame, to: &slide.shapes)
        }

        var notes = step.text
        if !step.callouts.isEmpty {
            notes += "\n" + step.callouts.map { "\($0.number). \($0.label)：\($0.text)" }.joined(separator: "\n")
        }
        slide.notes = notesParagraphs(notes)
        return slide
    }

    static func noteSlide(procedure: HandbookManifest.Procedure, note: HandbookManifest.Note) -> ComposedSlide {
        let frame = EMURect(x: pageMargin, y: EMU.inches(0.5), width: EMU.slideWidth - 2 * pageMargin,
                            height: EMU.slideHeight - EMU.inches(1))
        let textWidth = frame.width - 2 * inset
        var paragraphs = TextParagraph.paragraphs("\(procedure.section) \(procedure.title)",
                                                  sizePoints: captionSize, colorHex: DeckColors.caption)
        paragraphs += TextParagraph.paragraphs(note.kind, sizePoints: 32, isBold: true,
                                               colorHex: color(forNoteKind: note.kind), spaceBeforePoints: 12)
        var usedHeight = EMU.points(captionSize * 1.45 + 12 + 32 * 1.45) + 2 * inset
        if let title = note.title, !title.isEmpty {
            paragraphs += TextParagraph.paragraphs(title, sizePoints: 28, isBold: true, spaceBeforePoints: 6)
            usedHeight += TextFitting.estimatedHeight(of: title, sizePoints: 28, width: textWidth) + EMU.points(6)
        }
        let textSize = TextFitting.largestSize(for: note.text, candidates: bodySizes, width: textWidth,
                                               height: frame.height - usedHeight - EMU.points(18))
        paragraphs += TextParagraph.paragraphs(note.text, sizePoints: textSize, spaceBeforePoints: 18)
        var slide = ComposedSlide()
        slide.shapes.addTextBox(name: "Note", frame: frame, paragraphs: paragraphs)
        return slide
    }

    /// Caption (section + title), the circled step number and the sentence, sized to the text frame.
    private static func stepTextParagraphs(procedure: HandbookManifest.Procedure, step: HandbookManifest.Step,
                                           geometry: StepSlideGeometry) -> [TextParagraph] {
        let number = CircledNumber.text(for: step.number)
        let width = geometry.textFrame.width - 2 * inset
        var paragraphs = TextParagraph.paragraphs("\(procedure.section) \(procedure.title)",
                                                  sizePoints: captionSize, colorHex: DeckColors.caption)
        let captionHeight = TextFitting.estimatedHeight(of: "\(procedure.section) \(procedure.title)",
                                                        sizePoints: captionSize, width: width)
        switch geometry.arrangement {
        case .textBesidePicture:
            let numberSize: Double = 44
            paragraphs.append(TextParagraph(runs: [TextRun(text: number, sizePoints: numberSize, isBold: true,
                                                           colorHex: DeckColors.highlightRed)],
                                            spaceBeforePoints: 12))
            let available = geometry.textFrame.height - 2 * inset - captionHeight
                - EMU.points(12 + numberSize * TextFitting.lineHeightPerPoint + 6)
            let size = TextFitting.largestSize(for: step.text, candidates: sentenceSizes, width: width,
                                               height: available)
            paragraphs += TextParagraph.paragraphs(step.text, sizePoints: size, spaceBeforePoints: 6)
        case .textAbovePicture:
            // Number and sentence share a line; the number's width is counted as two characters.
            let available = geometry.textFrame.height - 2 * inset - captionHeight - EMU.points(4)
            let size = TextFitting.largestSize(for: "〇〇" + step.text, candidates: sentenceSizes, width: width,
                                               height: available)
            let lines = XMLText.lines(step.text)
            var first = TextParagraph(runs: [TextRun(text: number + "\u{3000}", sizePoints: size, isBold: true,
                                                     colorHex: DeckColors.highlightRed)],
                                      spaceBeforePoints: 4)
            first.runs.append(TextRun(text: lines[0], sizePoints: size))
            paragraphs.append(first)
            paragraphs += lines.dropFirst().map { line in
                TextParagraph(runs: line.isEmpty ? [] : [TextRun(text: line, sizePoints: size)], endSizePoints: size)
            }
        }
        return paragraphs
    }

    /// A small filled number label at the callout's top-left corner, editable like the rectangle.
    private static func addCalloutBadge(number: Int, at frame: EMURect, to shapes: inout SlideShapes) {
        let side = EMU.inches(0.3)
        let badge = EMURect(x: min(frame.x, EMU.slideWidth - side), y: min(frame.y, EMU.slideHeight - side),
                            width: side, height: side)
        shapes.addTextBox(name: "Callout Number \(number)", frame: badge,
                          paragraphs: [TextParagraph(runs: [TextRun(text: "\(number)", sizePoints: 14, isBold: true,
                                                                    colorHex: DeckColors.white)],
                                                     alignment: .center)],
                          anchor: .middle, fillHex: DeckColors.highlightRed, insetEMU: 0)
    }

    private static func notesParagraphs(_ text: String) -> [TextParagraph] {
        text.isEmpty ? [] : TextParagraph.paragraphs(text, sizePoints: NotesXML.notesTextSizePoints)
    }

    private static func color(forNoteKind kind: String) -> String {
        switch kind {
        case "注意": DeckColors.highlightRed
        case "Point": DeckColors.pointBlue
        case "参照先": DeckColors.referenceGray
        default: DeckColors.text
        }
    }
}

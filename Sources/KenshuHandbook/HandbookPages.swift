import Foundation
import KenshuSite
import Mustache

/// The HTML handbook, from the templates in `Content/templates/handbook/`: a table of contents,
/// a page per procedure and edition (PC and smartphone side by side), the print page each PDF
/// is made from, and the edition diff. Everything here is data for those templates.
struct HandbookPages {
    let content: Content
    let settings: HandbookSettings
    let manifest: HandbookManifest
    /// Whether this run prints the PDFs (the pages link to them only then).
    let printsPDF: Bool

    static func pdfName(edition: String) -> String { "kenshu-handbook-\(edition).pdf" }

    func write(into folder: URL, site: URL) throws {
        if let css = content.assets.first(where: { $0.relativePath == "handbook.css" }) {
            try css.data.write(to: folder.appendingPathComponent("handbook.css"))
        }
        try render("handbook/index", index(), to: folder.appendingPathComponent("index.html"))
        for edition in manifest.editions {
            let directory = folder.appendingPathComponent(edition.id)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (position, procedure) in edition.procedures.enumerated() {
                var context = base(root: "../", edition: edition)
                context["procedure"] = procedureContext(procedure, edition: edition, imageRoot: "")
                context["lazy"] = true  // a browser loads the pictures as the reader scrolls
                context["previous"] = position > 0 ? link(edition.procedures[position - 1]) : nil
                context["next"] = position + 1 < edition.procedures.count ? link(edition.procedures[position + 1]) : nil
                context["other_editions"] = manifest.editions.filter { $0.id != edition.id }.compactMap { other -> [String: Any]? in
                    guard other.procedures.contains(where: { $0.id == procedure.id }) else { return nil }
                    return ["label": other.label, "href": "../\(other.id)/\(procedure.id).html"]
                }
                try render("handbook/procedure", context, to: directory.appendingPathComponent("\(procedure.id).html"))
            }
            // Every picture at once: the print is made from the whole page.
            var print = base(root: "../", edition: edition)
            print["lazy"] = false
            print["procedures"] = edition.procedures.map { procedureContext($0, edition: edition, imageRoot: "") }
            try render("handbook/print", print, to: directory.appendingPathComponent("print.html"))
        }
        var diff = base(root: "", edition: nil)
        diff["procedures"] = EditionDiff(content: content, manifest: manifest, site: site).rows()
        try render("handbook/diff", diff, to: folder.appendingPathComponent("diff.html"))
    }

    private func render(_ template: String, _ context: [String: Any], to file: URL) throws {
        guard let html = content.library.getTemplate(named: template)?.render(context, library: content.library) else {
            throw HandbookError.missingConfiguration("\(content.displayRoot)/templates/\(template).mustache is missing")
        }
        try Data(html.utf8).write(to: file)
    }

    private func base(root: String, edition: HandbookManifest.Edition?) -> [String: Any] {
        var context: [String: Any] = [
            "root": root, "title": settings.title, "site": settings.siteTitle, "banner": settings.banner,
            "editions": manifest.editions.map { ["id": $0.id, "label": $0.label, "href": "\(root)\($0.id)/index.html",
                                                 "current": $0.id == edition?.id] as [String: Any] },
        ]
        if let edition {
            var values: [String: Any] = ["id": edition.id, "label": edition.label]
            if printsPDF { values["pdf"] = "\(root)\(Self.pdfName(edition: edition.id))" }
            context["edition"] = values
        }
        return context
    }

    private func index() -> [String: Any] {
        var context = base(root: "", edition: nil)
        context["editions"] = manifest.editions.map { edition -> [String: Any] in
            ["id": edition.id, "label": edition.label, "pdf": printsPDF ? Self.pdfName(edition: edition.id) : false,
             "procedures": edition.procedures.map { ["href": "\(edition.id)/\($0.id).html", "section": $0.section, "title": $0.title] }]
        }
        return context
    }

    private func link(_ procedure: HandbookManifest.Procedure) -> [String: Any] {
        ["href": "\(procedure.id).html", "section": procedure.section, "title": procedure.title]
    }

    private func procedureContext(_ procedure: HandbookManifest.Procedure, edition: HandbookManifest.Edition,
                                  imageRoot: String) -> [String: Any] {
        let layouts = ManualLayout.allCases.compactMap { layout -> [String: Any]? in
            guard let steps = procedure.layouts[layout.rawValue], !steps.isEmpty else { return nil }
            return [
                "id": layout.rawValue, "label": layout.label, "width": layout.width,
                "steps": steps.map { step -> [String: Any] in
                    let file = String(step.image.split(separator: "/").last ?? "")
                    return [
                        "number": step.number, "circled": CircledNumber.text(for: step.number), "text": step.text,
                        "image": imageRoot + file, "alt": "\(CircledNumber.text(for: step.number)) \(step.text)",
                        "image_width": Int(step.clip.width), "image_height": Int(step.clip.height),
                        "anchor": "\(procedure.id)-\(layout.rawValue)-\(step.number)",
                        "has_callouts": !step.callouts.isEmpty,
                        "callouts": step.callouts.map { ["number": $0.number, "label": $0.label ?? "", "has_label": $0.label != nil, "text": $0.text] },
                    ]
                },
            ]
        }
        return [
            "id": procedure.id, "anchor": "p-\(procedure.id)", "section": procedure.section, "title": procedure.title,
            "lead_lines": (procedure.lead ?? "").split(separator: "\n").map(String.init),
            "details_lines": procedure.details.split(separator: "\n").map(String.init),
            "has_details_lines": !procedure.details.isEmpty,
            "layouts": layouts,
            "notes": procedure.notes.map { note -> [String: Any] in
                ["kind": note.kind, "kind_class": ["注意": "caution", "Point": "point", "参照先": "reference"][note.kind] ?? "note",
                 "title": note.title ?? "", "has_title": note.title != nil, "lines": note.text.split(separator: "\n").map(String.init)]
            },
        ]
    }
}

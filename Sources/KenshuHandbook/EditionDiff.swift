import Foundation
import KenshuSite

/// What differs between the editions, step by step: the sentence, the number of steps, and the
/// screen's text — with what causes a screen difference: a fixture item that exists in one
/// edition only (`editions: [v2]`), or an edition value the screen's templates read
/// (`edition.reception_slip`). Not a pixel diff: a trainer reads why, not where.
struct EditionDiff {
    let content: Content
    let manifest: HandbookManifest
    let site: URL

    func rows() -> [[String: Any]] {
        guard manifest.editions.count >= 2 else { return [] }
        let (older, newer) = (manifest.editions[1], manifest.editions[0])
        return content.procedures.compactMap { procedure -> [String: Any]? in
            let a = older.procedures.first { $0.id == procedure.id }, b = newer.procedures.first { $0.id == procedure.id }
            guard a != nil || b != nil else { return nil }
            var changes: [[String: Any]] = []
            if a == nil || b == nil {
                changes.append(["where": "手順全体", "what": "\((a == nil ? older : newer).label)にはありません", "details": [String](), "causes": [String]()])
            } else if let a, let b {
                if a.title != b.title { changes.append(change("見出し", "\(older.label)「\(a.title)」 → \(newer.label)「\(b.title)」")) }
                // A screen that differs is listed once, with every step that shows it.
                var screens: [(screen: String, places: [String])] = []
                for layout in ManualLayout.allCases {
                    let stepsA = a.layouts[layout.rawValue] ?? [], stepsB = b.layouts[layout.rawValue] ?? []
                    if stepsA.count != stepsB.count {
                        changes.append(change(layout.label, "手順の数: \(older.label) \(stepsA.count) / \(newer.label) \(stepsB.count)"))
                    }
                    for (stepA, stepB) in zip(stepsA, stepsB) {
                        let place = "\(layout.label) \(CircledNumber.text(for: stepA.number))"
                        if stepA.text != stepB.text {
                            changes.append(change(place, "文: \(older.label)「\(stepA.text)」 → \(newer.label)「\(stepB.text)」"))
                        }
                        guard stepA.screen == stepB.screen else {
                            changes.append(change(place, "画面: \(older.label) \(stepA.screen) → \(newer.label) \(stepB.screen)"))
                            continue
                        }
                        if let index = screens.firstIndex(where: { $0.screen == stepA.screen }) {
                            screens[index].places.append(place)
                        } else {
                            screens.append((stepA.screen, [place]))
                        }
                    }
                }
                for (screen, places) in screens {
                    guard let difference = screenChange(screen, older: older, newer: newer) else { continue }
                    var row = change(places.joined(separator: "・"), "画面 \(screen) の表示が違います")
                    row["details"] = difference.lines
                    row["causes"] = difference.causes
                    row["has_details"] = !difference.lines.isEmpty
                    row["has_causes"] = !difference.causes.isEmpty
                    changes.append(row)
                }
            }
            guard !changes.isEmpty else { return nil }
            return ["section": procedure.section, "title": b?.title ?? a?.title ?? "", "changes": changes]
        }
    }

    private func change(_ place: String, _ what: String) -> [String: Any] {
        ["where": place, "what": what, "details": [String](), "causes": [String]()]
    }

    /// The lines of the screen's text found in one edition only, and their causes. Each
    /// edition's own label (the banner's （新版）) is not a difference.
    private func screenChange(_ screen: String, older: HandbookManifest.Edition,
                              newer: HandbookManifest.Edition) -> (lines: [String], causes: [String])? {
        guard !screen.hasPrefix("mail:"),
              let textA = pageLines("\(older.id)/\(screen)", label: older.label),
              let textB = pageLines("\(newer.id)/\(screen)", label: newer.label)
        else { return nil }
        let onlyA = textA.filter { !textB.contains($0) }, onlyB = textB.filter { !textA.contains($0) }
        guard !onlyA.isEmpty || !onlyB.isEmpty else { return nil }
        let lines = onlyA.prefix(8).map { "− \($0)" } + onlyB.prefix(8).map { "+ \($0)" }
        return (Array(lines), causes(screen: screen, differing: onlyA + onlyB))
    }

    private func pageLines(_ path: String, label: String) -> [String]? {
        guard let data = FileManager.default.contents(atPath: site.appendingPathComponent(path).path) else { return nil }
        var html = String(decoding: data, as: UTF8.self)
        if let body = html.range(of: "<body") { html = String(html[body.lowerBound...]) }
        return RawHTML(html.replacingOccurrences(of: ">", with: ">\n")).plainText.split(separator: "\n")
            .map { $0.replacingOccurrences(of: label, with: "{版}") }.filter { $0 != "（{版}）" }
    }

    private func causes(screen: String, differing: [String]) -> [String] {
        var causes: [String] = []
        // Fixture items that exist in some editions only, whose text shows in a differing line.
        for (name, value) in content.fixtures.sorted(by: { $0.key < $1.key }) {
            for item in Self.editionItems(value) {
                let texts = item.values.values.compactMap { ($0 as? ContentString)?.value }.filter { $0.count >= 3 }
                guard texts.contains(where: { text in differing.contains { $0.contains(text) } }) else { continue }
                // Named by what identifies it: its number, id, name or title.
                let name_ = ["number", "id", "name", "title"].lazy.compactMap { (item.values[$0] as? ContentString)?.value }.first ?? texts[0]
                causes.append("fixtures/\(name): \(name_) の項目（editions: \(item.editions.joined(separator: ", "))）")
            }
        }
        // Edition values the screen's templates read and the editions set differently.
        if let page = content.pages.first(where: { $0.outputPath == screen }) {
            let editions = content.configuration.editions
            for key in templateEditionKeys(page.template) {
                let values = editions.map { edition in
                    let value = key.split(separator: ".").reduce(edition.values as Any?) { ($0 as? [String: Any])?[String($1)] }
                    return "\(edition.label): \(Self.describe(value))"
                }
                if Set(values.map { $0.split(separator: ":").dropFirst().joined() }).count > 1 {
                    causes.append("版の設定 edition.\(key)（\(values.joined(separator: " / "))）")
                }
            }
        }
        return causes
    }

    static func describe(_ value: Any?) -> String {
        switch value {
        case let flag as Bool: flag ? "あり" : "なし"
        case let text as ContentString: text.value
        case nil: "なし"
        default: "あり"
        }
    }

    /// Items (mappings) with an `editions:` list, at any depth of a fixture.
    static func editionItems(_ value: Any) -> [(editions: [String], values: [String: Any])] {
        if let list = value as? [Any] { return list.flatMap(editionItems) }
        guard let item = value as? [String: Any] else { return [] }
        let nested = item.values.flatMap(editionItems)
        guard let editions = item["editions"] as? [Any] else { return nested }
        return [(editions.compactMap { ($0 as? ContentString)?.value }, item)] + nested
    }

    /// `edition.X` keys read by a template and the partials it includes.
    private func templateEditionKeys(_ name: String) -> [String] {
        var keys = Set<String>(), seen = Set<String>(), queue = [name]
        while let next = queue.popLast() {
            guard seen.insert(next).inserted, let text = content.templates[next]?.text else { continue }
            var rest = text[...]
            while let hit = rest.range(of: "edition.") {
                // `edition.reception_slip`, `edition.labels.request_all`: the whole path.
                let key = rest[hit.upperBound...].prefix { $0.isLetter || $0 == "_" || $0.isNumber || $0 == "." }
                    .trimmingCharacters(in: CharacterSet(charactersIn: "."))
                if !key.isEmpty, !["id", "label", "description"].contains(key) { keys.insert(key) }
                rest = rest[hit.upperBound...]
            }
            rest = text[...]
            while let hit = rest.range(of: "{{>") {
                let partial = rest[hit.upperBound...].prefix { $0 != "}" }.trimmingCharacters(in: .whitespaces)
                queue.append(partial)
                rest = rest[hit.upperBound...]
            }
        }
        return keys.sorted()
    }
}

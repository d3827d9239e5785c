import Foundation
import Hummingbird

/// The study's own browser files, shipped as KenshuServer resources (`Facilitator/Assets`):
/// the participant's click script and task bar styles, the facilitator console's script.
/// First-party, a few KB each; read once.
struct StudyAssets: Sendable {
    let body: ByteBuffer
    let contentType: String

    static let files: [String: String] = [
        "study.js": "text/javascript; charset=utf-8",
        "study.css": "text/css; charset=utf-8",
        "facilitator.js": "text/javascript; charset=utf-8",
    ]

    private static let loaded: [String: StudyAssets] = {
        let folder = Bundle.module.url(forResource: "Assets", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Assets", isDirectory: true)
        var assets: [String: StudyAssets] = [:]
        for (name, type) in files {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
                fatalError("Kenshu cannot start: \(name) is missing from \(folder.path)")
            }
            assets[name] = StudyAssets(body: ByteBuffer(data: data), contentType: type)
        }
        return assets
    }()

    static func named(_ name: String) -> StudyAssets? { loaded[name] }

    /// Never cached: a rebuilt binary's script is used at once (like the tool's other scripts).
    func response() -> Response {
        Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "no-cache",
                                        SecurityHeaders.nosniff.0: SecurityHeaders.nosniff.1],
                 body: .init(byteBuffer: body))
    }
}

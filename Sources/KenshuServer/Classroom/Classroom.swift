import Hummingbird
import KenshuSite

/// Classroom mode: a whole class on their own phones over the trainer's local network.
/// Participants enter at `/join` (the site's sign-in page); the projector shows the address
/// and its QR code at `/trainer/join` (the trainer's, behind `TrainerAccess`).
enum Classroom {
    static func add(to router: Router<KenshuRequestContext>, table: SiteTable, flows: FlowsSwitch?,
                    joinBase: String?, views: ToolViews = .shared) {
        // The address to join: the first edition's sign-in page, as site.yaml names it.
        router.get("/join") { _, _ in
            Response(status: .seeOther, headers: [.location: signInPath(table), .cacheControl: "no-store"])
        }
        router.get("/trainer/join") { _, _ in
            views.response(.trainerJoin, JoinPage(url: joinBase.map { $0 + "/join" }))
        }
    }

    /// `/v2/login.html`: the first edition's `live.pages.sign_in`.
    static func signInPath(_ table: SiteTable) -> String {
        guard let site = table.site, let edition = site.editions.first else { return "/" }
        return "/\(edition)/\(LiveSettings(site).signIn)"
    }
}

/// The view model of `trainer-join.mustache`.
struct JoinPage: ToolViewModel {
    var layout = ToolLayout(title: "参加のご案内 — Kenshu", inlineStyle: JoinPage.stylesheet)
    var onNetwork: Bool
    var url: String
    /// The QR code of `url`, drawn by libqrencode (our SVG, not the request's text).
    var qrSVG: String

    init(url: String?) {
        onNetwork = url != nil
        self.url = url ?? ""
        qrSVG = url.flatMap { try? QRCode(encoding: $0).svg(label: "参加用アドレスの QR コード") } ?? ""
    }

    /// Large enough to read from the back of a seminar room.
    static let stylesheet: StaticString = """
        body { font-family: "Noto Sans CJK JP", sans-serif; margin: 2rem; color: #111; }
        h1 { font-size: 2.4rem; }
        .join-url { font-size: 3.2rem; font-weight: bold; word-break: break-all; margin: 1rem 0; }
        .join-qr svg { width: min(60vh, 90vw); height: auto; }
        """
}

import Hummingbird
import KenshuAccounts
import KenshuMail
import KenshuSite

/// Classroom mode: a whole class on their own phones over the trainer's local network, each
/// with an account and a mailbox of their own.
///
/// - `/join` opens the site's sign-in page; `/join/SECRET` (a participant card's QR code) first
///   remembers the participant in this browser (an HttpOnly cookie), then opens the sign-in page
///   or, with `?to=mailbox`, their mailbox. A wrong secret shows nothing.
/// - `/mailbox` (`Mailbox`): the participant's own mails only.
/// - `/trainer/join`, `/trainer/class`, `/trainer/cards` (`ClassroomTrainer`): the projector page,
///   the participants and their printable cards — the trainer's, behind `TrainerAccess`.
enum Classroom {
    static func add(to router: Router<KenshuRequestContext>, table: SiteTable, flows: FlowsSwitch?,
                    mailStore: MaildirStore?, joinBase: String?, views: ToolViews = .shared) {
        router.get("/join") { _, _ in
            Response(status: .seeOther, headers: [.location: signInPath(table), .cacheControl: "no-store"])
        }
        router.get("/join/:secret") { request, context in
            let secret = context.parameters.get("secret") ?? ""
            guard let accounts = flows?.flows?.accounts,
                  try await participant(secret: secret, accounts: accounts, flows: flows) != nil else {
                return Mailbox.missing(views)
            }
            // `?to=mailbox`: the card's mail QR code; `?to=study`: a study participant's link.
            let location = switch request.uri.queryParameters.get("to") {
            case "mailbox": "/mailbox"
            case "study": "/study"
            default: signInPath(table)
            }
            var response = Response(status: .seeOther, headers: [.location: location,
                                                                 .cacheControl: "no-store"])
            response.setCookie(FlowCookie.participant.set(secret))
            return response
        }
        router.get("/trainer/join") { _, _ in
            views.response(.trainerJoin, JoinPage(url: joinBase.map { $0 + "/join" }))
        }
        if let mailStore, let flows {
            Mailbox.add(to: router, store: mailStore, flows: flows, views: views)
        }
        if let flows {
            ClassroomTrainer.add(to: router, flows: flows, mailStore: mailStore, joinBase: joinBase, views: views)
        }
    }

    /// `/v2/login.html`: the first edition's `live.pages.sign_in`.
    static func signInPath(_ table: SiteTable) -> String {
        guard let site = table.site, let edition = site.editions.first else { return "/" }
        return "/\(edition)/\(LiveSettings(site).signIn)"
    }

    /// The participant a secret names (checked in constant time by `Accounts`), or nil.
    static func participant(secret: String, accounts: Accounts, flows: FlowsSwitch?) async throws -> Participant? {
        guard !secret.isEmpty, secret.utf8.count <= 128, let flows = flows?.flows else { return nil }
        return try await flows.blocking { try accounts.participant(forSecret: secret) }
    }

    /// The participant this browser was joined as (the card's cookie), or nil.
    static func participant(in request: Request, flows: LiveFlows) async throws -> Participant? {
        guard let secret = FlowCookie.participant.value(in: request) else { return nil }
        return try await flows.blocking { [accounts = flows.accounts] in try accounts.participant(forSecret: secret) }
    }
}

/// The view model of `trainer-join.mustache`: the projector page.
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

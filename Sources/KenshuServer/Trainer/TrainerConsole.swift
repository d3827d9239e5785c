import Foundation
import Hummingbird
import KenshuAccounts

/// `/trainer`: what a facilitator needs between two participants — every account and its state,
/// unlock, move the clock forward (to show an expired 認証キー), break the HelloWork half of a
/// Myna Portal link (to show 属性連携不整合確認), reset everything to the fixtures.
///
/// Reachable from this machine only, or with the trainer token (`TrainerAccess`, in front of
/// every trainer route). Until a build has turned the served flows on there are no accounts to
/// show: the console says so (503) instead of disappearing.
enum TrainerConsole {
    /// Registers `/trainer`. Loads the page templates now, so a broken install stops at start-up.
    static func add(to router: Router<KenshuRequestContext>, flows flowsSwitch: FlowsSwitch, views: ToolViews = .shared) {
        router.get("/trainer") { request, context in
            guard let flows = flowsSwitch.flows else { return flowsOff() }
            return try await page(flows: flows, request: request, notice: request.uri.queryParameters.get("done").map { String($0) },
                                  views: views)
        }
        router.post("/trainer/:operation") { request, context in
            guard let flows = flowsSwitch.flows else { return flowsOff() }
            var request = request
            let body = try await request.collectBody(upTo: 16 * 1024)
            let form = FormBody.decode(String(buffer: body)) ?? [:]
            guard CSRFToken.isEchoed(in: form, of: request) else {
                return errorPage(status: .forbidden, title: "操作できません", detail: "トレーナー画面を開き直してから操作してください。")
            }
            let email = form["email"] ?? ""
            let done: String
            switch context.parameters.get("operation") ?? "" {
            case "unlock":
                try await flows.blocking { [accounts = flows.accounts] in try accounts.unlock(email: email) }
                done = "unlocked"
            case "withdraw":
                try await flows.blocking { [accounts = flows.accounts] in try accounts.withdraw(email: email) }
                done = "withdrawn"
            case "unlink":
                try await flows.blocking { [accounts = flows.accounts] in try accounts.removeHelloWorkLink(email: email) }
                done = "unlinked"
            case "advance":
                guard let minutes = Int(form["minutes"] ?? ""), (1...60 * 24 * 400).contains(minutes) else {
                    return errorPage(status: .unprocessableContent, title: "時計を進められません", detail: "1以上の分数を入力してください。")
                }
                try await flows.blocking { [accounts = flows.accounts] in try accounts.advanceClock(by: TimeInterval(minutes * 60)) }
                done = "advanced"
            case "reset":
                try await flows.blocking { [accounts = flows.accounts] in try accounts.resetToSeeds() }
                done = "reset"
            default:
                return Response(status: .notFound)
            }
            return Response(status: .seeOther, headers: [.location: "/trainer?done=\(done)", .cacheControl: "no-store"])
        }
    }

    static func flowsOff() -> Response {
        errorPage(status: .serviceUnavailable, title: "アカウントはまだありません",
                  detail: "Content/ がビルドできると、フィクスチャのアカウントで動き始めます。ビルドのエラーを直してください。")
    }

    static func page(flows: LiveFlows, request: Request, notice: String?, views: ToolViews) async throws -> Response {
        let accounts = flows.accounts
        let (summaries, now, offset) = try await flows.blocking {
            (try accounts.summaries(), accounts.now(), accounts.clockOffset())
        }
        let (csrf, cookie) = CSRFToken.current(in: request)
        let passwords = Dictionary((flows.table.site.map { AccountFixtures(site: $0).accounts } ?? []).map { ($0.email.lowercased(), $0.password) },
                                   uniquingKeysWith: { first, _ in first })
        var response = views.response(.trainerConsole,
                                      TrainerConsoleView.ConsolePage(summaries: summaries, initialPasswords: passwords, now: now,
                                                                     offset: offset, csrf: csrf, notice: notice))
        if let cookie { response.setCookie(cookie) }
        return response
    }
}

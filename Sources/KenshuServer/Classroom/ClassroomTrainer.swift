import Foundation
import Hummingbird
import KenshuAccounts
import KenshuMail
import KenshuSite

/// The trainer's side of a class (behind `TrainerAccess`): `/trainer/class` creates participants
/// in one step and shows, unlocks, resets and removes them; `/trainer/cards` prints their cards.
enum ClassroomTrainer {
    static func add(to router: Router<KenshuRequestContext>, flows flowsSwitch: FlowsSwitch, mailStore: MaildirStore?,
                    joinBase: String?, views: ToolViews) {
        router.get("/trainer/class") { request, _ in
            guard let flows = flowsSwitch.flows else { return TrainerConsole.flowsOff() }
            let participants = try await flows.blocking { [accounts = flows.accounts] in try accounts.participants() }
            let seekers = flows.table.site.map { AccountFixtures(site: $0).accounts } ?? []
            let (csrf, cookie) = CSRFToken.current(in: request)
            var response = views.response(.trainerClass, ClassPage(participants: participants, seekers: seekers, csrf: csrf,
                                                                    notice: request.uri.queryParameters.get("done").map { String($0) },
                                                                    onNetwork: joinBase != nil))
            if let cookie { response.setCookie(cookie) }
            return response
        }
        router.post("/trainer/class/:operation") { request, context in
            guard let flows = flowsSwitch.flows else { return TrainerConsole.flowsOff() }
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            let form = FormBody.decode(String(buffer: body)) ?? [:]
            guard CSRFToken.isEchoed(in: form, of: request) else {
                return TrainerConsole.errorPage(status: .forbidden, title: "操作できません", detail: "クラスの画面を開き直してから操作してください。")
            }
            let accounts = flows.accounts
            let id = form["id"] ?? ""
            let done: String
            do {
                switch context.parameters.get("operation") ?? "" {
                case "create":
                    let participantRequest = try creation(form)
                    let made = try await flows.blocking { try accounts.createParticipants(participantRequest) }
                    done = "created-\(made.count)"
                case "unlock":
                    try await flows.blocking { try accounts.unlockParticipant(id: id) }
                    done = "unlocked"
                case "reset":
                    let email = try await flows.blocking { try accounts.participant(id: id)?.email }
                    try await flows.blocking { try accounts.resetParticipant(id: id) }
                    try await deleteMail(to: email.map { [$0] } ?? [], in: mailStore)
                    done = "reset"
                case "remove":
                    let email = try await flows.blocking { try accounts.participant(id: id)?.email }
                    try await flows.blocking { try accounts.removeParticipant(id: id) }
                    try await deleteMail(to: email.map { [$0] } ?? [], in: mailStore)
                    done = "removed"
                case "reset-all":
                    let emails = try await flows.blocking {
                        try accounts.participants().map { participant in
                            try accounts.resetParticipant(id: participant.id)
                            return participant.email
                        }
                    }
                    try await deleteMail(to: emails, in: mailStore)
                    done = "reset-all"
                case "remove-all":
                    let emails = try await flows.blocking { try accounts.participants().map(\.email) }
                    try await flows.blocking { try accounts.removeAllParticipants() }
                    try await deleteMail(to: emails, in: mailStore)
                    done = "removed-all"
                default:
                    return Response(status: .notFound)
                }
            } catch let error as AccountsError {
                return TrainerConsole.errorPage(status: .unprocessableContent, title: "参加者を変更できません", detail: "\(error)")
            } catch let error as CreationError {
                return TrainerConsole.errorPage(status: .unprocessableContent, title: "参加者を作れません", detail: error.message)
            }
            return Response(status: .seeOther, headers: [.location: "/trainer/class?done=\(done)", .cacheControl: "no-store"])
        }
        router.get("/trainer/cards") { request, _ in
            guard let flows = flowsSwitch.flows else { return TrainerConsole.flowsOff() }
            let cards = try await flows.blocking { [accounts = flows.accounts] in try accounts.cards() }
            // Without --lan the cards can only name this machine's address: the page says so.
            let base = joinBase ?? "http://" + (request.head.authority ?? "127.0.0.1")
            return views.response(.trainerCards, CardsPage(cards: cards, base: base, onNetwork: joinBase != nil))
        }
    }

    /// A participant's mail goes with them: a reset starts from an empty mailbox (no stale
    /// 認証キー), and a new class reusing `trainee01` never sees the last class's mail.
    static func deleteMail(to recipients: [String], in store: MaildirStore?) async throws {
        guard let store, !recipients.isEmpty else { return }
        let ids = recipients.flatMap { store.messages(addressedTo: $0, limit: .max).map(\.id) }
        if !ids.isEmpty { try await store.delete(ids: ids) }
    }

    struct CreationError: Error {
        var message: String
    }

    /// The creation form: a count or pasted names, the seeker to copy, the start state.
    static func creation(_ form: [String: String]) throws -> ParticipantRequest {
        let names = (form["names"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let seeker = form["seeker"] ?? ""
        let prefix = (form["prefix"] ?? "").isEmpty ? "trainee" : form["prefix"]!
        let domain = (form["domain"] ?? "").isEmpty ? "example.jp" : form["domain"]!
        let state: ParticipantStartState
        switch form["state"] ?? "fresh" {
        case "fresh": state = .fresh
        case "withdrawn": state = .withdrawn(daysAgo: 10)
        case "linked": state = .linkedWithMynaPortal
        default: throw CreationError(message: "開始時の状態を選んでください。")
        }
        if !names.isEmpty {
            return ParticipantRequest(pastedNames: names, idPrefix: prefix, seekerID: seeker, emailDomain: domain, startState: state)
        }
        guard let count = Int(form["count"] ?? ""), (1...ParticipantRequest.maximumCount).contains(count) else {
            throw CreationError(message: "人数は 1 から \(ParticipantRequest.maximumCount) までの数で入力するか、名前を 1 行に 1 人ずつ貼り付けてください。")
        }
        return ParticipantRequest(count: count, idPrefix: prefix, seekerID: seeker, emailDomain: domain, startState: state)
    }
}

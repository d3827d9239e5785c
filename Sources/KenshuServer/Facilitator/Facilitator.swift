import Foundation
import Hummingbird
import KenshuAccounts
import KenshuStudies
import NIOCore

/// The facilitator's console (behind `TrainerAccess`, like the trainer's pages):
///
/// - `/facilitator`: the participants and where each stands; create one (a pseudonym and an
///   account of their own); the report and the exports.
/// - `/facilitator/participants/P01`: prepare a task (the account in its start state in one
///   step), follow the participant live (`live.json`), notes from the keyboard, 補助あり, 終了,
///   the SUS, outcome overrides with a reason, deletion.
/// - `/facilitator/report`, `/facilitator/attempts.csv`, `/facilitator/events.json`.
enum Facilitator {
    static func add(to router: Router<KenshuRequestContext>, desk: StudyDesk, flows: FlowsSwitch?, joinBase: String?,
                    output: URL, views: ToolViews = .shared) {
        router.get("/facilitator") { request, _ in
            let (csrf, cookie) = CSRFToken.current(in: request)
            let seekers = flows?.table.site.map { AccountFixtures(site: $0).accounts } ?? []
            let view = try await desk.run {
                try ConsolePage(desk: desk, seekers: seekers, csrf: csrf, notice: request.uri.queryParameters.get("done").map { String($0) })
            }
            return withCookie(views.response(.facilitatorConsole, view), cookie)
        }
        router.post("/facilitator/participants") { request, _ in
            let form = try await formBody(request)
            guard let form else { return refusal() }
            let seeker = form["seeker"] ?? ""
            do {
                let made = try await desk.run { try desk.createParticipant(seeker: seeker) }
                return redirect("/facilitator/participants/\(made.id)")
            } catch {
                return TrainerConsole.errorPage(status: .unprocessableContent, title: "参加者を作れませんでした", detail: message(error))
            }
        }
        router.get("/facilitator/participants/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            let (csrf, cookie) = CSRFToken.current(in: request)
            let base = joinBase ?? "http://" + (request.head.authority ?? "127.0.0.1")
            let notice = request.uri.queryParameters.get("done").map { String($0) }
            let view = try await desk.run { try ParticipantConsolePage(desk: desk, id: id, csrf: csrf, joinBase: base, notice: notice) }
            guard let view else { return TrainerConsole.errorPage(status: .notFound, title: "参加者がいません", detail: "参加者 \(id) はいません。") }
            return withCookie(views.response(.facilitatorParticipant, view), cookie)
        }
        router.get("/facilitator/participants/:id/live.json") { request, context in
            let id = context.parameters.get("id") ?? ""
            let after = request.uri.queryParameters.get("after").flatMap { Int($0) } ?? 0
            let live = try await desk.run { () -> LiveAnswer? in
                guard try desk.store.participant(id: id) != nil else { return nil }
                return try LiveAnswer(desk: desk, participant: id, after: after)
            }
            guard let live else { return Response(status: .notFound) }
            return try ParticipantStudy.json(live)
        }
        router.post("/facilitator/participants/:id/:operation") { request, context in
            let id = context.parameters.get("id") ?? ""
            let operation = context.parameters.get("operation") ?? ""
            guard let form = try await formBody(request) else { return refusal() }
            let wantsJSON = request.headers[.accept]?.contains("application/json") == true
            do {
                let done = try await perform(operation, id: id, form: form, desk: desk)
                if wantsJSON { return try ParticipantStudy.json(["done": done]) }
                if operation == "delete" { return redirect("/facilitator?done=deleted") }
                return redirect("/facilitator/participants/\(id)?done=\(done)")
            } catch {
                if wantsJSON { return try ParticipantStudy.json(["error": message(error)], status: .unprocessableContent) }
                return TrainerConsole.errorPage(status: .unprocessableContent, title: "操作できませんでした", detail: message(error))
            }
        }
        router.get("/facilitator/report") { request, _ in
            let chosen = request.uri.queryParameters.get("study").map { String($0) }
            let report = try await desk.run { () -> StudyReport? in
                guard let study = try chooseStudy(chosen, desk: desk) else { return nil }
                return StudyReport(study: study, events: try desk.store.events(), participants: try desk.store.participants())
            }
            // `?screens=1`: the pages pictured under the click maps (Chromium; seconds, so asked for).
            var backdrops: [ClickBackdrop] = []
            if let report, request.uri.queryParameters.get("screens") == "1" {
                let cache = desk.store.file?.deletingLastPathComponent().appendingPathComponent("screens")
                backdrops = (try? await ClickMapScreens.shoot(report.clickMaps, output: output, cache: cache)) ?? []
            }
            let html = try report.map { try StudyReportPage.render($0, backdrops: backdrops) }
            guard let html else { return TrainerConsole.errorPage(status: .notFound, title: "調査がありません", detail: "Content/studies/ に調査がありません。") }
            return Response(status: .ok, headers: SecurityHeaders.toolPage, body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        router.get("/facilitator/attempts.csv") { request, _ in
            let chosen = request.uri.queryParameters.get("study").map { String($0) }
            let csv = try await desk.run { () -> String? in
                guard let study = try chooseStudy(chosen, desk: desk) else { return nil }
                return AttemptsCSV.render(StudyReport(study: study, events: try desk.store.events(), participants: try desk.store.participants()))
            }
            guard let csv else { return Response(status: .notFound) }
            return download(ByteBuffer(string: csv), type: "text/csv; charset=utf-8", name: "attempts.csv")
        }
        router.get("/facilitator/events.json") { _, _ in
            let data = try await desk.run { try EventArchive.export(desk.store) }
            return download(ByteBuffer(data: data), type: "application/json", name: "events.json")
        }
        router.get("/facilitator/assets/:file") { _, context in
            guard let asset = StudyAssets.named(context.parameters.get("file") ?? "") else { return Response(status: .notFound) }
            return asset.response()
        }
    }

    /// One console operation; returns the word for the page's notice.
    static func perform(_ operation: String, id: String, form: [String: String], desk: StudyDesk) async throws -> String {
        switch operation {
        case "prepare":
            let task = form["task"] ?? ""
            let (_, clearMailOf) = try await desk.run { try desk.prepare(participant: id, taskID: task) }
            if let email = clearMailOf { try await ClassroomTrainer.deleteMail(to: [email], in: desk.mailStore) }
            return "prepared"
        case "delete":
            guard form["confirm"] == "yes" else { throw StudyDeskError.notNow("「削除します」にチェックを入れてから押してください。") }
            try await desk.deleteParticipant(id)
            return "deleted"
        default:
            break
        }
        return try await desk.run {
            guard try desk.store.participant(id: id) != nil else { throw StudyDeskError.unknownParticipant(id) }
            switch operation {
            case "notes":
                let text = (form["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard !text.isEmpty, text.count <= 2000 else { throw StudyDeskError.notNow("メモを 1〜2000 文字で書いてください。") }
                guard let tag = StudyEvent.NoteTag(rawValue: form["tag"] ?? "") else { throw StudyDeskError.notNow("メモの種類を選んでください。") }
                // When the facilitator began writing; a time from the future or long ago is not taken.
                let started = form["started_ms"].flatMap { Int64($0) }.map { Date(timeIntervalSince1970: Double($0) / 1000) }
                let now = desk.clock()
                let time = started.flatMap { abs($0.timeIntervalSince(now)) < 3600 ? $0 : nil }
                try desk.note(participant: id, tag: tag, text: text, at: time)
                return "noted"
            case "assist":
                try desk.assisted(participant: id)
                return "assisted"
            case "end":
                try desk.end(participant: id, attempt: nil, by: .facilitator)
                return "ended"
            case "sus":
                try desk.record(.susRequested, participant: id, attempt: nil)
                return "sus"
            case "override":
                guard let outcome = Outcome(code: form["outcome"] ?? "") else { throw StudyDeskError.notNow("結果を選んでください。") }
                let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard !reason.isEmpty, reason.count <= 2000 else { throw StudyDeskError.notNow("変更の理由を書いてください。") }
                try desk.override(participant: id, attempt: form["attempt"] ?? "", outcome: outcome, reason: reason)
                return "overridden"
            default:
                throw StudyDeskError.notNow("この操作はありません。")
            }
        }
    }

    static func chooseStudy(_ id: String?, desk: StudyDesk) throws -> Study? {
        let studies = try desk.studies()
        if let id { return studies.first { $0.id == id } }
        return studies.first
    }

    /// The form of a console POST when its CSRF token matches; nil otherwise.
    static func formBody(_ request: Request) async throws -> [String: String]? {
        var request = request
        guard let body = try? await request.collectBody(upTo: 64 * 1024) else { return nil }
        let form = FormBody.decode(String(buffer: body)) ?? [:]
        guard CSRFToken.isEchoed(in: form, of: request) else { return nil }
        return form
    }

    static func refusal() -> Response {
        TrainerConsole.errorPage(status: .forbidden, title: "操作できません", detail: "ファシリテーターの画面を開き直してから操作してください。")
    }

    static func message(_ error: any Error) -> String {
        switch error {
        case let error as StudyDeskError: error.description
        case let error as AccountsError: "アカウントを操作できませんでした（\(error)）。"
        case let error as CustomStringConvertible: error.description
        default: "\(error)"
        }
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func withCookie(_ response: Response, _ cookie: Cookie?) -> Response {
        var response = response
        if let cookie { response.setCookie(cookie) }
        return response
    }

    static func download(_ body: ByteBuffer, type: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-store",
                                        .contentDisposition: "attachment; filename=\"\(name)\"",
                                        SecurityHeaders.nosniff.0: SecurityHeaders.nosniff.1],
                 body: .init(byteBuffer: body))
    }
}

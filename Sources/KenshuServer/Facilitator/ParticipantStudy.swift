import Foundation
import Hummingbird
import KenshuStudies
import NIOCore

/// The participant's side of a study, open to the participant's phone (no trainer access): the
/// study page `/study` (waiting, the prompt and 「開始」, the questionnaires), the task bar's
/// forms, the state the page's script follows, and `/study/events`, where the click script
/// sends what it buffered. A browser is a participant by its card's cookie only; anything else
/// gets the same "not a participant" answer.
enum ParticipantStudy {
    static func add(to router: Router<KenshuRequestContext>, desk: StudyDesk, views: ToolViews = .shared) {
        router.get("/study") { request, _ in
            try await page(request, desk: desk, views: views)
        }
        router.get("/study/state") { request, _ in
            let state = try await desk.run { () -> StateAnswer in
                guard let participant = try desk.participant(for: request) else { return StateAnswer(state: "none", attempt: nil, version: 0) }
                let progress = try desk.progress(participant)
                return StateAnswer(state: progress.state.rawValue, attempt: progress.attempt, version: progress.version)
            }
            return try json(state, status: state.state == "none" ? .notFound : .ok)
        }
        router.post("/study/:step") { request, context in
            try await step(context.parameters.get("step") ?? "", request: request, desk: desk, views: views)
        }
        router.get("/study/assets/:file") { _, context in
            guard let asset = StudyAssets.named(context.parameters.get("file") ?? "") else { return Response(status: .notFound) }
            return asset.response()
        }
    }

    /// What `/study/state` answers: enough for a page to notice that it is out of date.
    struct StateAnswer: Codable, Sendable {
        var state: String
        var attempt: String?
        var version: Int
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONEncoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    // MARK: The page

    static func page(_ request: Request, desk: StudyDesk, views: ToolViews, error: String? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let (csrf, cookie) = CSRFToken.current(in: request)
        let view = try await desk.run { () -> StudyPage in
            guard let participant = try desk.participant(for: request) else { return StudyPage(none: csrf) }
            let progress = try desk.progress(participant)
            let task = try desk.task(study: progress.study, task: progress.task)
            let study = try progress.study.flatMap { id in try desk.studies().first { $0.id == id } }
            return StudyPage(participant: participant, progress: progress, task: task, study: study, csrf: csrf, error: error)
        }
        var response = views.response(.studyPage, view, status: view.isNone ? .notFound : status)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    // MARK: Steps

    /// 「開始」, 「できた」, 「あきらめる」, the SEQ and the SUS (forms, CSRF-checked), and the click
    /// script's batches (JSON).
    static func step(_ name: String, request: Request, desk: StudyDesk, views: ToolViews) async throws -> Response {
        var request = request
        if name == "events" { return try await events(&request, desk: desk) }
        guard let body = try? await request.collectBody(upTo: 16 * 1024) else { return Response(status: .contentTooLarge) }
        let form = FormBody.decode(String(buffer: body)) ?? [:]
        guard CSRFToken.isEchoed(in: form, of: request) else {
            return try await page(request, desk: desk, views: views, error: "画面が古くなっていました。もう一度操作してください。", status: .forbidden)
        }
        let submitted = request
        do {
            let opening = try await desk.run { () -> StudyDesk.Opening? in
                guard let participant = try desk.participant(for: submitted) else { throw StudyDeskError.notNow("この端末は調査に参加していません。") }
                switch name {
                case "start":
                    return try desk.start(participant: participant)
                case "done":
                    try desk.end(participant: participant, attempt: form["attempt"], by: .participant)
                case "give-up":
                    try desk.end(participant: participant, attempt: form["attempt"], by: nil)
                case "seq":
                    guard let answer = Int(form["answer"] ?? ""), (1...7).contains(answer) else {
                        throw StudyDeskError.notNow("1 から 7 のどれかを選んでください。")
                    }
                    try desk.answerSEQ(participant: participant, answer: answer)
                case "sus":
                    let answers = (1...10).compactMap { Int(form["q\($0)"] ?? "") }
                    guard answers.count == 10, answers.allSatisfy({ (1...5).contains($0) }) else {
                        throw StudyDeskError.notNow("10 の文すべてについて、1 から 5 のどれかを選んでください。")
                    }
                    try desk.answerSUS(participant: participant, answers: answers)
                default:
                    throw StudyDeskError.notNow("この操作はありません。")
                }
                return nil
            }
            guard let opening else { return Response(status: .seeOther, headers: [.location: "/study", .cacheControl: "no-store"]) }
            // The task's start page, signed in when the task starts so; any session of an earlier
            // task ends with it (the account was put back into the task's start state).
            var response = Response(status: .seeOther, headers: [.location: opening.page, .cacheControl: "no-store"])
            if let session = opening.session {
                response.setCookie(FlowCookie.session.set(session.id))
            } else {
                response.setCookie(FlowCookie.session.clear())
            }
            for cookie in [FlowCookie.myna, .reset, .reregister] { response.setCookie(cookie.clear()) }
            return response
        } catch let error as StudyDeskError {
            return try await page(request, desk: desk, views: views, error: error.description, status: .conflict)
        }
    }

    /// A batch from the click script: `{"stream": "…", "events": [ClientEvent…]}`. Only JSON
    /// (a cross-site form cannot send it) from this site's own pages.
    static func events(_ request: inout Request, desk: StudyDesk) async throws -> Response {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true,
              request.headers[Self.secFetchSite].map({ $0 == "same-origin" || $0 == "none" }) ?? true else {
            return Response(status: .forbidden)
        }
        guard let body = try? await request.collectBody(upTo: 256 * 1024) else { return Response(status: .contentTooLarge) }
        guard let batch = try? JSONDecoder().decode(ClientBatch.self, from: Data(buffer: body)),
              (1...64).contains(batch.stream.utf8.count), batch.stream.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
              batch.events.count <= 500 else {
            return Response(status: .badRequest)
        }
        let submitted = request
        do {
            let receipt = try await desk.run { () -> ClientReceipt? in
                guard let participant = try desk.participant(for: submitted) else { return nil }
                return try desk.receive(batch.events, participant: participant, stream: batch.stream)
            }
            guard let receipt else { return Response(status: .forbidden) }
            return try json(Receipt(acknowledged: receipt.acknowledged, missing: receipt.missing, accepted: receipt.accepted.count))
        } catch let error as StudyError {
            if case .unknownParticipant = error { return Response(status: .gone) }
            return Response(status: .badRequest)
        }
    }

    static let secFetchSite = HTTPFields.Element.Name("Sec-Fetch-Site")!

    struct ClientBatch: Decodable {
        var stream: String
        var events: [ClientEvent]
    }

    struct Receipt: Encodable {
        var acknowledged: Int
        var missing: [Int]
        var accepted: Int
    }
}

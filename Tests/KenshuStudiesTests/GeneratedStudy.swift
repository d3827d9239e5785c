import Foundation
@testable import KenshuStudies

/// A made-up but plausible run of a study: every participant does every task, mostly along the
/// expected path, sometimes astray, with clicks, misclicks, errors, notes and answers. Seeded,
/// so a test sees the same log every time.
struct GeneratedStudy {
    var study: Study
    var participants: [StudyParticipant] = []
    var events: [StudyEvent] = []

    /// SplitMix64: small, seedable, the same on every platform.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }
    }

    init(study: Study, participants count: Int, seed: UInt64 = 15) {
        self.study = study
        var random = Random(state: seed)
        var clock = EventLog.base
        for number in 1...count {
            let id = StudyParticipant.pseudonym(number)
            participants.append(StudyParticipant(id: id, createdAt: clock))
            var seq = 0
            func add(_ kind: StudyEvent.Kind, attempt: String?, after millis: Int) {
                clock += Int64(millis)
                seq += 1
                events.append(StudyEvent(seq: seq, milliseconds: clock, participant: id, attempt: attempt, kind: kind))
            }
            for task in study.tasks {
                let attempt = "\(id)-\(task.id)-1"
                let route = task.expectedPaths.first ?? [task.startPage]
                add(.pageView(path: "/" + route[0]), attempt: attempt, after: 5_000)
                add(.taskStarted(study: study.id, task: task.id), attempt: attempt, after: random.int(1_000...4_000))
                let astray = random.chance(0.25), givesUp = random.chance(0.08), assisted = random.chance(0.05)
                for (index, page) in route.enumerated().dropFirst() {
                    for _ in 0..<random.int(1...3) {
                        let interactive = !random.chance(0.15)
                        let width = task.layout == .sp ? 390 : 1280
                        add(.click(.init(element: interactive ? "a.button" : "p.lead", x: random.int(0...width), y: random.int(0...1500),
                                         viewportWidth: width, viewportHeight: task.layout == .sp ? 844 : 900, interactive: interactive)),
                            attempt: attempt, after: random.int(800...9_000))
                    }
                    if astray && index == 1 {
                        add(.pageView(path: "/v2/outside.html"), attempt: attempt, after: random.int(500...2_000))
                        add(.note(tag: .confusion, text: "範囲外の画面を開いた（\(task.id)）"), attempt: attempt, after: 3_000)
                    }
                    if random.chance(0.2) {
                        add(.formSubmitted(form: "login", fields: [.init(name: "email", valid: true), .init(name: "password", valid: false)]),
                            attempt: attempt, after: 2_000)
                        add([StudyEvent.Kind.loginFailed, .keyMismatch, .policyError(field: "new_password")][random.int(0...2)],
                            attempt: attempt, after: 50)
                    }
                    if givesUp && index == route.count - 1 { break }
                    if index == route.count - 1 {
                        add(Self.successEvent(task.success, page: page), attempt: attempt, after: random.int(500...3_000))
                    }
                    add(.pageView(path: "/" + page + (random.chance(0.1) ? "?from=test" : "")), attempt: attempt, after: 300)
                }
                if assisted { add(.assisted, attempt: attempt, after: 1_000) }
                add(givesUp ? .gaveUp : .taskEnded(by: .participant), attempt: attempt, after: random.int(1_000...5_000))
                add(.seqAnswer(random.int(givesUp ? 1...3 : 4...7)), attempt: attempt, after: random.int(3_000...8_000))
            }
            add(.susAnswers((1...10).map { _ in random.int(1...5) }), attempt: nil, after: 60_000)
            clock += 600_000
        }
    }

    static func successEvent(_ condition: SuccessCondition, page: String) -> StudyEvent.Kind {
        switch condition {
        case .passwordResetCompleted: .passwordResetCompleted
        case .signedIn: .signedIn(path: "/" + page)
        case .mynaLinked: .mynaLinked
        case .mynaUnlinked: .mynaUnlinked
        case .signedOut: .signedOut
        }
    }
}

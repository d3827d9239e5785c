import Foundation
import KenshuAccounts
import KenshuSite

/// `trainer-class.mustache`: create participants, see each one's state, act on one or all.
struct ClassPage: ToolViewModel {
    struct Seeker: Sendable {
        var id: String
        var label: String
        var selected: Bool
    }
    struct Row: Sendable {
        var id: String
        var email: String
        var name: String
        var state: String
        var isLocked: Bool
        /// `退会済み（10日前）` for a withdrawn account, else empty.
        var withdrawn: String
        var isWithdrawn: Bool
        var attempts: Int
        var keys: Int
        var link: String
        var lastLogin: String
    }

    var layout = ToolLayout(title: "クラス — Kenshu", inlineStyle: ClassPage.stylesheet)
    var csrf: String
    var notice: String
    var hasNotice: Bool
    var onNetwork: Bool
    var seekers: [Seeker]
    var rows: [Row]
    var hasRows: Bool
    var maximum = ParticipantRequest.maximumCount

    init(participants: [ParticipantSummary], seekers accounts: [AccountSeed], csrf: String, notice: String?, onNetwork: Bool) {
        self.csrf = csrf
        self.onNetwork = onNetwork
        var seen = Set<String>()
        seekers = accounts.filter { seen.insert($0.seekerID).inserted }.enumerated().map { offset, seed in
            Seeker(id: seed.seekerID, label: "\(seed.name)（\(seed.seekerID)）", selected: offset == 0)
        }
        rows = participants.map { participant in
            let state: String = switch participant.startState {
            case .fresh: "新規"
            case .withdrawn(let days): "退会 \(days) 日前"
            case .linkedWithMynaPortal: "マイナポータル連携済み"
            }
            let link = switch participant.mynaPortalLink {
            case .none: "—"
            case .linked: "連携"
            case .mismatched: "不整合"
            }
            return Row(id: participant.id, email: participant.email, name: participant.name ?? "—", state: state,
                       isLocked: participant.isLocked,
                       withdrawn: participant.withdrawnDaysAgo.map { "退会済み（\($0)日前）" } ?? "",
                       isWithdrawn: participant.withdrawnDaysAgo != nil,
                       attempts: participant.failedAttempts, keys: participant.pendingKeys,
                       link: link, lastLogin: participant.lastLogin.map(JapaneseDate.manualMinute) ?? "—")
        }
        hasRows = !rows.isEmpty
        let text: String? = switch notice {
        case .some(let done) where done.hasPrefix("created-"): "\(done.dropFirst("created-".count)) 人の参加者を作りました。"
        case "unlocked": "ロックを解除しました。"
        case "reset": "参加者を開始時の状態に戻しました。"
        case "removed": "参加者を削除しました。"
        case "reset-all": "全員を開始時の状態に戻しました。"
        case "removed-all": "全員を削除しました。"
        default: nil
        }
        self.notice = text ?? ""
        hasNotice = text != nil
    }

    static let stylesheet: StaticString = """
        body { font-family: "Noto Sans CJK JP", sans-serif; margin: 1.5rem; color: #111; }
        table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
        th, td { border: 1px solid #bbb; padding: 6px 8px; text-align: left; vertical-align: top; }
        .locked { color: #b00; font-weight: bold; }
        form.inline { display: inline; }
        fieldset { border: 1px solid #bbb; margin: 1rem 0; }
        .notice { background: #eef7ee; border: 1px solid #7a7; padding: 8px; }
        .warning { background: #fff4e5; border: 1px solid #d90; padding: 8px; }
        """
}

/// `trainer-cards.mustache`: eight cards to an A4 page, each with the participant's ID, initial
/// password and two QR codes — the sign-in page and their mailbox — on the classroom address.
struct CardsPage: ToolViewModel {
    struct Card: Sendable {
        var id: String
        var email: String
        var name: String
        var hasName: Bool
        var password: String
        var loginQR: String
        var mailboxQR: String
        var loginURL: String
        var mailboxURL: String
    }

    var layout = ToolLayout(title: "参加者カード — Kenshu", inlineStyle: CardsPage.stylesheet)
    var cards: [Card]
    var hasCards: Bool
    var onNetwork: Bool
    /// The address to type when a phone cannot scan (then sign in with the ID and password).
    var joinURL: String

    init(cards: [ParticipantCard], base: String, onNetwork: Bool) {
        self.onNetwork = onNetwork
        joinURL = base + "/join"
        self.cards = cards.map { card in
            let login = "\(base)/join/\(card.secret)"
            let mailbox = login + "?to=mailbox"
            return Card(id: card.id, email: card.email, name: card.name ?? "", hasName: card.name != nil, password: card.initialPassword,
                        loginQR: (try? QRCode(encoding: login).svg(label: "ログイン画面を開く QR コード")) ?? "",
                        mailboxQR: (try? QRCode(encoding: mailbox).svg(label: "メールを開く QR コード")) ?? "",
                        loginURL: login, mailboxURL: mailbox)
        }
        hasCards = !cards.isEmpty
    }

    /// A4, 2 × 4 cards of 95 × 68 mm; a card never breaks across pages.
    static let stylesheet: StaticString = """
        @page { size: A4; margin: 8mm; }
        body { font-family: "Noto Sans CJK JP", sans-serif; margin: 0; color: #000; }
        .screen-only { margin: 1rem; }
        @media print { .screen-only { display: none; } }
        .cards { display: grid; grid-template-columns: repeat(2, 95mm); grid-auto-rows: 68mm; gap: 0; justify-content: center; }
        .card { box-sizing: border-box; border: 1px dashed #888; padding: 3mm 4mm; break-inside: avoid; page-break-inside: avoid; overflow: hidden; }
        .card h2 { font-size: 11pt; margin: 0 0 1mm; }
        .card dl { margin: 0; font-size: 9pt; display: grid; grid-template-columns: auto 1fr; gap: 0 2mm; }
        .card dt { font-weight: bold; }
        .card dd { margin: 0; font-family: ui-monospace, monospace; word-break: break-all; }
        .qrs { display: flex; gap: 4mm; margin-top: 2mm; }
        .qrs figure { margin: 0; text-align: center; font-size: 8pt; }
        .qrs svg { width: 30mm; height: 30mm; display: block; }
        .card-url { font: 8pt ui-monospace, monospace; margin: 1mm 0 0; word-break: break-all; }
        .card:nth-child(8n) { break-after: page; page-break-after: always; }
        """
}

import Hummingbird
import KenshuMail

/// The mail sink's HTTP side: the Mailpit-compatible JSON API (`MailAPI.swift`) and the Japanese
/// web inbox under `/mail` (`MailInbox`).
public enum MailRoutes {
    /// Registers the JSON API under `/api/v1` and the web inbox under `/mail` on `router`.
    public static func add(to router: Router<KenshuRequestContext>, store: MaildirStore) {
        addAPI(to: router, store: store)
        MailInbox.add(to: router, store: store)
    }

    /// Every stored message matching `search`, newest first; bodies are parsed only when a free-text
    /// term is not found in the header fields.
    static func matchingMessages(store: MaildirStore, search: MailSearch) async -> [MaildirStore.Message] {
        let all = store.messages(start: 0, limit: max(store.count, 1))
        if search.isEmpty { return all }
        var matching: [MaildirStore.Message] = []
        for entry in all {
            let summary = MIMEMessage.headers(parsing: Array(entry.headerBlock.readableBytesView))
            var snippet = ""
            if search.needsSnippet, !search.matches(summary, isRead: entry.isRead, snippet: { "" }),
               let raw = try? await store.rawMessage(id: entry.id) {
                snippet = MIMEMessage(parsing: Array(raw.readableBytesView)).snippet
            }
            if search.matches(summary, isRead: entry.isRead, snippet: { snippet }) { matching.append(entry) }
        }
        return matching
    }
}

import Foundation
import KenshuAccounts
import KenshuSite

/// The accounts and Myna Portal residents the served flows start from, read from the fixtures
/// site.yaml `live.accounts` and `live.residents` name: every entry with an `email` and a
/// `password` is an account (`withdrawn_days_ago` makes it a withdrawn one; the field
/// `live.viewer.previous_login` names is its previous sign-in). Without those keys there are no
/// accounts: the names are the site's, not the engine's.
public struct AccountFixtures: Sendable {
    public var accounts: [AccountSeed]
    public var residents: [ResidentSeed]

    public init(site: LiveSite) {
        let settings = site.settings
        let accountList = LiveValues.string(settings["accounts"])
        let residentList = LiveValues.string(settings["residents"])
        let previousLogin = ViewerSettings(site).previousLoginField
        accounts = (accountList.map(site.fixtureRecords) ?? []).compactMap { record in
            guard let email = LiveValues.string(record["email"]), let password = LiveValues.string(record["password"]),
                  let id = LiveValues.string(record["id"]) else { return nil }
            return AccountSeed(email: email, password: password, seekerID: id,
                               name: LiveValues.string(record["name"]) ?? email,
                               lastLogin: previousLogin.flatMap { LiveValues.string(record[$0]) }.flatMap(JapaneseDate.date(fromFixtureMinute:)),
                               withdrawnDaysAgo: LiveValues.int(record["withdrawn_days_ago"]))
        }
        residents = (residentList.map(site.fixtureRecords) ?? []).compactMap { record in
            guard let id = LiveValues.string(record["id"]) else { return nil }
            return ResidentSeed(id: id, name: LiveValues.string(record["name"]) ?? id)
        }
    }
}

/// site.yaml `live.viewer`: where the signed-in account's own data goes in a served page.
struct ViewerSettings {
    /// The collection that is the signed-in seeker (`seeker`).
    var collection: String?
    /// Its field showing the previous sign-in (`last_login`).
    var previousLoginField: String?
    /// Its field showing the account's name (`name`).
    var nameField: String?

    init(_ site: LiveSite) {
        let viewer = site.settings["viewer"] as? [String: Any]
        collection = LiveValues.string(viewer?["collection"])
        previousLoginField = LiveValues.string(viewer?["previous_login"])
        nameField = LiveValues.string(viewer?["name"])
    }
}

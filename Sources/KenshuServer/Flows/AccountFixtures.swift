import Foundation
import KenshuAccounts
import KenshuSite

/// The accounts and Myna Portal residents the served flows start from, read from the fixtures
/// site.yaml `live.accounts` and `live.residents` name: every entry with an `email` and a
/// `password` is an account (`withdrawn_days_ago` makes it a withdrawn one).
public struct AccountFixtures: Sendable {
    public var accounts: [AccountSeed]
    public var residents: [ResidentSeed]

    public init(site: LiveSite) {
        let settings = site.settings
        let accountList = LiveValues.string(settings["accounts"]) ?? "seekers"
        let residentList = LiveValues.string(settings["residents"]) ?? "residents"
        accounts = site.fixtureRecords(accountList).compactMap { record in
            guard let email = LiveValues.string(record["email"]), let password = LiveValues.string(record["password"]),
                  let id = LiveValues.string(record["id"]) else { return nil }
            return AccountSeed(email: email, password: password, seekerID: id,
                               name: LiveValues.string(record["name"]) ?? email,
                               lastLogin: LiveValues.string(record["last_login"]).flatMap(JapanTime.parseFixtureMinute),
                               withdrawnDaysAgo: LiveValues.int(record["withdrawn_days_ago"]))
        }
        residents = site.fixtureRecords(residentList).compactMap { record in
            guard let id = LiveValues.string(record["id"]) else { return nil }
            return ResidentSeed(id: id, name: LiveValues.string(record["name"]) ?? id)
        }
    }
}

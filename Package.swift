// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Kenshu",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kenshu", targets: ["kenshu"]),
        .library(name: "KenshuSite", targets: ["KenshuSite"]),
        .library(name: "KenshuMail", targets: ["KenshuMail"]),
        .library(name: "KenshuAccounts", targets: ["KenshuAccounts"]),
        .library(name: "KenshuBrowser", targets: ["KenshuBrowser"]),
        .library(name: "KenshuHandbook", targets: ["KenshuHandbook"]),
        .library(name: "KenshuStudies", targets: ["KenshuStudies"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // Named for the products KenshuServer and the CLI import themselves (Logging, NIOHTTPTypes);
        // hummingbird already depends on them, at these versions.
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        .target(
            name: "KenshuSite",
            dependencies: [
                "CCmark",
                "CQRencode",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .systemLibrary(name: "CLinuxFileSync"),
        .target(
            name: "KenshuMail",
            dependencies: [
                "CLinuxFileSync",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(
            name: "KenshuAccounts",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // A Chrome DevTools Protocol client for Debian's Chromium (over --remote-debugging-pipe);
        // knows nothing of HelloWork. Foundation only.
        .target(name: "KenshuBrowser"),
        .target(
            name: "KenshuHandbook",
            dependencies: [
                "KenshuSite",
                "KenshuBrowser",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // Usability studies as data: tasks, the event log (SQLite), the outcome classifier, the
        // statistics and the report's numbers. No HTTP; the one HTML is the offline report file
        // (StudyReportPage), the live console is KenshuServer's.
        .target(
            name: "KenshuStudies",
            dependencies: [
                "KenshuSite",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // The offline report's page (StudyReportPage), read from the bundle.
            resources: [.copy("Report/Templates")]
        ),
        .target(
            name: "KenshuServer",
            dependencies: [
                "KenshuSite",
                "KenshuMail",
                "KenshuAccounts",
                "KenshuStudies",
                "KenshuBrowser",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // The tool's own pages (inbox, trainer console): read from the bundle by ToolViews.
            // and the study's browser files (click script, task bar styles, the facilitator's script).
            resources: [.copy("Views/Templates"), .copy("Facilitator/Assets")]
        ),
        .executableTarget(
            name: "kenshu",
            dependencies: [
                "KenshuSite",
                "KenshuServer",
                "KenshuMail",
                "KenshuHandbook",
                "KenshuAccounts",
                "KenshuStudies",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "KenshuSiteTests",
            // KenshuAccounts only to check that both modules' defaults are the manual's numbers.
            dependencies: ["KenshuSite", "KenshuAccounts"]
        ),
        .testTarget(
            name: "KenshuMailTests",
            dependencies: [
                "KenshuMail",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "KenshuBrowserTests",
            dependencies: ["KenshuBrowser"]
        ),
        .testTarget(
            name: "KenshuHandbookTests",
            dependencies: ["KenshuHandbook", "KenshuSite"]
        ),
        .testTarget(
            name: "KenshuAccountsTests",
            dependencies: ["KenshuAccounts"]
        ),
        .testTarget(
            name: "KenshuStudiesTests",
            // GRDB to read the database file directly (nothing of a deleted participant is left).
            dependencies: ["KenshuStudies", "KenshuSite", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "KenshuServerTests",
            dependencies: [
                "KenshuServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)

// swift-tools-version:6.0
// libFuzzer targets for the mail sink's parsers, built apart from the main package because they
// link only with `-sanitize=fuzzer` (their `main` hands over to libFuzzer's driver):
//   cd Fuzz && swift build -Xswiftc -sanitize=fuzzer,address
//   .build/debug/FuzzSMTPCommand -max_total_time=600 corpus/smtp
// `make fuzz` runs each target briefly (CI); see the README for a longer run.
import PackageDescription

let package = Package(
    name: "KenshuFuzz",
    dependencies: [.package(name: "Kenshu", path: "..")],
    targets: [
        .executableTarget(name: "FuzzSMTPCommand", dependencies: [.product(name: "KenshuMail", package: "Kenshu")]),
        .executableTarget(name: "FuzzMIMEMessage", dependencies: [.product(name: "KenshuMail", package: "Kenshu")]),
    ]
)

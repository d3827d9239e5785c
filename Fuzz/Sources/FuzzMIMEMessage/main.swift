import Foundation
import KenshuMail

/// libFuzzer's entry point for programs that keep their own `main` (SwiftPM renames an
/// executable's `main`, so the usual `-parse-as-library` + `LLVMFuzzerTestOneInput` set-up cannot
/// link). Present only when built with `-sanitize=fuzzer`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Parses arbitrary bytes as a stored mail: the parser must never trap and must stay bounded.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: start == nil ? 0 : count))
    _ = MIMEMessage(parsing: bytes).snippet
    _ = MIMEMessage.headers(parsing: bytes)
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))

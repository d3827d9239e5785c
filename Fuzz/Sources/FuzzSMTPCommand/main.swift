import Foundation
import KenshuMail
import NIOCore

/// libFuzzer's entry point for programs that keep their own `main` (SwiftPM renames an
/// executable's `main`, so the usual `-parse-as-library` + `LLVMFuzzerTestOneInput` set-up cannot
/// link). Present only when built with `-sanitize=fuzzer`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Feeds arbitrary bytes through the line decoder, the command parser and the session state
/// machine: none of them may trap, whatever a client sends.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: start == nil ? 0 : count)
    _ = try? SMTPCommand.parse(String(decoding: bytes, as: UTF8.self))
    var decoder = SMTPLineDecoder()
    var buffer = ByteBuffer(bytes: bytes)
    var session = SMTPSession()
    _ = session.start()
    while let output = decoder.nextLine(in: &buffer) {
        _ = session.receive(output)
    }
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))

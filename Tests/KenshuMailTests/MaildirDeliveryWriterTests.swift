import Foundation
@testable import KenshuMail
import NIOCore
import Testing

struct MaildirDeliveryWriterTests {
    private func makeMaildir() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString)").path
        for subdirectory in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(atPath: "\(path)/\(subdirectory)", withIntermediateDirectories: true)
        }
        return path
    }

    private func files(_ directory: String, _ subdirectory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/\(subdirectory)")) ?? []).sorted()
    }

    private let delivery = MaildirDelivery(
        uniqueName: "1700000000.M1P1Q1.test",
        traceHeaders: ByteBuffer(string: "Return-Path: <a@x.test>\r\n"),
        message: ByteBuffer(string: "Subject: x\r\n\r\nbody\r\n")
    )

    @Test(arguments: [true, false])
    func aStagedMessageHasNoNameUntilPublished(unnamed: Bool) throws {
        let directory = try self.makeMaildir()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try MaildirDeliveryWriter(directory: directory)
        writer.writesUnnamedFiles.withLockedValue { $0 = unnamed }

        let staged = try writer.stage(self.delivery)
        #expect(self.files(directory, "new").isEmpty)
        #expect(self.files(directory, "tmp") == (unnamed ? [] : [self.delivery.uniqueName]))
        try writer.sync()
        try writer.publish(staged, of: self.delivery)
        try writer.sync()
        #expect(self.files(directory, "new") == [self.delivery.uniqueName])
        #expect(self.files(directory, "tmp").isEmpty)
        let contents = try String(contentsOfFile: "\(directory)/new/\(self.delivery.uniqueName)", encoding: .utf8)
        #expect(contents == "Return-Path: <a@x.test>\r\nSubject: x\r\n\r\nbody\r\n")

        writer.unpublish(self.delivery)
        #expect(self.files(directory, "new").isEmpty)
    }

    @Test(arguments: [true, false])
    func anAbandonedMessageLeavesNothing(unnamed: Bool) throws {
        let directory = try self.makeMaildir()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try MaildirDeliveryWriter(directory: directory)
        writer.writesUnnamedFiles.withLockedValue { $0 = unnamed }
        writer.abandon(try writer.stage(self.delivery), of: self.delivery)
        #expect(self.files(directory, "new").isEmpty && self.files(directory, "tmp").isEmpty)
    }

    /// Unique names never repeat, but if one did the link must fail rather than replace a stored message.
    @Test func publishingOverAnExistingNameFailsAndKeepsTheStoredFile() throws {
        let directory = try self.makeMaildir()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try MaildirDeliveryWriter(directory: directory)
        let existing = "\(directory)/new/\(self.delivery.uniqueName)"
        #expect(FileManager.default.createFile(atPath: existing, contents: Data("stored".utf8)))
        let staged = try writer.stage(self.delivery)
        #expect(throws: MaildirStore.FileError.self) { try writer.publish(staged, of: self.delivery) }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "stored")
    }

    @Test func stagingFailsWithTheFileErrorWhenNewIsMissing() throws {
        let directory = try self.makeMaildir()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try MaildirDeliveryWriter(directory: directory)
        try FileManager.default.removeItem(atPath: "\(directory)/new")
        #expect(throws: MaildirStore.FileError.self) { _ = try writer.stage(self.delivery) }
        #expect(self.files(directory, "tmp").isEmpty)
    }
}

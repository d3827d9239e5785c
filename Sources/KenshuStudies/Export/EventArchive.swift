import Foundation

/// `events.json`: the whole log, to keep, share or load into another data directory.
///
///     {"schema": 1,
///      "participants": [{"created_at": "…", "id": "P01"}],
///      "events": [
///     {"attempt": …, "participant": "P01", "seq": 1, …},
///     …
///     ]}
///
/// One event a line, keys sorted, so two exports of the same log are byte for byte the same and
/// a diff shows what changed. `participants` keeps those who have no event yet; a reader of
/// schema 1 also takes a file without it (participants come from the events).
public enum EventArchive {
    /// The version of the file's form; a reader refuses a newer one.
    public static let schema = 1

    public static func encode(participants: [StudyParticipant], events: [StudyEvent]) throws -> Data {
        var text = "{\"schema\": \(schema),\n\"participants\": ["
        text += try participants.map { participant in
            let object = ["id": participant.id, "created_at": EventTime.iso(milliseconds: participant.createdAt)]
            return String(decoding: try StudyEvent.lineEncoder.encode(object), as: UTF8.self)
        }.joined(separator: ", ")
        text += "],\n\"events\": [\n"
        text += try events.map { try $0.jsonLine() }.joined(separator: ",\n")
        text += events.isEmpty ? "]}\n" : "\n]}\n"
        return Data(text.utf8)
    }

    /// The store's whole log.
    public static func export(_ store: StudyStore) throws -> Data {
        try encode(participants: try store.participants(), events: try store.events())
    }

    public static func decode(_ data: Data) throws -> (participants: [StudyParticipant], events: [StudyEvent]) {
        let archive: Archive
        do {
            let header = try JSONDecoder().decode(Header.self, from: data)
            guard header.schema == schema else { throw StudyError.unsupportedSchema(header.schema) }
            archive = try JSONDecoder().decode(Archive.self, from: data)
        } catch let error as StudyError {
            throw error
        } catch {
            throw StudyError.malformedArchive(String(describing: error))
        }
        var participants: [StudyParticipant] = []
        for entry in archive.participants ?? [] {
            guard let created = EventTime.milliseconds(iso: entry.createdAt) else {
                throw StudyError.malformedArchive("participant \(entry.id): created_at is not an ISO 8601 UTC time")
            }
            participants.append(StudyParticipant(id: entry.id, createdAt: created))
        }
        return (participants, archive.events)
    }

    /// Loads `events.json` into an empty store: afterwards the store reports exactly what the
    /// exporting one did. Refused for a store that already holds events (two logs would mix).
    public static func importArchive(_ data: Data, into store: StudyStore) throws {
        let (participants, events) = try decode(data)
        try store.importLog(participants: participants, events: events)
    }

    private struct Header: Decodable { var schema: Int }

    private struct Archive: Decodable {
        var participants: [ParticipantEntry]?
        var events: [StudyEvent]
    }

    private struct ParticipantEntry: Decodable {
        var id: String
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id
            case createdAt = "created_at"
        }
    }
}

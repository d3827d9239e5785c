/// Misuse the rules cannot turn into an outcome.
public enum AccountsError: Error, Sendable, Equatable {
    /// ``Accounts/advanceClock(by:)`` was given NaN or infinity, which would poison every later
    /// time comparison and be persisted.
    case invalidClockAdjustment
    /// A seed's email is empty or contains control characters, so no one could ever sign in.
    case invalidSeed(email: String)

    // Creating participants (``Accounts/createParticipants(_:)``): each refusal names what the
    // trainer typed, so the console can say exactly what to change.

    /// The seeker id is not one of the fixture accounts' seekers.
    case unknownSeeker(seekerID: String)
    /// The id prefix must be 1 to 24 characters of a–z, 0–9, `-` or `_`, start with a letter
    /// and not end with a digit (so `trainee01` parses back to prefix and number).
    case invalidParticipantPrefix(String)
    /// The domain must be letters, digits, `-` and `.` (e.g. `example.jp`), at most 200 characters.
    case invalidEmailDomain(String)
    /// The count (or number of names) must be 1 to ``ParticipantRequest/maximumCount``, and
    /// numbering must stay below 10 000.
    case invalidParticipantCount(Int)
    /// A name is empty, longer than 64 characters or contains control characters.
    case invalidParticipantName(String)
    /// A withdrawn start state must be 0 to 3650 days ago.
    case invalidWithdrawalDays(Int)
    /// A task's wrong attempts must not be negative.
    case invalidWrongAttempts(Int)
    /// The participant's email already belongs to an account (a fixture, usually).
    case participantEmailTaken(email: String)
    /// The participant's Myna Portal resident id is already a fixture resident's.
    case participantResidentTaken(residentID: String)
    /// No participant has this id.
    case unknownParticipant(id: String)
}

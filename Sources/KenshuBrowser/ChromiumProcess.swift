import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The Chromium child process: spawning it with the DevTools pipes on fd 3/4, and
/// stopping it without leaving orphans or zombies behind.
///
/// Chromium runs in its own process group (pgid == its pid) so that one
/// `kill(-pgid, SIGKILL)` also takes down its zygote, GPU and renderer helpers.
final class ChromiumProcess: Sendable {
    let pid: pid_t
    /// Set once `waitpid` has collected the exit status; after that the pid may be
    /// reused by an unrelated process, so we must never signal it again.
    private let reaped = Mutex(false)

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// The two pipe ends the parent keeps after a successful spawn.
    struct ParentPipeEnds {
        /// We write commands here; the child reads them on fd 3.
        let commandFD: Int32
        /// We read replies here; the child writes them on fd 4.
        let replyFD: Int32
    }

    /// Writing to a pipe whose reader died raises SIGPIPE, whose default action kills
    /// the whole test runner. Linux pipes have no per-fd opt-out (MSG_NOSIGNAL is for
    /// sockets only), so we ignore the signal process-wide once, like most servers do,
    /// and handle EPIPE from `write` instead. The child gets SIGPIPE back at its default.
    private static let ignoreSIGPIPE: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    /// Serialises pipe creation and spawning within this process (see `spawn`).
    private static let spawnLock = NSLock()

    static func spawn(
        executable: String,
        arguments: [String],
        environmentOverrides: [String: String],
        logFile: String
    ) throws -> (ChromiumProcess, ParentPipeEnds) {
        _ = ignoreSIGPIPE

        // Close-on-exec everywhere: a second browser spawned concurrently must not
        // inherit our pipe ends, or it would keep them open and we would never see EOF.
        // Glibc's pipe2(O_CLOEXEC) is hidden behind _GNU_SOURCE from Swift, so we set the
        // flag with fcntl while holding a lock that all our spawns take.
        spawnLock.lock()
        defer { spawnLock.unlock() }
        var commandPipe: [Int32] = [-1, -1]
        var replyPipe: [Int32] = [-1, -1]
        guard pipe(&commandPipe) == 0 else { throw launchError(executable, "pipe") }
        guard pipe(&replyPipe) == 0 else {
            close(commandPipe[0]); close(commandPipe[1])
            throw launchError(executable, "pipe")
        }
        for fd in commandPipe + replyPipe {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        // The child's ends are moved above fd 10 first. Otherwise a pipe end that happens
        // to be fd 3 or 4 could be overwritten by the other dup2 before it is copied.
        let childReadsCommands = fcntl(commandPipe[0], F_DUPFD_CLOEXEC, 10)
        let childWritesReplies = fcntl(replyPipe[1], F_DUPFD_CLOEXEC, 10)
        close(commandPipe[0])
        close(replyPipe[1])
        defer {
            // The parent must not keep the child's ends, or EOF would never arrive.
            close(childReadsCommands)
            close(childWritesReplies)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, logFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 2, 1)
        // dup2 clears FD_CLOEXEC on the copy, so exactly fds 3 and 4 survive exec.
        posix_spawn_file_actions_adddup2(&actions, childReadsCommands, 3)
        posix_spawn_file_actions_adddup2(&actions, childWritesReplies, 4)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        var noBlockedSignals = sigset_t()
        sigemptyset(&noBlockedSignals)
        posix_spawnattr_setsigmask(&attributes, &noBlockedSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        )

        // Built from ProcessInfo rather than the C `environ` global, which Swift 6
        // rejects as shared mutable state.
        let environment = ProcessInfo.processInfo.environment
            .merging(environmentOverrides) { _, override in override }
            .map { "\($0.key)=\($0.value)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }

        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            close(commandPipe[1])
            close(replyPipe[0])
            throw BrowserError.launchFailed(executable: executable, reason: String(cString: strerror(status)))
        }
        return (ChromiumProcess(pid: pid), ParentPipeEnds(commandFD: commandPipe[1], replyFD: replyPipe[0]))
    }

    private static func launchError(_ executable: String, _ call: String) -> BrowserError {
        .launchFailed(executable: executable, reason: "\(call): \(String(cString: strerror(errno)))")
    }

    /// Waits up to `grace` for a clean exit, then kills the whole process group.
    func waitForExit(grace: Duration) async {
        let deadline = ContinuousClock.now.advanced(by: grace)
        while ContinuousClock.now < deadline {
            if reapIfExited() {
                killProcessGroup()  // stragglers (renderers) that outlived the browser
                return
            }
            try? await Task.sleep(for: .milliseconds(25))
        }
        killNow()
    }

    /// SIGKILL for the process group, then a blocking reap (quick after SIGKILL).
    /// Used from `deinit`, which cannot await.
    func killNow() {
        killProcessGroup()
        reaped.withLock { reaped in
            guard !reaped else { return }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            reaped = true
        }
    }

    private func killProcessGroup() {
        // After the reap the leader's pid may be recycled, but the group id stays
        // reserved while any member lives, so signalling the group remains safe.
        _ = kill(-pid, SIGKILL)
    }

    private func reapIfExited() -> Bool {
        reaped.withLock { reaped in
            if reaped { return true }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) {
                reaped = true
            }
            return reaped
        }
    }
}

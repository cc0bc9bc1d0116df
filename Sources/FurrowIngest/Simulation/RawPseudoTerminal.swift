#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Opens a pseudo-terminal pair the simulators and the replay write through: the slave end raw (no line
/// discipline), the master end non-blocking, both closed on exec.
enum RawPseudoTerminal {
    /// The two descriptors and the slave's path (`/dev/pts/N`); the caller owns and closes the descriptors.
    ///
    /// - Throws: `SimulationError` (`.pty`).
    static func open() throws(SimulationError) -> (master: Int32, slave: Int32, path: String) {
        var master: Int32 = -1
        var slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else {
            throw SimulationError(code: .pty, reason: "cannot create a pseudo-terminal", errno: errno)
        }
        guard let name = ttyname(slave) else {
            let code = errno
            close(master)
            close(slave)
            throw SimulationError(code: .pty, reason: "cannot name the pseudo-terminal", errno: code)
        }
        var settings = termios()
        if tcgetattr(slave, &settings) == 0 {
            cfmakeraw(&settings)
            _ = tcsetattr(slave, TCSANOW, &settings)
        }
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        return (master, slave, String(cString: name))
    }
}

import ArgumentParser
import FurrowIngest
import FurrowWire

/// `furrow sensors`: hands-on tools for the sensor buses (set up a Modbus probe, check its registers).
struct SensorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensors",
        abstract: "Tools for sensor buses: Modbus RTU registers (address and baud setup), SDI-12 commands.",
        subcommands: [ModbusWriteCommand.self, ModbusReadCommand.self, SDI12CommandCommand.self]
    )
}

/// The serial line options every Modbus tool takes.
struct ModbusLineOptions: ParsableArguments {
    @Option(help: "Serial device of the RS-485 adapter (e.g. /dev/ttyUSB0).")
    var device: String

    @Option(help: "Baud rate.")
    var baud = 9600

    @Option(help: "Framing: data bits, parity N/E/O, stop bits.")
    var framing = "8N1"

    @Option(help: "Slave (unit) id 1-247; 0 broadcasts a write (no answer).")
    var unit: Int

    @Option(name: .customLong("timeout-ms"), help: "How long the slave may take to answer.")
    var timeoutMilliseconds = 1000

    func validate() throws {
        guard (0...247).contains(unit) else { throw ValidationError("--unit \(unit) is not in 0...247") }
    }
}

/// `furrow sensors modbus-write`: FC 06 (one value) or FC 16 (several) to holding registers.
struct ModbusWriteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modbus-write",
        abstract: "Write holding registers of a Modbus RTU slave (FC 06 for one value, FC 16 for several).",
        discussion: """
            Typical use: give a new probe its unit id or baud rate before it joins a bus, e.g. \
            `furrow sensors modbus-write --device /dev/ttyUSB0 --baud 4800 --unit 1 --register 0x07D0 --value 2` \
            (the register and value codes are in the probe's manual). --register is the 0-based PDU address \
            (decimal or 0x hex); add --one-based for manual numbers where register 1 is address 0.
            """
    )

    @OptionGroup var line: ModbusLineOptions

    @Option(help: "First register (0-based PDU address; decimal or 0x hex).")
    var register: String

    @Flag(name: .customLong("one-based"), help: "--register is a 1-based manual number.")
    var oneBased = false

    @Option(parsing: .upToNextOption, help: "Value(s) to write, 0-65535 (several: FC 16).")
    var value: [Int]

    @Flag(name: .customLong("multiple"), help: "Use FC 16 even for one value (some devices only take FC 16).")
    var multiple = false

    func run() async throws {
        let address = try Self.address(register, oneBased: oneBased)
        guard !value.isEmpty, value.allSatisfy({ (0...65_535).contains($0) }) else {
            throw ValidationError("--value takes 1-123 numbers in 0...65535")
        }
        let words = value.map { UInt16($0) }
        let function: ModbusRequest.Function =
            words.count == 1 && !multiple
            ? .writeSingleRegister(address: address, value: words[0]) : .writeMultipleRegisters(address: address, values: words)
        let request = ModbusRequest(slave: UInt8(line.unit), function: function)
        try request.validate()
        let response = try await ModbusRTUTool.transact(
            device: line.device, baud: line.baud, framing: line.framing, request: request,
            timeout: .milliseconds(line.timeoutMilliseconds))
        switch response {
        case .wroteSingleRegister(let a, let v)?: print("unit \(line.unit): register \(a) = \(v) (confirmed)")
        case .wroteMultipleRegisters(let a, let n)?: print("unit \(line.unit): \(n) registers from \(a) written (confirmed)")
        default: print("broadcast sent (slaves do not answer broadcasts)")
        }
    }

    static func address(_ text: String, oneBased: Bool) throws -> UInt16 {
        let parsed = text.lowercased().hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
        guard let number = parsed else { throw ValidationError("--register '\(text)' is not a number") }
        let lowest = oneBased ? 1 : 0
        guard (lowest...(65_535 + lowest)).contains(number) else {
            throw ValidationError("--register \(number) is outside \(lowest)...\(65_535 + lowest)")
        }
        return UInt16(number - lowest)
    }
}

/// `furrow sensors modbus-read`: FC 03 or FC 04, registers printed in decimal and hex.
struct ModbusReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modbus-read", abstract: "Read holding (FC 03) or input (FC 04) registers of a Modbus RTU slave.")

    @OptionGroup var line: ModbusLineOptions

    @Option(help: "First register (0-based PDU address; decimal or 0x hex).")
    var register: String

    @Option(help: "How many registers (1-125).")
    var count = 1

    @Flag(help: "Read input registers (FC 04) instead of holding registers (FC 03).")
    var input = false

    func run() async throws {
        let address = try ModbusWriteCommand.address(register, oneBased: false)
        let request = ModbusRegisterAddress(table: input ? .input : .holding, address: address).readRequest(
            slave: UInt8(line.unit), count: count)
        try request.validate()
        guard
            case .registers(let registers)? = try await ModbusRTUTool.transact(
                device: line.device, baud: line.baud, framing: line.framing, request: request,
                timeout: .milliseconds(line.timeoutMilliseconds))
        else { return }
        for (i, r) in registers.enumerated() {
            print("\(Int(address) + i)\t\(r)\t0x\(String(r, radix: 16, uppercase: true))\t\(Int16(bitPattern: r))")
        }
    }
}

/// `furrow sensors sdi12`: one SDI-12 command by hand (`?!`, `0I!`, `0A3!`, `0M!` then `0D0!`).
struct SDI12CommandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sdi12",
        abstract: "Send one SDI-12 command (after break and marking) and print the answer.",
        discussion: """
            Find the address of the only sensor on a bus with `?!`, identify it with `0I!`, give it a new \
            address with `0A3!` (sensor 0 becomes 3; each sensor on a bus needs its own), or measure by hand \
            with `0M!` and, after the announced seconds, `0D0!`.
            """
    )

    @Option(help: "Serial device of the SDI-12 adapter.")
    var device: String

    @Option(help: "Baud rate (SDI-12: 1200).")
    var baud = 1200

    @Option(help: "Framing (SDI-12: 7E1).")
    var framing = "7E1"

    @Option(name: .customLong("timeout-ms"), help: "How long to wait for the answer.")
    var timeoutMilliseconds = 1000

    @Argument(help: "The command, e.g. '0I!' (quote it in the shell).")
    var command: String

    func run() async throws {
        guard command.hasSuffix("!"), command.count <= 8, command.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw ValidationError("an SDI-12 command is a few characters ending in '!', like 0I!")
        }
        guard
            let answer = try await SDI12Tool.command(
                device: device, baud: baud, framing: framing, command: command, timeout: .milliseconds(timeoutMilliseconds))
        else {
            throw ValidationError("no answer to \(command) within \(timeoutMilliseconds) ms (address, wiring, adapter?)")
        }
        print(answer)
    }
}

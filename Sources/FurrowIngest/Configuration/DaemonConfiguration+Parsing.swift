extension DaemonConfiguration {
    /// Parses a configuration from TOML text; keys not given take their defaults.
    ///
    /// - Parameters:
    ///   - text: The TOML document.
    ///   - file: The name errors report (the path when read from a file).
    /// - Throws: `ConfigurationError` for syntax errors, unknown keys, wrong types, invalid values
    ///   (addresses, baud rates, framing), duplicate link names and references to links that do not exist.
    public init(parsing text: String, file: String = "<string>") throws(ConfigurationError) {
        let document = try TOMLDocument(text: text, file: file)
        self.init()
        self.file = file
        locator = document.locator
        let root = document.rootReader

        if let directory = try root.string("data_directory") {
            guard !directory.isEmpty else { throw root.error(.invalidValue, "data_directory", "'data_directory' must not be empty") }
            dataDirectory = directory
        }
        project = try Self.name(root, "project") ?? project
        if let directories = try root.strings("profile_directories") { profileDirectories = directories }
        if let bytes = try root.integer("queue_bytes") {
            guard bytes >= 1 << 16 else { throw root.error(.invalidValue, "queue_bytes", "queue_bytes \(bytes) is below the minimum of 65536") }
            queueBytes = bytes
        }
        if let niceness = try root.integer("ingest_niceness") {
            guard (0...19).contains(niceness) else {
                throw root.error(.invalidValue, "ingest_niceness", "ingest_niceness \(niceness) is outside 0...19")
            }
            ingestNiceness = niceness
        }

        store = Store(path: dataDirectory.hasSuffix("/") ? dataDirectory + "furrow.sqlite" : dataDirectory + "/furrow.sqlite")
        if let table = try root.table("store", label: "[store]") {
            if let path = try table.string("path") {
                guard !path.isEmpty else { throw table.error(.invalidValue, "path", "'path' must not be empty") }
                store.path = path
            }
            store.flushIntervalMilliseconds = try Self.positive(table, "flush_interval_ms", max: 3_600_000) ?? store.flushIntervalMilliseconds
            store.chunkRows = try Self.positive(table, "chunk_rows", max: 1 << 20) ?? store.chunkRows
            store.retentionDays = try Self.positive(table, "retention_days", max: 36_500)
            store.checkpointIntervalMilliseconds =
                try Self.positive(table, "checkpoint_interval_ms", max: 86_400_000) ?? store.checkpointIntervalMilliseconds
            store.checkpointRows = try Self.positive(table, "checkpoint_rows", max: 1 << 30) ?? store.checkpointRows
            try table.finish()
        }
        if let table = try root.table("archive", label: "[archive]") {
            archive.enabled = try table.bool("enabled") ?? true
            archive.retentionDays = try Self.positive(table, "retention_days", max: 36_500)
            try table.finish()
        }
        if let table = try root.table("http", label: "[http]") {
            http.listen = try Self.address(table, "listen") ?? http.listen
            http.operatorTokenFile = try table.string("operator_token_file")
            http.maximumBodyBytes = try Self.positive(table, "max_body_bytes", max: 1 << 30) ?? http.maximumBodyBytes
            http.maximumResultValues = try Self.positive(table, "max_result_values", max: 1 << 30) ?? http.maximumResultValues
            http.maximumExportRows = try Self.positive(table, "max_export_rows", max: Int(Int32.max)) ?? http.maximumExportRows
            if let rate = try table.integer("requests_per_second") {
                guard rate >= 0 else { throw table.error(.invalidValue, "requests_per_second", "requests_per_second must be 0 (no limit) or more") }
                http.requestsPerSecond = rate
            }
            http.burst = try Self.positive(table, "burst", max: 1_000_000) ?? http.burst
            http.corsOrigin = try table.string("cors_origin")
            if let hosts = try table.strings("replay_hosts") { http.replayHosts = hosts }
            http.maximumUploadBytes = try Self.positive(table, "max_upload_bytes", max: 1 << 40) ?? http.maximumUploadBytes
            try table.finish()
        }

        var names: [String: TOMLPath] = [:]
        func claim(_ name: String, _ table: TOMLTableReader) throws(ConfigurationError) {
            if let first = names[name] {
                let line = document.locator.position(of: first).map { " (line \($0.line))" } ?? ""
                throw table.error(.duplicateName, "name", "name '\(name)' is already used by another link or forward\(line)")
            }
            names[name] = table.path
        }

        udp = []
        for table in try root.tables("udp", label: "[[udp]]") {
            let name = try Self.linkName(table)
            try claim(name, table)
            var link = UDPLink(
                name: name, listen: try Self.address(table, "listen") ?? Self.defaultUDPLink.listen,
                profile: try Self.name(table, "profile"), project: try Self.name(table, "project"))
            link.sourcePath = table.path
            try table.finish()
            udp.append(link)
        }
        for table in try root.tables("serial", label: "[[serial]]") {
            let name = try Self.linkName(table)
            try claim(name, table)
            guard let device = try table.string("device"), !device.isEmpty else {
                throw table.error(.missingKey, nil, "serial link '\(name)' needs a 'device' (like /dev/ttyUSB0)")
            }
            var link = SerialLink(name: name, device: device)
            if let baud = try table.integer("baud") {
                guard SerialBaudRate.isStandard(baud) else {
                    throw table.error(
                        .invalidValue, "baud",
                        "baud \(baud) is not a standard rate (\(SerialBaudRate.standard.map(String.init).joined(separator: ", ")))")
                }
                link.baud = baud
            }
            if let text = try table.string("framing") {
                guard let framing = SerialFraming(text) else {
                    throw table.error(
                        .invalidValue, "framing",
                        "framing '\(text)' is not <data bits 5-8><parity N/E/O><stop bits 1-2>, like 8N1 or 7E1")
                }
                link.framing = framing
            }
            if let text = try table.string("flow_control") {
                guard let flow = SerialFlowControl(rawValue: text) else {
                    throw table.error(.invalidValue, "flow_control", "flow_control '\(text)' is not one of none, rtscts, xonxoff")
                }
                link.flowControl = flow
            }
            link.profile = try Self.name(table, "profile")
            link.project = try Self.name(table, "project")
            link.sourcePath = table.path
            try table.finish()
            serial.append(link)
        }
        for table in try root.tables("tcp", label: "[[tcp]]") {
            let name = try Self.linkName(table)
            try claim(name, table)
            guard let connect = try Self.address(table, "connect", wildcardAllowed: false) else {
                throw table.error(.missingKey, nil, "tcp link '\(name)' needs 'connect' (host:port)")
            }
            var link = TCPLink(name: name, connect: connect, profile: try Self.name(table, "profile"), project: try Self.name(table, "project"))
            link.sourcePath = table.path
            try table.finish()
            tcp.append(link)
        }
        try parseSensorLinks(root, claim: claim)
        // A gateway that only reads sensors opens no MAVLink port it was not asked for.
        if udp.isEmpty && serial.isEmpty && tcp.isEmpty && sdi12.isEmpty && modbus.isEmpty && lorawan.isEmpty {
            udp = [Self.defaultUDPLink]
        }
        let links = Set(linkNames)

        for table in try root.tables("forward", label: "[[forward]]") {
            let name = try Self.linkName(table)
            try claim(name, table)
            guard let to = try Self.address(table, "to", wildcardAllowed: false) else {
                throw table.error(.missingKey, nil, "forward '\(name)' needs 'to' (host:port)")
            }
            var rule = ForwardRule(name: name, to: to, links: try table.strings("links"))
            for (k, link) in (rule.links ?? []).enumerated() where !links.contains(link) {
                throw document.error(
                    .unknownLink, at: table.path.appending("links").appending(index: k),
                    "forward '\(name)' names link '\(link)', which is not configured (links: \(linkNames.joined(separator: ", ")))")
            }
            rule.sourcePath = table.path
            try table.finish()
            forwards.append(rule)
        }
        for table in try root.tables("source", label: "[[source]]") {
            var rule = SourceRule()
            rule.link = try table.string("link")
            if let link = rule.link, !links.contains(link) {
                throw table.error(
                    .unknownLink, "link", "source rule names link '\(link)', which is not configured (links: \(linkNames.joined(separator: ", ")))")
            }
            rule.systemID = try Self.id(table, "system_id")
            rule.componentID = try Self.id(table, "component_id")
            rule.peer = try table.string("peer")
            rule.name = try Self.name(table, "name")
            rule.profile = try Self.name(table, "profile")
            rule.project = try Self.name(table, "project")
            rule.sourcePath = table.path
            try table.finish()
            sources.append(rule)
        }
        try root.finish()
    }

    // MARK: - Values

    static func linkName(_ table: TOMLTableReader) throws(ConfigurationError) -> String {
        guard let name = try table.string("name") else {
            throw table.error(.missingKey, nil, "\(table.label) needs a 'name'")
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw table.error(.invalidValue, "name", "name '\(name)' may only use letters, digits, '-', '_' and '.'")
        }
        return name
    }

    /// A non-empty string.
    static func name(_ table: TOMLTableReader, _ key: String) throws(ConfigurationError) -> String? {
        guard let value = try table.string(key) else { return nil }
        guard !value.isEmpty else { throw table.error(.invalidValue, key, "'\(key)' must not be empty") }
        return value
    }

    static func positive(_ table: TOMLTableReader, _ key: String, max: Int) throws(ConfigurationError) -> Int? {
        guard let value = try table.integer(key) else { return nil }
        guard (1...max).contains(value) else { throw table.error(.invalidValue, key, "\(key) \(value) is not in 1...\(max)") }
        return value
    }

    static func id(_ table: TOMLTableReader, _ key: String) throws(ConfigurationError) -> Int? {
        guard let value = try table.integer(key) else { return nil }
        guard (0...255).contains(value) else { throw table.error(.invalidValue, key, "\(key) \(value) is not in 0...255") }
        return value
    }

    static func address(_ table: TOMLTableReader, _ key: String, wildcardAllowed: Bool = true) throws(ConfigurationError) -> SocketAddressSpec? {
        guard let text = try table.string(key) else { return nil }
        let address: SocketAddressSpec
        do {
            address = try SocketAddressSpec.parse(text)
        } catch {
            throw table.error(.invalidValue, key, "\(key) \(error.reason)")
        }
        if !wildcardAllowed && (text.hasPrefix(":") || address.isWildcard || address.port == 0) {
            throw table.error(.invalidValue, key, "\(key) '\(text)' needs a host and a non-zero port to connect to")
        }
        return address
    }
}

import Foundation

/// Every device profile the daemon can use, by name: the `*.toml` files of a list of directories.
///
/// ```swift
/// let catalog = try DeviceProfileCatalog(directories: configuration.profileDirectories)
/// try configuration.validate(against: catalog)
/// let sprayer = catalog["ardupilot-sprayer"]
/// ```
public struct DeviceProfileCatalog: Sendable {
    /// Profiles by name.
    public private(set) var profiles: [String: DeviceProfile]
    /// The directories that were searched, in order.
    public let directories: [String]

    /// An empty catalog, or one of given profiles (tests, embedded use).
    public init(profiles: [DeviceProfile] = []) throws(ConfigurationError) {
        self.profiles = [:]
        self.directories = []
        for profile in profiles { try add(profile) }
    }

    /// Loads every `*.toml` file in `directories` (in name order per directory; subdirectories are not
    /// searched). A directory that does not exist is skipped.
    ///
    /// - Throws: `ConfigurationError` for the first profile that does not parse or validate, or when two
    ///   files define the same profile name (the error names both files).
    public init(directories: [String]) throws(ConfigurationError) {
        self.profiles = [:]
        self.directories = directories
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                continue
            }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory)
            } catch {
                throw ConfigurationError(code: .unreadable, file: directory, reason: "cannot list the profile directory: \(error)")
            }
            for name in names.sorted() where name.hasSuffix(".toml") {
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                try add(try DeviceProfile(contentsOf: path))
            }
        }
    }

    /// Adds a profile; a second profile with the same name is an error naming both files.
    public mutating func add(_ profile: DeviceProfile) throws(ConfigurationError) {
        if let existing = profiles[profile.name] {
            let line = profile.locator?.position(of: TOMLPath.root.appending("name"))?.line
            throw ConfigurationError(
                code: .duplicateName, file: profile.file, line: line,
                reason: "profile '\(profile.name)' is already defined in \(existing.file)")
        }
        profiles[profile.name] = profile
    }

    /// The profile called `name`, or nil.
    public subscript(name: String) -> DeviceProfile? { profiles[name] }

    /// Profile names, sorted.
    public var names: [String] { profiles.keys.sorted() }
}

import ArgumentParser
import Foundation
import FurrowServer
import FurrowStore

/// Where the CLI finds the database: `--db`, else `--data-dir`/furrow.sqlite (default ./furrow-data).
struct DatabaseLocation: ParsableArguments {
    @Option(help: "The store's SQLite file (default: <data-dir>/furrow.sqlite).") var db: String?
    @Option(help: "Data folder of `furrow serve`.") var dataDir: String = "furrow-data"

    var path: String { db ?? "\(dataDir)/furrow.sqlite" }

    /// The directory over the database (migrated, so it works before the daemon first ran).
    func directory() throws -> ProjectDirectory {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        return ProjectDirectory(database: try StoreDatabase.open(path: path, migrations: ProjectDirectory.registerMigrations))
    }
}

/// `furrow projects`: list and create pilot projects.
struct ProjectsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projects", abstract: "List and create pilot projects.",
        subcommands: [List.self, Create.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List projects.")
        @OptionGroup var location: DatabaseLocation

        func run() throws {
            for project in try location.directory().projects() {
                print("\(project.slug)\t\(project.title)\t\(StoreTime.format(project.createdAt))")
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a project.")
        @Argument(help: "Project name in URLs: a–z, 0–9, '-' and '_'.") var slug: String
        @Option(help: "Human title.") var title: String?
        @OptionGroup var location: DatabaseLocation

        func run() throws {
            do {
                let project = try location.directory().createProject(slug: slug, title: title)
                print("created project \(project.slug)")
            } catch let error as DirectoryError {
                throw ValidationError(error.description)
            }
        }
    }
}

/// `furrow tokens`: issue, list and revoke a project's API tokens.
struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Issue, list and revoke API tokens of a project.",
        subcommands: [List.self, Create.self, Revoke.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a project's tokens (never their secrets).")
        @Option(help: "Project.") var project: String
        @OptionGroup var location: DatabaseLocation

        func run() throws {
            print("id\trole\tprefix\tlabel\tcreated\tlast used\trevoked")
            for t in try location.directory().tokens(project: project) {
                print(
                    "\(t.id)\t\(t.role.rawValue)\t\(t.prefix)…\t\(t.label)\t\(StoreTime.format(t.createdAt))\t\(t.lastUsedAt.map(StoreTime.format) ?? "-")\t\(t.revokedAt.map(StoreTime.format) ?? "-")"
                )
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token; its secret is printed once (stdout) and stored only as a hash.")
        @Option(help: "Project.") var project: String
        @Option(help: "reader, uploader or admin.") var role: String
        @Option(help: "What the token is for.") var label: String = ""
        @OptionGroup var location: DatabaseLocation

        func run() throws {
            guard let role = TokenRole(rawValue: role) else {
                throw ValidationError("--role must be reader, uploader or admin")
            }
            do {
                let issued = try location.directory().issueToken(project: project, role: role, label: label)
                FileHandle.standardError.write(Data("token \(issued.record.id) (\(role.rawValue)) for \(project); keep it, it is not shown again:\n".utf8))
                print(issued.secret)
            } catch let error as DirectoryError {
                throw ValidationError(error.description)
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id.")
        @Argument(help: "Token id (from `furrow tokens list`).") var id: Int64
        @Option(help: "Project.") var project: String
        @OptionGroup var location: DatabaseLocation

        func run() throws {
            do {
                _ = try location.directory().revokeToken(id: id, project: project)
                print("revoked token \(id)")
            } catch let error as DirectoryError {
                throw ValidationError(error.description)
            }
        }
    }
}

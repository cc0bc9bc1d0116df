import Foundation
import FurrowStore
import GRDB
import Testing

@testable import FurrowServer

@Suite("Projects and tokens")
struct ProjectDirectoryTests {
    func directory() throws -> (ProjectDirectory, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-dir-\(UUID()).sqlite").path
        return (ProjectDirectory(database: try StoreDatabase.open(path: path, migrations: ProjectDirectory.registerMigrations)), path)
    }

    @Test("a token authenticates until revoked; only its SHA-256 is in the database file")
    func tokenLifecycle() async throws {
        let (directory, path) = try directory()
        _ = try directory.createProject(slug: "vineyard-1", title: "Vineyard")
        let issued = try directory.issueToken(project: "vineyard-1", role: .uploader, label: "laptop")
        #expect(issued.secret.hasPrefix("furrow_"))
        #expect(issued.secret.count == 7 + 43)
        let found = try await directory.authenticate(issued.secret)
        #expect(found?.id == issued.record.id)
        #expect(found?.role == .uploader)
        #expect(try await directory.authenticate(issued.secret + "x") == nil)
        #expect(try await directory.authenticate("furrow_" + String(repeating: "A", count: 43)) == nil)

        let other = try directory.issueToken(project: "vineyard-1", role: .reader, label: "")
        #expect(other.secret != issued.secret)

        // The secret is nowhere in the file; its hash is.
        try await directory.database.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.range(of: Data(issued.secret.utf8)) == nil)
        #expect(bytes.range(of: ProjectDirectory.hash(issued.secret)) != nil)

        let revoked = try directory.revokeToken(id: issued.record.id, project: "vineyard-1")
        #expect(revoked.revokedAt != nil)
        #expect(try await directory.authenticate(issued.secret) == nil)
        #expect(try await directory.authenticate(other.secret) != nil)
        // Another project's token id is unknown here.
        _ = try directory.createProject(slug: "orchard")
        #expect(throws: DirectoryError.unknownToken(other.record.id)) {
            try directory.revokeToken(id: other.record.id, project: "orchard")
        }
    }

    @Test("project names are URL-safe slugs, unique")
    func slugs() throws {
        let (directory, _) = try directory()
        for bad in ["", "Upper", "-lead", "a b", "a/b", "é", String(repeating: "a", count: 65)] {
            #expect(throws: DirectoryError.invalidSlug(bad)) { try directory.createProject(slug: bad) }
        }
        _ = try directory.createProject(slug: "a_1-b")
        #expect(throws: DirectoryError.projectExists("a_1-b")) { try directory.createProject(slug: "a_1-b") }
        try directory.ensureProject(slug: "a_1-b")
        #expect(try directory.projects().map(\.slug) == ["a_1-b"])
    }

    @Test("last use is recorded and only moves forward")
    func lastUse() async throws {
        let (directory, _) = try directory()
        _ = try directory.createProject(slug: "p")
        let issued = try directory.issueToken(project: "p", role: .reader, label: "")
        try await directory.recordUse([issued.record.id: 2_000])
        try await directory.recordUse([issued.record.id: 1_000])
        #expect(try directory.tokens(project: "p").first?.lastUsedAt == 2_000)
    }
}

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    @Test("every registered /v1 route is in the document, and the document has no route the server lacks")
    func routesMatch() throws {
        let object = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any]
        #expect(object?["openapi"] as? String == "3.1.0")
        let paths = try #require(object?["paths"] as? [String: [String: Any]])
        var documented: Set<String> = []
        for (path, operations) in paths {
            for method in operations.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let registered = Set(APIServer.routes.map { "\($0.method) \($0.path)" })
        #expect(registered.count == APIServer.routes.count, "a route is registered twice")
        #expect(documented.subtracting(registered).isEmpty, "documented but not served: \(documented.subtracting(registered))")
        #expect(registered.subtracting(documented).isEmpty, "served but not documented: \(registered.subtracting(documented))")
        // Every path parameter of a documented route is declared.
        for (path, operations) in paths {
            let names = path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            for (_, operation) in operations {
                let declared = ((operation as? [String: Any])?["parameters"] as? [[String: Any]] ?? [])
                    .filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }
                #expect(Set(declared) == Set(names), "\(path): path parameters \(declared) vs \(names)")
            }
        }
    }
}

@Suite("Query parameters")
struct TimeParametersTests {
    @Test("times: RFC 3339 with zone or epoch milliseconds")
    func times() throws {
        #expect(try TimeParameters.time("1700000000000", name: "from") == 1_700_000_000_000_000)
        #expect(try TimeParameters.time("2023-11-14T22:13:20Z", name: "from") == 1_700_000_000_000_000)
        #expect(try TimeParameters.time("2023-11-14T23:13:20.5+01:00", name: "from") == 1_700_000_000_500_000)
        for bad in ["2023-11-14T22:13:20", "yesterday", "", "99999999999999999999"] {
            #expect(throws: APIProblem.self) { try TimeParameters.time(Substring(bad), name: "from") }
        }
    }

    @Test("durations: 500ms, 10s, 15m, 1h, 1d or milliseconds; never zero or negative")
    func durations() throws {
        #expect(try TimeParameters.duration("500ms", name: "bucket") == 500_000)
        #expect(try TimeParameters.duration("10s", name: "bucket") == 10_000_000)
        #expect(try TimeParameters.duration("15m", name: "bucket") == 900_000_000)
        #expect(try TimeParameters.duration("1h", name: "bucket") == 3_600_000_000)
        #expect(try TimeParameters.duration("1d", name: "bucket") == 86_400_000_000)
        #expect(try TimeParameters.duration("250", name: "bucket") == 250_000)
        for bad in ["0", "-1s", "1w", "s", "1.5h", "99999999999999999d"] {
            #expect(throws: APIProblem.self) { try TimeParameters.duration(Substring(bad), name: "bucket") }
        }
    }
}

@Suite("Field boundaries")
struct FieldBoundaryTests {
    func square(_ lon: Double, _ lat: Double, _ d: Double) -> [[Double]] {
        [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    }

    @Test("invalid GeoJSON is refused with the position that broke it")
    func invalid() throws {
        let decoder = JSONDecoder()
        for (text, fragment) in [
            (#"{"type":"Point","coordinates":[0,0]}"#, "Polygon or MultiPolygon"),
            (#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#, "at least 4"),
            (#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,2]]]}"#, "not closed"),
            (#"{"type":"Polygon","coordinates":[[[0,0],[181,0],[1,1],[0,0]]]}"#, "outside"),
            (#"{"type":"Polygon","coordinates":[]}"#, "no rings"),
        ] {
            do {
                _ = try decoder.decode(FieldBoundary.self, from: Data(text.utf8))
                Issue.record("accepted \(text)")
            } catch let invalid as FieldBoundary.Invalid {
                #expect(invalid.reason.contains(fragment), "\(invalid.reason)")
            }
        }
    }

    @Test("area: orientation does not matter, holes subtract, a MultiPolygon adds its parts")
    func area() throws {
        let outer = square(10, 45, 0.01)
        let hole = square(10.004, 45.004, 0.002)
        let field = try FieldBoundary(polygons: [[outer]])
        let reversed = try FieldBoundary(polygons: [[outer.reversed()]])
        let holed = try FieldBoundary(polygons: [[outer, hole]])
        let holeOnly = try FieldBoundary(polygons: [[hole]])
        let both = try FieldBoundary(polygons: [[outer], [square(11, 45, 0.01)]])
        #expect(abs(field.areaSquareMetres - reversed.areaSquareMetres) < 1e-6)
        #expect(abs(holed.areaSquareMetres - (field.areaSquareMetres - holeOnly.areaSquareMetres)) < 1e-6)
        #expect(abs(both.areaSquareMetres - 2 * field.areaSquareMetres) / field.areaSquareMetres < 1e-9)
        // 0.01° × 0.01° at 45°N is about 1.11 km × 0.79 km (≈ 87.5 ha); the exact figure is checked against
        // GeographicLib in Tests/CrossCheck/test_api.py.
        #expect((870_000...880_000).contains(field.areaSquareMetres))
    }
}

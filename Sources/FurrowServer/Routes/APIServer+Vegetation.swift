import Foundation
import FurrowAgronomy
import Hummingbird
import NIOCore

extension APIServer {
    struct SurveyList: Encodable { var surveys: [VegetationSurvey] }

    struct SurveyImport: Encodable {
        var survey: VegetationSurvey
        /// Samples outside the field's boundary, not stored.
        var flagged: [VegetationCSVImport.RowIssue]
    }

    /// Multispectral surveys of a field (NDVI, NDRE, … per sample), read against the yield map per grid cell.
    static func registerVegetationRoutes(_ r: inout RouteRegistrar) {
        r.add(.get, "/v1/projects/{project}/fields/{field}/vegetation") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            let field = try server.requireField(context, project: slug)
            return try json(SurveyList(surveys: try server.vegetation.surveys(project: slug, field: field.id)))
        }
        r.add(.post, "/v1/projects/{project}/fields/{field}/vegetation") { server, request, context in
            let slug = try await server.authorize(context, role: .uploader)
            let field = try server.requireField(context, project: slug)
            let query = request.uri.queryParameters
            let name = query.get("name") ?? "survey"
            guard (1...200).contains(name.count) else {
                throw APIProblem(.invalidParameter, "a survey name has 1–200 characters", parameter: "name")
            }
            let date = query.get("date")
            if let date, !Self.isDate(date) {
                throw APIProblem(.invalidParameter, "date=\(date): expected YYYY-MM-DD (the flight date)", parameter: "date")
            }
            let data = try await server.collectDataFile(request, what: "the survey")
            let upload: VegetationCSVImport
            do throws(VegetationCSVImport.Failure) {
                upload = try VegetationCSVImport(data, boundary: field.boundary)
            } catch {
                throw APIProblem(.invalidBody, "nothing stored: \(error.description)", parameter: "body")
            }
            let survey = try server.vegetation.save(upload, name: name, date: date, field: field)
            return try json(SurveyImport(survey: survey, flagged: upload.outside), status: .created)
        }
    }

    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return false }
        return (1900...2200).contains(y) && (1...12).contains(m) && (1...31).contains(d)
    }
}

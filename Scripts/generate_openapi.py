"""Writes Sources/FurrowServer/OpenAPIDocument.swift: the OpenAPI 3.1 description of the /v1 API.

Edit the routes here, run `python3 Scripts/generate_openapi.py`, commit both; FurrowServerTests checks the
document against the registered routes, and Tests/CrossCheck/test_api.py runs schemathesis against it.
"""
from pathlib import Path
import json
P = lambda name, where, desc, schema, req=True: {"name": name, "in": where, "required": req, "description": desc, "schema": schema}
proj = P("project", "path", "Project slug", {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"})
def pid(name, desc): return P(name, "path", desc, {"type": "integer", "minimum": 1, "maximum": 9223372036854775807})
src = P("source", "path", "Source name", {"type": "string", "minLength": 1})
timeq = lambda n, d, req=True: P(n, "query", d + " (RFC 3339 with a zone, or milliseconds since the epoch)", {"type": "string", "minLength": 1}, req)
seriesq = P("series", "query", "Series ids (repeatable, or comma-separated), from the series listings", {"type": "array", "items": {"type": "integer"}, "minItems": 1}, True)
seriesq["style"] = "form"; seriesq["explode"] = True
R = lambda s: {"$ref": "#/components/schemas/" + s}
def ok(schema, code="200", desc="OK", ctypes=("application/json",)):
    return {code: {"description": desc, "content": {c: {"schema": schema} for c in ctypes}}}
def problems(*codes):
    names = {"400": "Invalid parameter or body", "401": "Missing or invalid token", "403": "The token's role does not allow this",
             "404": "Not found (also: a project the token cannot see)", "409": "Conflict", "413": "Request body too large",
             "422": "Result too large", "429": "Rate limited"}
    return {c: {"description": names[c], "content": {"application/problem+json": {"schema": R("Problem")}}} for c in codes}
common = ("400", "401", "403", "404", "429")
def op(opid, summary, params, responses, body=None, tags=None):
    o = {"operationId": opid, "summary": summary, "parameters": params, "responses": responses}
    if body: o["requestBody"] = {"required": True, "content": {"application/json": {"schema": R(body)}}}
    if tags: o["tags"] = tags
    return o
paths = {
  "/v1/openapi.json": {"get": {"operationId": "openapi", "summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
  "/v1/projects": {
    "get": op("listProjects", "Projects the caller can see", [], {**ok(R("ProjectList")), **problems("401", "429")}),
    "post": op("createProject", "Create a project (operator)", [], {**ok(R("Project"), "201", "Created"), **problems("400", "401", "403", "409", "413", "429")}, body="ProjectInput")},
  "/v1/projects/{project}": {"get": op("getProject", "One project", [proj], {**ok(R("Project")), **problems(*common)})},
  "/v1/projects/{project}/tokens": {
    "get": op("listTokens", "Tokens of a project (admin); never their secrets", [proj], {**ok(R("TokenList")), **problems(*common)}),
    "post": op("createToken", "Create a token (admin); its secret is in this response only", [proj], {**ok(R("IssuedToken"), "201", "Created"), **problems(*common, "413")}, body="TokenInput")},
  "/v1/projects/{project}/tokens/{token}": {"delete": op("revokeToken", "Revoke a token (admin)", [proj, pid("token", "Token id")], {**ok(R("Token")), **problems(*common)})},
  "/v1/projects/{project}/sources": {"get": op("listSources", "Sources (drones, sensor nodes, uploads) of a project", [proj], {**ok(R("SourceList")), **problems(*common)})},
  "/v1/projects/{project}/sources/{source}/series": {"get": op("listSourceSeries", "Series of one source", [proj, src], {**ok(R("SeriesList")), **problems(*common)})},
  "/v1/projects/{project}/sources/{source}/live": {"get": op("liveValues", "Server-Sent Events: the newest row of every append to the source", [proj, src], {**ok({"type": "object", "required": ["data"], "properties": {"event": {"type": "string", "enum": ["values"]}, "data": {"type": "string"}}}, ctypes=("text/event-stream",)), **problems(*common)})},
  "/v1/projects/{project}/series": {"get": op("listSeries", "Series of a project, optionally narrowed", [proj,
        P("source", "query", "Source name", {"type": "string"}, False), P("group", "query", "Row group (message) name", {"type": "string"}, False),
        P("channel", "query", "Channel name", {"type": "string"}, False), P("limit", "query", "At most this many", {"type": "integer", "minimum": 1, "maximum": 100000}, False)],
        {**ok(R("SeriesList")), **problems(*common)})},
  "/v1/projects/{project}/series/data": {"get": op("seriesData", "Values of several series in a time range: raw, or in buckets with aggregates; JSON, CSV or line protocol (streamed)", [proj, seriesq,
        timeq("from", "Start, inclusive"), timeq("to", "End, exclusive"),
        P("bucket", "query", "Bucket width: 500ms, 10s, 15m, 1h, 1d or milliseconds", {"type": "string"}, False),
        P("format", "query", "Answer format", {"type": "string", "enum": ["json", "csv", "lp"]}, False),
        P("time", "query", "Time format in JSON answers", {"type": "string", "enum": ["rfc3339", "ms", "us"]}, False)],
        {"200": {"description": "OK", "content": {"application/json": {"schema": {"anyOf": [R("SeriesData"), R("SeriesBuckets")]}}, "text/csv": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}}}}, **problems(*common, "422")})},
  "/v1/projects/{project}/series/latest": {"get": op("seriesLatest", "The newest value of several series", [proj, seriesq,
        P("time", "query", "Time format", {"type": "string", "enum": ["rfc3339", "ms", "us"]}, False)], {**ok(R("SeriesLatest")), **problems(*common)})},
  "/v1/projects/{project}/fields": {
    "get": op("listFields", "Fields of a project", [proj], {**ok(R("FieldList")), **problems(*common)}),
    "post": op("createField", "Create a field (admin)", [proj], {**ok(R("Field"), "201", "Created"), **problems(*common, "409", "413")}, body="FieldInput")},
  "/v1/projects/{project}/fields/{field}": {
    "get": op("getField", "One field", [proj, pid("field", "Field id")], {**ok(R("Field")), **problems(*common)}),
    "put": op("replaceField", "Replace a field (admin)", [proj, pid("field", "Field id")], {**ok(R("Field")), **problems(*common, "409", "413")}, body="FieldInput"),
    "delete": op("deleteField", "Delete a field (admin)", [proj, pid("field", "Field id")], {"204": {"description": "Deleted"}, **problems(*common)})},
  "/v1/projects/{project}/fields/{field}/irrigation": {"get": op("fieldIrrigation", "Irrigation summary of a field or zone: per local day ET0, Kc, ETc, rain, applied water, the FAO-56 root-zone balance and probe storage, with completeness flags, methods, input series and season totals; JSON or CSV", [proj, pid("field", "Field id"),
        P("from", "query", "First local date YYYY-MM-DD (default: the planting date)", {"type": "string", "format": "date"}, False),
        P("to", "query", "Last local date YYYY-MM-DD, inclusive (default: the end of the crop season)", {"type": "string", "format": "date"}, False),
        P("format", "query", "Answer format", {"type": "string", "enum": ["json", "csv"]}, False)],
        {"200": {"description": "OK", "content": {"application/json": {"schema": R("IrrigationSummary")}, "text/csv": {"schema": {"type": "string"}}}},
         **problems(*common),
         "422": {"description": "The field lacks what the summary needs (no weather source, planting date, soil, elevation…)", "content": {"application/problem+json": {"schema": R("Problem")}}}})},
  "/v1/projects/{project}/fields/{field}/traps": {
    "get": op("listTraps", "Insect traps of a field", [proj, pid("field", "Field id")], {**ok(R("TrapList")), **problems(*common)}),
    "post": op("createTrap", "Create a trap in a field (admin); a position outside the field's boundary is refused", [proj, pid("field", "Field id")], {**ok(R("Trap"), "201", "Created"), **problems(*common, "409", "413")}, body="TrapInput")},
  "/v1/projects/{project}/fields/{field}/traps/{trap}/counts": {"post": {**op("addTrapCounts", "Add a trap's checks (uploader): JSON [{time, count}] or CSV with a time (or date) and a count column; every row is checked first and one bad row (with its number and reason) stores nothing; a time already stored for the trap is a conflict", [proj, pid("field", "Field id"), pid("trap", "Trap id")],
        {**ok(R("TrapCountImport"), "201", "Created"), **problems(*common, "409", "413")}),
      "requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [{"type": "array", "items": R("TrapCount")}, {"type": "object", "required": ["counts"], "properties": {"counts": {"type": "array", "items": R("TrapCount")}}}]}},
                                                     "text/csv": {"schema": {"type": "string"}}}}}},
  "/v1/projects/{project}/fields/{field}/pest": {"get": op("fieldPest", "Pest summary of a field for one pest model: daily degree-days from the field's weather (local days), accumulated from the biofix (field setting or first sustained trap catch), milestones reached, trap summaries (CTD, weeks, cumulative, flight peaks, action thresholds) and disease risk (powdery mildew, apple scab, Botrytis) with the inputs used; JSON or CSV", [proj, pid("field", "Field id"),
        P("model", "query", "Pest model id (default codling-moth)", {"type": "string", "enum": ["codling-moth", "peach-twig-borer", "corn-earworm", "navel-orangeworm", "corn-rootworm"]}, False),
        P("from", "query", "First local date YYYY-MM-DD (default: 1 January of `to`'s year)", {"type": "string", "format": "date"}, False),
        P("to", "query", "Last local date YYYY-MM-DD, inclusive (default: today in the field's time zone)", {"type": "string", "format": "date"}, False),
        P("format", "query", "Answer format", {"type": "string", "enum": ["json", "csv"]}, False)],
        {"200": {"description": "OK", "content": {"application/json": {"schema": R("PestSummary")}, "text/csv": {"schema": {"type": "string"}}}},
         **problems(*common),
         "422": {"description": "The field lacks what the summary needs (no temperature series, bad pest settings)", "content": {"application/problem+json": {"schema": R("Problem")}}}})},
  "/v1/projects/{project}/fields/{field}/harvests": {
    "get": op("listHarvests", "Yield-monitor harvests of a field", [proj, pid("field", "Field id")], {**ok(R("HarvestList")), **problems(*common)}),
    "post": {**op("uploadHarvest", "Upload a yield-monitor CSV (uploader), streamed and size-limited: columns lon/lat, mass flow (lb/s or kg/s), moisture (%), speed (m/s, km/h, mph) or distance, swath (m, ft, in), time; units in brackets after the names; a missing column, an unknown unit or any bad row (row number and reason) refuses the whole file and stores nothing", [proj, pid("field", "Field id"),
        P("name", "query", "Harvest name", {"type": "string", "minLength": 1, "maxLength": 200}, False),
        P("crop", "query", "Crop for the standard moisture (default: the field's crop)", {"type": "string", "enum": ["corn", "maize", "soybean", "wheat"]}, False)],
        {**ok(R("Harvest"), "201", "Created"), **problems(*common, "413")}),
      "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}}},
  "/v1/projects/{project}/fields/{field}/vegetation": {
    "get": op("listVegetationSurveys", "Multispectral surveys of a field", [proj, pid("field", "Field id")], {**ok(R("VegetationSurveyList")), **problems(*common)}),
    "post": {**op("uploadVegetationSurvey", "Upload a multispectral survey as CSV (uploader): lon, lat and calibrated reflectance (green, red, rededge, nir as fractions 0–1) or index columns (ndvi, ndre, gndvi, savi, osavi, cire); indices are computed from the bands they need; any bad row refuses the file (row numbers and reasons), samples outside the field are flagged and not stored", [proj, pid("field", "Field id"),
        P("name", "query", "Survey name", {"type": "string", "minLength": 1, "maxLength": 200}, False),
        P("date", "query", "Flight date YYYY-MM-DD", {"type": "string", "format": "date"}, False)],
        {**ok(R("VegetationSurveyImport"), "201", "Created"), **problems(*common, "413")}),
      "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}}},
  "/v1/projects/{project}/fields/{field}/yield": {"get": op("fieldYield", "Yield summary of a harvest: cleaning report (each filter's removed count, Yield Editor order), dry yield at the crop's standard moisture with the moisture policy, field totals and statistics, and the grid yield map as GeoJSON", [proj, pid("field", "Field id"),
        P("harvest", "query", "Harvest id (default: the newest)", {"type": "integer", "minimum": 1}, False),
        P("standardMoisture", "query", "Standard moisture, % (default: the crop's)", {"type": "number", "minimum": 0, "maximum": 60}, False),
        P("moisturePolicy", "query", "symmetric, or never-above-wet (dry = wet when grain is drier than standard)", {"type": "string", "enum": ["symmetric", "never-above-wet"]}, False),
        P("cellSize", "query", "Grid cell size, m (default 10)", {"type": "number", "minimum": 1, "maximum": 500}, False),
        P("flowDelay", "query", "Flow delay, s", {"type": "number", "minimum": 0, "maximum": 60}, False),
        P("startPassDelay", "query", "Start-pass delay, s", {"type": "number", "minimum": 0, "maximum": 120}, False),
        P("endPassDelay", "query", "End-pass delay, s", {"type": "number", "minimum": 0, "maximum": 120}, False),
        P("localCellSize", "query", "Local standard-deviation filter cell size, m (default off)", {"type": "number", "minimum": 1, "maximum": 500}, False),
        P("vegetation", "query", "A multispectral survey id: its indices averaged per cell (map properties ndvi, ndre, …) and the cell yields regressed on each", {"type": "integer", "minimum": 1}, False),
        P("format", "query", "Answer format", {"type": "string", "enum": ["json", "geojson"]}, False)],
        {"200": {"description": "OK", "content": {"application/json": {"schema": R("YieldSummary")}, "application/geo+json": {"schema": R("FeatureCollection")}}},
         **problems(*common),
         "422": {"description": "No standard moisture for the crop, or no record survived cleaning", "content": {"application/problem+json": {"schema": R("Problem")}}}})},
  "/v1/projects/{project}/fields/{field}/detections": {"post": {**op("uploadDetections", "Upload scouting detections (uploader): a GeoJSON FeatureCollection of Points (properties class, confidence 0–1, flight) or CSV (lon, lat, class, confidence, flight); a malformed row refuses the upload (row number and reason); detections outside the field's boundary are flagged by row and not stored", [proj, pid("field", "Field id"),
        P("flight", "query", "Flight id for rows that name none", {"type": "string", "minLength": 1, "maxLength": 200}, False)],
        {**ok(R("DetectionImport"), "201", "Created"), **problems(*common, "413"),
         "422": {"description": "The field has no boundary", "content": {"application/problem+json": {"schema": R("Problem")}}}}),
      "requestBody": {"required": True, "content": {"application/geo+json": {"schema": R("FeatureCollection")}, "application/json": {"schema": R("FeatureCollection")}, "text/csv": {"schema": {"type": "string"}}}}}},
  "/v1/projects/{project}/fields/{field}/hotspots": {"get": op("fieldHotspots", "Scouting hotspots: detections of a flight (default: all) counted on a grid over the field, Getis–Ord Gi* per cell (binary queen weights incl. the cell), as GeoJSON cells", [proj, pid("field", "Field id"),
        P("flight", "query", "Flight id (default: every flight)", {"type": "string"}, False),
        P("cellSize", "query", "Cell size, m (default 10)", {"type": "number", "minimum": 2, "maximum": 500}, False),
        P("minConfidence", "query", "Confidence cut, 0–1", {"type": "number", "minimum": 0, "maximum": 1}, False),
        P("class", "query", "Classes to count, comma-separated (default all)", {"type": "string"}, False),
        P("densityThreshold", "query", "Detections per ha that flag a cell regardless of Gi*", {"type": "number", "minimum": 0, "maximum": 1e9}, False),
        P("format", "query", "Answer format", {"type": "string", "enum": ["json", "geojson"]}, False)],
        {"200": {"description": "OK", "content": {"application/json": {"schema": R("Hotspots")}, "application/geo+json": {"schema": R("FeatureCollection")}}},
         **problems(*common),
         "422": {"description": "The field has no boundary", "content": {"application/problem+json": {"schema": R("Problem")}}}})},
  "/v1/projects/{project}/flights": {"get": op("listFlights", "Flights of a project, newest first", [proj,
        P("source", "query", "Source name", {"type": "string"}, False), timeq("from", "Flights ending after", False), timeq("to", "Flights starting before", False)],
        {**ok(R("FlightList")), **problems(*common)}),
    "post": {**op("uploadFlightLog", "Upload a flight log (.tlog, ArduPilot .bin, PX4 .ulg; uploader): the body is the file, streamed to disk and imported in the background; follow the upload's progress", [proj,
        P("fileName", "query", "The file's name, as listed", {"type": "string", "minLength": 1, "maxLength": 200}, False),
        P("swathWidth", "query", "Spray or work width in metres, for the covered area", {"type": "number", "exclusiveMinimum": 0, "maximum": 200}, False),
        P("flow", "query", "Flow-rate fields to integrate into totals: NAME=MESSAGE.FIELD[*SCALE], e.g. spray=NAMED_VALUE_FLOAT.SPRAY_LPM*0.0166667 (repeatable, at most 8)", {"type": "array", "maxItems": 8, "items": {"type": "string", "pattern": "^[^=]{1,64}=[^.]{1,64}\\.[^*]{1,64}(\\*[-+0-9.eE]+)?$"}}, False),
        P("sprayingOnly", "query", "Count the covered area only while a flow is on", {"type": "boolean"}, False)],
        {**ok(R("Upload"), "202", "Received and queued for import"), **ok(R("Upload"), "200", "The project has this file already: that upload"), **problems(*common, "409", "413")}),
        "requestBody": {"required": True, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}},
  "/v1/projects/{project}/uploads": {"get": op("listUploads", "Flight-log uploads of a project, newest first, with status and import reports", [proj], {**ok(R("UploadList")), **problems(*common)})},
  "/v1/projects/{project}/uploads/{upload}": {"get": op("getUpload", "One upload: status, progress 0–1, and the import report (or why it failed)", [proj, pid("upload", "Upload id")], {**ok(R("Upload")), **problems(*common)})},
  "/v1/projects/{project}/flights/{flight}/track": {"get": op("flightTrack", "The flight's GPS track as GeoJSON, KML or GPX", [proj, pid("flight", "Flight id"),
        P("format", "query", "Export format", {"type": "string", "enum": ["geojson", "kml", "gpx"]}, False)],
        {"200": {"description": "OK", "content": {"application/geo+json": {"schema": {"type": "object"}}, "application/vnd.google-earth.kml+xml": {"schema": {"type": "string"}}, "application/gpx+xml": {"schema": {"type": "string"}}}}, **problems(*common)})},
  "/v1/projects/{project}/flights/{flight}/original": {"get": op("flightOriginal", "The uploaded log file, byte for byte", [proj, pid("flight", "Flight id")],
        {"200": {"description": "OK", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}, **problems(*common)})},
  "/v1/projects/{project}/flights/{flight}/series": {"get": op("flightSeries", "The series of the flight's source (use their ids with series/data, or a row group with the flight's csv)", [proj, pid("flight", "Flight id")], {**ok(R("SeriesList")), **problems(*common)})},
  "/v1/projects/{project}/flights/{flight}/csv": {"get": op("flightCSV", "One row group of the flight as CSV: a row per timestamp, a column per channel (streamed)", [proj, pid("flight", "Flight id"),
        P("group", "query", "Row group (log message or topic) name, e.g. GPS", {"type": "string", "minLength": 1}, True),
        P("channel", "query", "Channels to include (repeatable or comma-separated; default all)", {"type": "array", "items": {"type": "string"}}, False),
        P("sender", "query", "A .tlog's sender as sysid/compid (default: the first)", {"type": "string"}, False)],
        {"200": {"description": "OK", "content": {"text/csv": {"schema": {"type": "string"}}}}, **problems(*common, "422")})},
  "/v1/projects/{project}/replays": {
    "get": op("listReplays", "Replays of archived telemetry in this project (admin)", [proj], {**ok(R("ReplayList")), **problems(*common)}),
    "post": op("startReplay", "Replay an archived source to a UDP or TCP target the server allows (admin)", [proj], {**ok(R("Replay"), "201", "Created"), **problems(*common, "409", "413")}, body="ReplayInput")},
  "/v1/projects/{project}/replays/{replay}": {
    "get": op("getReplay", "One replay with its progress (admin)", [proj, pid("replay", "Replay id")], {**ok(R("Replay")), **problems(*common)}),
    "delete": op("stopReplay", "Stop a replay (admin)", [proj, pid("replay", "Replay id")], {**ok(R("Replay")), **problems(*common)})},
  "/v1/projects/{project}/replays/{replay}/control": {
    "post": op("controlReplay", "Pause, resume, seek or stop a replay (admin)", [proj, pid("replay", "Replay id")], {**ok(R("Replay")), **problems(*common, "413")}, body="ReplayAction")},
  "/v1/projects/{project}/flights/{flight}": {"get": op("getFlight", "One flight", [proj, pid("flight", "Flight id")], {**ok(R("Flight")), **problems(*common)})},
}
nullable = lambda t: {"type": [t, "null"]}
IRR_DAY_NUMBERS = ["rain", "kc", "kcb", "ke", "etc", "effectiveRain", "rootDepth", "taw", "raw", "p", "ks", "etcAdj", "deepPercolation", "depletionStart", "depletion", "fractionDepleted"]
IRR_DAY_REQUIRED = ["date", "dayOfSeason", "stage", "hours", "weather", "completeness", "flags", "et0", "et0Method", "et0Estimated", "et0Missing",
                    "irrigationVolume", "irrigationGross", "irrigationNet", "probe", *IRR_DAY_NUMBERS]
value = {}  # any JSON value
schemas = {
  "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
      "type": {"type": "string", "format": "uri"}, "title": {"type": "string"}, "status": {"type": "integer"},
      "detail": {"type": "string"}, "instance": nullable("string"), "parameter": nullable("string")}},
  "Project": {"type": "object", "required": ["slug", "title", "createdAt"], "properties": {
      "slug": {"type": "string"}, "title": {"type": "string"}, "createdAt": {"type": "integer", "description": "µs since the epoch"}}},
  "ProjectInput": {"type": "object", "required": ["slug"], "properties": {"slug": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"}, "title": {"type": "string"}}},
  "ProjectList": {"type": "object", "required": ["projects"], "properties": {"projects": {"type": "array", "items": R("Project")}}},
  "Token": {"type": "object", "required": ["id", "project", "role", "label", "prefix", "createdAt"], "properties": {
      "id": {"type": "integer"}, "project": {"type": "string"}, "role": {"type": "string", "enum": ["reader", "uploader", "admin"]},
      "label": {"type": "string"}, "prefix": {"type": "string"}, "createdAt": {"type": "integer"},
      "lastUsedAt": nullable("integer"), "revokedAt": nullable("integer")}},
  "TokenInput": {"type": "object", "required": ["role"], "properties": {"role": {"type": "string", "enum": ["reader", "uploader", "admin"]}, "label": {"type": "string", "maxLength": 200}}},
  "TokenList": {"type": "object", "required": ["tokens"], "properties": {"tokens": {"type": "array", "items": R("Token")}}},
  "IssuedToken": {"type": "object", "required": ["record", "secret"], "properties": {"record": R("Token"), "secret": {"type": "string"}}},
  "Source": {"type": "object", "required": ["name", "groups", "series"], "properties": {"name": {"type": "string"}, "groups": {"type": "integer"}, "series": {"type": "integer"}}},
  "SourceList": {"type": "object", "required": ["sources"], "properties": {"sources": {"type": "array", "items": R("Source")}}},
  "Series": {"type": "object", "required": ["id", "source", "group", "tags", "channel", "type"], "properties": {
      "id": {"type": "integer"}, "source": {"type": "string"}, "group": {"type": "string"},
      "tags": {"type": "object", "additionalProperties": {"type": "string"}}, "channel": {"type": "string"},
      "unit": nullable("string"), "type": {"type": "string", "enum": ["timestamp", "float64", "float32", "int64", "bool", "state", "string"]}}},
  "SeriesList": {"type": "object", "required": ["series"], "properties": {"series": {"type": "array", "items": R("Series")}}},
  "SeriesData": {"type": "object", "required": ["series", "skipped"], "properties": {
      "series": {"type": "array", "items": {"allOf": [R("Series"), {"type": "object", "required": ["times", "values"], "properties": {
          "times": {"type": "array", "items": {"type": ["string", "integer"]}}, "values": {"type": "array", "items": value}}}]}},
      "skipped": {"type": "array", "items": {"type": "string"}}}},
  "SeriesBuckets": {"type": "object", "required": ["bucketSeconds", "series", "skipped"], "properties": {
      "bucketSeconds": {"type": "number"},
      "series": {"type": "array", "items": {"allOf": [R("Series"), {"type": "object", "required": ["buckets"], "properties": {"buckets": {
          "type": "object", "required": ["start", "count", "mean", "min", "max", "sum", "first", "last"], "properties": {
              "start": {"type": "array", "items": {"type": ["string", "integer"]}}, "count": {"type": "array", "items": {"type": "integer"}},
              **{k: {"type": "array", "items": {"type": ["number", "null"]}} for k in ["mean", "min", "max", "sum", "first", "last"]}}}}}]}},
      "skipped": {"type": "array", "items": {"type": "string"}}}},
  "SeriesLatest": {"type": "object", "required": ["series"], "properties": {"series": {"type": "array", "items": {"allOf": [R("Series"), {"type": "object", "required": ["time", "value"], "properties": {
      "time": {"type": ["string", "integer", "null"]}, "value": value}}]}}}},
  "Geometry": {"type": "object", "required": ["type", "coordinates"], "properties": {"type": {"type": "string", "enum": ["Polygon", "MultiPolygon"]}, "coordinates": {"type": "array"}}},
  "FieldInput": {"type": "object", "required": ["name"], "properties": {
      "name": {"type": "string", "minLength": 1, "maxLength": 200}, "crop": {"type": "string"}, "plantingDate": {"type": "string", "format": "date"},
      "boundary": R("Geometry"), "properties": {"type": "object"}, "parent": {"type": "integer", "minimum": 1, "description": "Makes this a zone of that field"},
      "timeZone": {"type": "string", "description": "IANA time zone of the field's days (default UTC)"}, "irrigation": R("IrrigationSettings")}},
  "SeriesReference": {"type": "object", "description": "A series by id, or by source and channel (group, tags optional)", "properties": {
      "series": {"type": "integer", "minimum": 1}, "source": {"type": "string"}, "group": {"type": "string"}, "channel": {"type": "string"},
      "tags": {"type": "object", "additionalProperties": {"type": "string"}}}},
  "IrrigationSettings": {"type": "object", "description": "Crop coefficients (FAO-56 1998 defaults of the field's crop when absent), soil, roots, management and the series that feed the irrigation summary", "properties": {
      "latitude": {"type": "number"}, "longitude": {"type": "number"}, "elevation": {"type": "number", "description": "m"},
      "et0Method": {"type": "string", "enum": ["fao56-pm", "hargreaves-samani"]}, "coefficients": {"type": "string", "enum": ["single", "dual"]},
      "tableVersion": {"type": "string"},
      "stages": {"type": "object", "required": ["initial", "development", "midSeason", "late"], "properties": {k: {"type": "integer", "minimum": 0} for k in ["initial", "development", "midSeason", "late"]}},
      **{k: {"type": "number", "minimum": 0, "maximum": 2} for k in ["kcIni", "kcMid", "kcEnd", "kcbIni", "kcbMid", "kcbEnd"]},
      "cropHeight": {"type": "number"},
      "soil": {"type": "object", "properties": {"texture": {"type": "string", "enum": ["sand", "loamy-sand", "sandy-loam", "loam", "silt-loam", "silt", "silt-clay-loam", "silty-clay", "clay"]},
          "fieldCapacity": {"type": "number"}, "wiltingPoint": {"type": "number"}, "readilyEvaporableWater": {"type": "number"}}},
      "rootDepth": {"type": "number"}, "initialRootDepth": {"type": "number"}, "depletionFraction": {"type": "number"},
      "managementAllowedDepletion": {"type": "number"}, "efficiency": {"type": "number"}, "wettedFraction": {"type": "number"},
      "completenessThreshold": {"type": "number"},
      "weather": {"type": "object", "properties": {**{k: R("SeriesReference") for k in ["temperature", "tMax", "tMin", "relativeHumidity", "windSpeed", "solarRadiation", "sunshine", "rain"]}, "windHeight": {"type": "number"}}},
      "probes": {"type": "array", "items": {"type": "object", "required": ["depth", "series"], "properties": {"depth": {"type": "number"}, "series": R("SeriesReference"), "unit": {"type": "string", "enum": ["percent", "fraction"]}}}},
      "flowMeter": {"type": "object", "required": ["series"], "properties": {"series": R("SeriesReference"), "kind": {"type": "string", "enum": ["volume", "flow"]}, "unit": {"type": "string"}}}}},
  "QualityFlag": {"type": "object", "required": ["input", "reason", "count", "detail"], "properties": {
      "input": {"type": "string"}, "reason": {"type": "string", "enum": ["out-of-range", "spike", "tmin-above-tmax", "partial", "incomplete", "series-not-found"]},
      "count": {"type": "number"}, "detail": {"type": "string"}}},
  "IrrigationDay": {"type": "object", "required": IRR_DAY_REQUIRED, "properties": {
      "date": {"type": "string", "format": "date"}, "dayOfSeason": nullable("number"), "stage": {"type": ["string", "null"], "enum": ["initial", "development", "mid", "late", "after", None]},
      "hours": {"type": "number"},
      "weather": {"type": "object", "required": ["tMax", "tMin", "tMean", "rhMax", "rhMin", "rhMean", "windSpeed", "u2", "solarRadiation", "sunshine", "rain"],
          "properties": {k: nullable("number") for k in ["tMax", "tMin", "tMean", "rhMax", "rhMin", "rhMean", "windSpeed", "u2", "solarRadiation", "sunshine", "rain"]}},
      "completeness": {"type": "object", "additionalProperties": {"type": ["number", "null"], "minimum": 0, "maximum": 1}},
      "flags": {"type": "array", "items": R("QualityFlag")},
      "et0": nullable("number"), "et0Method": {"type": ["string", "null"], "enum": ["fao56-pm", "hargreaves-samani", None]},
      "et0Estimated": {"type": "array", "items": {"type": "string"}}, "et0Missing": nullable("string"),
      **{k: nullable("number") for k in IRR_DAY_NUMBERS},
      "irrigationVolume": {"type": "number"}, "irrigationGross": {"type": "number"}, "irrigationNet": {"type": "number"},
      "probe": {"anyOf": [{"type": "null"}, {"type": "object", "required": ["storage", "storageAtFieldCapacity", "depletion", "plantAvailablePercent", "totalAvailableWater", "depth", "layers"], "properties": {
          **{k: {"type": "number"} for k in ["storage", "storageAtFieldCapacity", "depletion", "plantAvailablePercent", "totalAvailableWater", "depth"]},
          "layers": {"type": "array", "items": {"type": "object", "required": ["top", "bottom", "theta"], "properties": {k: {"type": "number"} for k in ["top", "bottom", "theta"]}}}}}]}}},
  "IrrigationSummary": {"type": "object", "required": ["field", "from", "to", "configuration", "methods", "provenance", "balance", "days", "totals"], "properties": {
      "field": {"type": "object", "required": ["id", "name", "parent"], "properties": {"id": {"type": "number"}, "name": {"type": "string"}, "parent": nullable("number")}},
      "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
      "configuration": {"type": "object", "required": ["plantingDate", "tableVersion", "stages", "coefficients", "kc", "soil", "rootDepth", "depletionFraction", "managementAllowedDepletion", "efficiency", "completenessThreshold", "timeZone", "latitude", "elevation"]},
      "methods": {"type": "object", "additionalProperties": {"type": "string"}},
      "provenance": {"type": "object", "additionalProperties": {"type": "object", "required": ["series", "status"], "properties": {"series": nullable("number"), "status": {"type": "string", "enum": ["ok", "not-found"]}}}},
      "balance": {"type": "object", "required": ["status", "interruptedOn", "reason"], "properties": {"status": {"type": "string", "enum": ["complete", "interrupted"]}, "interruptedOn": nullable("string"), "reason": nullable("string")}},
      "days": {"type": "array", "items": R("IrrigationDay")},
      "totals": {"type": "object", "required": ["et0", "etc", "etcAdj", "rain", "effectiveRain", "irrigationVolume", "irrigationGross", "irrigationNet", "deepPercolation", "days", "daysWithEt0", "daysWithStress", "finalDepletion", "finalFractionDepleted", "managementAllowedDepletionReached"], "properties": {
          **{k: {"type": "number"} for k in ["et0", "etc", "etcAdj", "rain", "effectiveRain", "irrigationVolume", "irrigationGross", "irrigationNet", "deepPercolation", "days", "daysWithEt0", "daysWithStress"]},
          "finalDepletion": nullable("number"), "finalFractionDepleted": nullable("number"), "managementAllowedDepletionReached": nullable("boolean")}}}},
  "Field": {"type": "object", "required": ["id", "project", "name", "properties"], "properties": {
      "id": {"type": "integer"}, "project": {"type": "string"}, "name": {"type": "string"}, "crop": nullable("string"),
      "plantingDate": nullable("string"), "boundary": {"anyOf": [R("Geometry"), {"type": "null"}]},
      "areaSquareMetres": nullable("number"), "properties": {"type": "object"}, "parent": {"type": "integer"},
      "timeZone": {"type": "string"}, "irrigation": R("IrrigationSettings")}},
  "TrapThreshold": {"type": "object", "required": ["source"], "description": "An action threshold as cited configuration", "properties": {
      "perTrapPerWeek": {"type": "number", "minimum": 0}, "cumulative": {"type": "number", "minimum": 0}, "source": {"type": "string", "minLength": 1}}},
  "TrapInput": {"type": "object", "required": ["name", "pest"], "properties": {
      "name": {"type": "string", "minLength": 1, "maxLength": 200}, "pest": {"type": "string", "minLength": 1, "maxLength": 200, "description": "A pest model id (codling-moth…) or free text"},
      "lure": {"type": "string"}, "longitude": {"type": "number", "minimum": -180, "maximum": 180}, "latitude": {"type": "number", "minimum": -90, "maximum": 90},
      "installedAt": {"type": "string", "description": "When the trap was set out (RFC 3339): the first check's exposure starts here"},
      "actionThreshold": R("TrapThreshold")}},
  "Trap": {"type": "object", "required": ["id", "project", "field", "name", "pest"], "properties": {
      "id": {"type": "integer"}, "project": {"type": "string"}, "field": {"type": "integer"}, "name": {"type": "string"}, "pest": {"type": "string"},
      "lure": nullable("string"), "longitude": nullable("number"), "latitude": nullable("number"), "installedAt": nullable("string"),
      "actionThreshold": {"anyOf": [R("TrapThreshold"), {"type": "null"}]}}},
  "TrapList": {"type": "object", "required": ["traps"], "properties": {"traps": {"type": "array", "items": R("Trap")}}},
  "TrapCount": {"type": "object", "required": ["time", "count"], "properties": {
      "time": {"type": "string", "description": "RFC 3339 with a zone, or a local date YYYY-MM-DD (local noon)"}, "count": {"type": "integer", "minimum": 0}}},
  "TrapCountImport": {"type": "object", "required": ["trap", "stored", "first", "last"], "properties": {
      "trap": {"type": "integer"}, "stored": {"type": "integer"}, "first": {"type": "string"}, "last": {"type": "string"}}},
  "PestSummary": {"type": "object", "required": ["field", "from", "to", "timeZone", "model", "units", "inputs", "biofix", "milestones", "days", "totals", "traps", "disease"], "properties": {
      "field": {"type": "integer"}, "from": {"type": "string"}, "to": {"type": "string"}, "timeZone": {"type": "string"},
      "model": {"type": "object", "required": ["id", "name", "lower", "scale", "method", "cutoff", "sources"]},
      "units": {"type": "object"}, "inputs": {"type": "object", "required": ["dailyExtremes", "provenance"]},
      "biofix": {"type": "object", "required": ["date", "source", "rule"], "properties": {"date": {"type": "string"}, "source": {"type": "string"}, "rule": {"type": "string"}}},
      "milestones": {"type": "array", "items": {"type": "object", "required": ["name", "degreeDays", "date"], "properties": {"name": {"type": "string"}, "degreeDays": {"type": "number"}, "date": nullable("string"), "verified": {"type": "boolean"}}}},
      "days": {"type": "array", "items": {"type": "object", "required": ["date", "degreeDays", "cumulative", "flags"], "properties": {
          "date": {"type": "string"}, "tMin": nullable("number"), "tMax": nullable("number"), "degreeDays": nullable("number"), "cumulative": {"type": "number"},
          "milestones": {"type": "array", "items": {"type": "string"}}, "trapCount": nullable("number"), "powderyMildewIndex": nullable("number"),
          "flags": {"type": "array", "items": {"type": "object", "required": ["input", "reason", "count", "detail"]}}}}},
      "totals": {"type": "object", "required": ["degreeDaysSinceBiofix", "days", "daysWithDegreeDays"]},
      "traps": {"type": "array", "items": {"type": "object", "required": ["id", "name", "pest", "checks", "weeks", "peaks", "total", "actionThreshold"]}},
      "disease": {"type": "object", "required": ["status"]}}},
  "Harvest": {"type": "object", "required": ["id", "project", "field", "name", "records", "columns", "createdAt"], "properties": {
      "id": {"type": "integer"}, "project": {"type": "string"}, "field": {"type": "integer"}, "name": {"type": "string"}, "crop": nullable("string"),
      "records": {"type": "integer"}, "columns": {"type": "object", "additionalProperties": {"type": "string"}}, "createdAt": {"type": "string"}}},
  "VegetationSurvey": {"type": "object", "required": ["id", "field", "name", "samples", "indices", "createdAt"], "properties": {
      "id": {"type": "integer"}, "field": {"type": "integer"}, "name": {"type": "string"}, "date": {"type": ["string", "null"]},
      "samples": {"type": "integer"}, "indices": {"type": "array", "items": {"type": "string", "enum": ["ndvi", "ndre", "gndvi", "savi", "osavi", "cire"]}},
      "createdAt": {"type": "string"}}},
  "VegetationSurveyList": {"type": "object", "required": ["surveys"], "properties": {"surveys": {"type": "array", "items": R("VegetationSurvey")}}},
  "VegetationSurveyImport": {"type": "object", "required": ["survey", "flagged"], "properties": {"survey": R("VegetationSurvey"),
      "flagged": {"type": "array", "items": {"type": "object", "required": ["row", "reason"], "properties": {"row": {"type": "integer"}, "reason": {"type": "string"}}}}}},
  "HarvestList": {"type": "object", "required": ["harvests"], "properties": {"harvests": {"type": "array", "items": R("Harvest")}}},
  "FeatureCollection": {"type": "object", "required": ["type", "features"], "properties": {"type": {"type": "string", "enum": ["FeatureCollection"]},
      "features": {"type": "array", "items": {"type": "object", "required": ["type", "geometry", "properties"]}}}},
  "YieldSummary": {"type": "object", "required": ["harvest", "field", "dryYield", "cleaning", "statistics", "grid", "map"], "properties": {
      "harvest": {"type": "object"}, "field": {"type": "integer"},
      "vegetation": {"type": "object", "required": ["survey", "samplesOutsideGrid", "indices"], "description": "With vegetation=: the survey, and per index the number of cells with samples, their mean and the regression of cell yield on it (slope, intercept, rSquared, rmseKgPerHa, cells; null with fewer than 3 cells)"},
      "dryYield": {"type": "object", "required": ["crop", "standardMoisture", "policy", "formula"]},
      "cleaning": {"type": "object", "required": ["steps", "kept", "removed"], "properties": {"steps": {"type": "array", "items": {"type": "object", "required": ["name", "parameters", "removed"]}}}},
      "statistics": {"type": "object"}, "grid": {"type": "object"}, "map": R("FeatureCollection")}},
  "DetectionImport": {"type": "object", "required": ["stored", "flights", "flagged"], "properties": {
      "stored": {"type": "integer"}, "flights": {"type": "array", "items": {"type": "string"}},
      "flagged": {"type": "array", "items": {"type": "object", "required": ["row", "reason"], "properties": {"row": {"type": "integer"}, "reason": {"type": "string"}}}}}},
  "Hotspots": {"type": "object", "required": ["field", "flight", "method", "grid", "detections", "counted", "filteredOut", "rejected", "hotspots95", "cells"], "properties": {
      "field": {"type": "integer"}, "flight": nullable("string"), "method": {"type": "string"}, "grid": {"type": "object"},
      "detections": {"type": "integer"}, "counted": {"type": "integer"}, "filteredOut": {"type": "integer"}, "rejected": {"type": "integer"},
      "hotspots95": {"type": "integer"}, "cells": R("FeatureCollection")}},
  "FieldList": {"type": "object", "required": ["fields"], "properties": {"fields": {"type": "array", "items": R("Field")}}},
  "Flight": {"type": "object", "required": ["id", "source", "origin", "start"], "properties": {
      "id": {"type": "integer"}, "source": {"type": "string"}, "origin": {"type": "string", "enum": ["live", "upload"]},
      "start": {"type": "string", "format": "date-time"}, "end": nullable("string"), "durationSeconds": nullable("number"),
      "vehicleType": nullable("integer"), "autopilot": nullable("integer"), "upload": nullable("integer"),
      "summary": {"type": ["object", "null"], "description": "A log flight's summary: vehicle, time base, distance, altitudes, covered area, batteries, flows, modes, messages, dropouts, parameters"}}},
  "ReplayInput": {"type": "object", "required": ["source"], "properties": {
      "source": {"type": "string", "description": "Archived source (link name)"}, "from": {"type": "string"}, "to": {"type": "string"},
      "flight": {"type": "integer"}, "udp": {"type": "string", "description": "host:port"}, "tcp": {"type": "string", "description": "host:port"},
      "speed": {"type": ["number", "null"]}, "maxRate": {"type": "boolean"}, "loop": {"type": "boolean"}, "startOffsetSeconds": {"type": "number"},
      "systemID": {"type": "integer", "minimum": 0, "maximum": 255, "description": "Rewrite every frame's system id (CRC recomputed; signed MAVLink 2 frames lose their signature)"},
      "only": {"type": "array", "items": {"type": "string"}, "description": "Send only these messages (names); bytes outside frames are dropped"},
      "exclude": {"type": "array", "items": {"type": "string"}, "description": "Do not send these messages (names)"},
      "timestamps": {"type": "string", "enum": ["keep", "now"], "description": "now: shift uint64 Unix-time fields (time_unix_usec, time_usec >= 1e15) to the replay's clock"},
      "coalesceBytes": {"type": ["integer", "null"], "minimum": 1, "maximum": 65507, "description": "UDP only: join consecutive whole records into datagrams of at most this many bytes (the byte stream is unchanged)"}}},
  "ReplayAction": {"type": "object", "required": ["action"], "properties": {
      "action": {"type": "string", "enum": ["pause", "resume", "stop", "seek"]}, "to": {"type": "string"}}},
  "Replay": {"type": "object", "required": ["id", "source", "target", "loop", "state", "paused", "progress"], "properties": {
      "id": {"type": "integer"}, "source": {"type": "string"}, "target": {"type": "string"}, "speed": {"type": ["number", "null"]},
      "loop": {"type": "boolean"}, "state": {"type": "string", "enum": ["running", "finished", "stopped", "failed"]},
      "paused": {"type": "boolean"}, "error": {"type": ["string", "null"]},
      "progress": {"type": "object", "required": ["records", "bytes", "lagMicros", "lagP99Micros", "loops", "finished"], "properties": {
          "records": {"type": "integer"}, "bytes": {"type": "integer"}, "position": {"type": ["integer", "null"]},
          "start": {"type": ["integer", "null"]}, "lagMicros": {"type": "integer"}, "lagP99Micros": {"type": "integer"},
          "loops": {"type": "integer"}, "finished": {"type": "boolean"}}}}},
  "ReplayList": {"type": "object", "required": ["replays"], "properties": {"replays": {"type": "array", "items": R("Replay")}}},
  "FlightList": {"type": "object", "required": ["flights"], "properties": {"flights": {"type": "array", "items": R("Flight")}}},
  "Upload": {"type": "object", "required": ["id", "fileName", "size", "sha256", "status", "progress", "flows", "sprayingOnly", "createdAt"], "properties": {
      "id": {"type": "integer"}, "fileName": {"type": "string"}, "size": {"type": "integer"}, "sha256": {"type": "string"},
      "format": {"type": ["string", "null"], "enum": ["tlog", "bin", "ulg", None]},
      "status": {"type": "string", "enum": ["queued", "importing", "done", "failed"]}, "phase": {"type": ["string", "null"]},
      "progress": {"type": "number", "minimum": 0, "maximum": 1}, "swathWidth": {"type": ["number", "null"]},
      "flows": {"type": "array", "items": {"type": "string"}}, "sprayingOnly": {"type": "boolean"},
      "createdAt": {"type": "string", "format": "date-time"}, "finishedAt": {"type": ["string", "null"]},
      "flight": {"type": ["integer", "null"]}, "report": {"type": ["object", "null"]}, "duplicate": {"type": ["boolean", "null"]}}},
  "UploadList": {"type": "object", "required": ["uploads"], "properties": {"uploads": {"type": "array", "items": R("Upload")}}},
}
doc = {"openapi": "3.1.0", "info": {"title": "Furrow API", "version": "1.0.0",
        "description": "Pilot projects' telemetry, fields and flights. Every /v1 route but this document needs `Authorization: Bearer <token>`; a token sees only its project, and another project's objects answer 404. Errors are RFC 9457 problem+json."},
       "servers": [{"url": "/"}], "security": [{"bearer": []}], "paths": paths,
       "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": schemas}}
text = json.dumps(doc, indent=1, sort_keys=False, ensure_ascii=False)
assert '"""#' not in text
open(Path(__file__).resolve().parents[1] / 'Sources/FurrowServer/OpenAPIDocument.swift', 'w').write(
 '/// The API description served at `/v1/openapi.json`; a test checks it against the registered routes and\n'
 '/// schemathesis checks the server\'s answers against it.\n'
 'enum OpenAPIDocument {\n    static let json = #"""\n' + text + '\n"""#\n}\n')

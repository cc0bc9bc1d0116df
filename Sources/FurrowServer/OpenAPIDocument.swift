/// The API description served at `/v1/openapi.json`; a test checks it against the registered routes and
/// schemathesis checks the server's answers against it.
enum OpenAPIDocument {
    static let json = #"""
{
 "openapi": "3.1.0",
 "info": {
  "title": "Furrow API",
  "version": "1.0.0",
  "description": "Pilot projects' telemetry, fields and flights. Every /v1 route but this document needs `Authorization: Bearer <token>`; a token sees only its project, and another project's objects answer 404. Errors are RFC 9457 problem+json."
 },
 "servers": [
  {
   "url": "/"
  }
 ],
 "security": [
  {
   "bearer": []
  }
 ],
 "paths": {
  "/v1/openapi.json": {
   "get": {
    "operationId": "openapi",
    "summary": "This document",
    "security": [],
    "responses": {
     "200": {
      "description": "OpenAPI 3.1",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects": {
   "get": {
    "operationId": "listProjects",
    "summary": "Projects the caller can see",
    "parameters": [],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ProjectList"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "post": {
    "operationId": "createProject",
    "summary": "Create a project (operator)",
    "parameters": [],
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Project"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Request body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ProjectInput"
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}": {
   "get": {
    "operationId": "getProject",
    "summary": "One project",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Project"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/tokens": {
   "get": {
    "operationId": "listTokens",
    "summary": "Tokens of a project (admin); never their secrets",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TokenList"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "post": {
    "operationId": "createToken",
    "summary": "Create a token (admin); its secret is in this response only",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/IssuedToken"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Request body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/TokenInput"
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/tokens/{token}": {
   "delete": {
    "operationId": "revokeToken",
    "summary": "Revoke a token (admin)",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "token",
      "in": "path",
      "required": true,
      "description": "Token id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Token"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/sources": {
   "get": {
    "operationId": "listSources",
    "summary": "Sources (drones, sensor nodes, uploads) of a project",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SourceList"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/sources/{source}/series": {
   "get": {
    "operationId": "listSourceSeries",
    "summary": "Series of one source",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "source",
      "in": "path",
      "required": true,
      "description": "Source name",
      "schema": {
       "type": "string",
       "minLength": 1
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SeriesList"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/sources/{source}/live": {
   "get": {
    "operationId": "liveValues",
    "summary": "Server-Sent Events: the newest row of every append to the source",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "source",
      "in": "path",
      "required": true,
      "description": "Source name",
      "schema": {
       "type": "string",
       "minLength": 1
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "text/event-stream": {
        "schema": {
         "type": "object",
         "required": [
          "data"
         ],
         "properties": {
          "event": {
           "type": "string",
           "enum": [
            "values"
           ]
          },
          "data": {
           "type": "string"
          }
         }
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/series": {
   "get": {
    "operationId": "listSeries",
    "summary": "Series of a project, optionally narrowed",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "source",
      "in": "query",
      "required": false,
      "description": "Source name",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "group",
      "in": "query",
      "required": false,
      "description": "Row group (message) name",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "channel",
      "in": "query",
      "required": false,
      "description": "Channel name",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "description": "At most this many",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 100000
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SeriesList"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/series/data": {
   "get": {
    "operationId": "seriesData",
    "summary": "Values of several series in a time range: raw, or in buckets with aggregates; JSON, CSV or line protocol (streamed)",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "series",
      "in": "query",
      "required": true,
      "description": "Series ids (repeatable, or comma-separated), from the series listings",
      "schema": {
       "type": "array",
       "items": {
        "type": "integer"
       },
       "minItems": 1
      },
      "style": "form",
      "explode": true
     },
     {
      "name": "from",
      "in": "query",
      "required": true,
      "description": "Start, inclusive (RFC 3339 with a zone, or milliseconds since the epoch)",
      "schema": {
       "type": "string",
       "minLength": 1
      }
     },
     {
      "name": "to",
      "in": "query",
      "required": true,
      "description": "End, exclusive (RFC 3339 with a zone, or milliseconds since the epoch)",
      "schema": {
       "type": "string",
       "minLength": 1
      }
     },
     {
      "name": "bucket",
      "in": "query",
      "required": false,
      "description": "Bucket width: 500ms, 10s, 15m, 1h, 1d or milliseconds",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "format",
      "in": "query",
      "required": false,
      "description": "Answer format",
      "schema": {
       "type": "string",
       "enum": [
        "json",
        "csv",
        "lp"
       ]
      }
     },
     {
      "name": "time",
      "in": "query",
      "required": false,
      "description": "Time format in JSON answers",
      "schema": {
       "type": "string",
       "enum": [
        "rfc3339",
        "ms",
        "us"
       ]
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "anyOf": [
          {
           "$ref": "#/components/schemas/SeriesData"
          },
          {
           "$ref": "#/components/schemas/SeriesBuckets"
          }
         ]
        }
       },
       "text/csv": {
        "schema": {
         "type": "string"
        }
       },
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Result too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/series/latest": {
   "get": {
    "operationId": "seriesLatest",
    "summary": "The newest value of several series",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "series",
      "in": "query",
      "required": true,
      "description": "Series ids (repeatable, or comma-separated), from the series listings",
      "schema": {
       "type": "array",
       "items": {
        "type": "integer"
       },
       "minItems": 1
      },
      "style": "form",
      "explode": true
     },
     {
      "name": "time",
      "in": "query",
      "required": false,
      "description": "Time format",
      "schema": {
       "type": "string",
       "enum": [
        "rfc3339",
        "ms",
        "us"
       ]
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SeriesLatest"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/fields": {
   "get": {
    "operationId": "listFields",
    "summary": "Fields of a project",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/FieldList"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "post": {
    "operationId": "createField",
    "summary": "Create a field (admin)",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Field"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Request body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/FieldInput"
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/fields/{field}": {
   "get": {
    "operationId": "getField",
    "summary": "One field",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Field"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "put": {
    "operationId": "replaceField",
    "summary": "Replace a field (admin)",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Field"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Request body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/FieldInput"
       }
      }
     }
    }
   },
   "delete": {
    "operationId": "deleteField",
    "summary": "Delete a field (admin)",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Deleted"
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/fields/{field}/irrigation": {
   "get": {
    "operationId": "fieldIrrigation",
    "summary": "Irrigation summary of a field or zone: per local day ET0, Kc, ETc, rain, applied water, the FAO-56 root-zone balance and probe storage, with completeness flags, methods, input series and season totals; JSON or CSV",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     },
     {
      "name": "from",
      "in": "query",
      "required": false,
      "description": "First local date YYYY-MM-DD (default: the planting date)",
      "schema": {
       "type": "string",
       "format": "date"
      }
     },
     {
      "name": "to",
      "in": "query",
      "required": false,
      "description": "Last local date YYYY-MM-DD, inclusive (default: the end of the crop season)",
      "schema": {
       "type": "string",
       "format": "date"
      }
     },
     {
      "name": "format",
      "in": "query",
      "required": false,
      "description": "Answer format",
      "schema": {
       "type": "string",
       "enum": [
        "json",
        "csv"
       ]
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/IrrigationSummary"
        }
       },
       "text/csv": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "The field lacks what the summary needs (no weather source, planting date, soil, elevation…)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/fields/{field}/traps": {
   "get": {
    "operationId": "listTraps",
    "summary": "Insect traps of a field",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TrapList"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "post": {
    "operationId": "createTrap",
    "summary": "Create a trap in a field (admin); a position outside the field's boundary is refused",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Trap"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Request body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/TrapInput"
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/fields/{field}/traps/{trap}/counts": {
   "post": {
    "operationId": "addTrapCounts",
    "summary": "Add a trap's checks (uploader): JSON [{time, count}] or CSV with a time (or date) and a count column; every row is checked first and one bad row (with its number and reason) stores nothing; a time already stored for the trap is a conflict",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     },
     {
      "name": "trap",
      "in": "path",
      "required": true,
      "description": "Trap id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TrapCountImport"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Request body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "oneOf": [
         {
          "type": "array",
          "items": {
           "$ref": "#/components/schemas/TrapCount"
          }
         },
         {
          "type": "object",
          "required": [
           "counts"
          ],
          "properties": {
           "counts": {
            "type": "array",
            "items": {
             "$ref": "#/components/schemas/TrapCount"
            }
           }
          }
         }
        ]
       }
      },
      "text/csv": {
       "schema": {
        "type": "string"
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/fields/{field}/pest": {
   "get": {
    "operationId": "fieldPest",
    "summary": "Pest summary of a field for one pest model: daily degree-days from the field's weather (local days), accumulated from the biofix (field setting or first sustained trap catch), milestones reached, trap summaries (CTD, weeks, cumulative, flight peaks, action thresholds) and disease risk (powdery mildew, apple scab, Botrytis) with the inputs used; JSON or CSV",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     },
     {
      "name": "model",
      "in": "query",
      "required": false,
      "description": "Pest model id (default codling-moth)",
      "schema": {
       "type": "string",
       "enum": [
        "codling-moth",
        "peach-twig-borer",
        "corn-earworm",
        "navel-orangeworm",
        "corn-rootworm"
       ]
      }
     },
     {
      "name": "from",
      "in": "query",
      "required": false,
      "description": "First local date YYYY-MM-DD (default: 1 January of `to`'s year)",
      "schema": {
       "type": "string",
       "format": "date"
      }
     },
     {
      "name": "to",
      "in": "query",
      "required": false,
      "description": "Last local date YYYY-MM-DD, inclusive (default: today in the field's time zone)",
      "schema": {
       "type": "string",
       "format": "date"
      }
     },
     {
      "name": "format",
      "in": "query",
      "required": false,
      "description": "Answer format",
      "schema": {
       "type": "string",
       "enum": [
        "json",
        "csv"
       ]
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/PestSummary"
        }
       },
       "text/csv": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "The field lacks what the summary needs (no temperature series, bad pest settings)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/fields/{field}/harvests": {
   "get": {
    "operationId": "listHarvests",
    "summary": "Yield-monitor harvests of a field",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HarvestList"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "post": {
    "operationId": "uploadHarvest",
    "summary": "Upload a yield-monitor CSV (uploader), streamed and size-limited: columns lon/lat, mass flow (lb/s or kg/s), moisture (%), speed (m/s, km/h, mph) or distance, swath (m, ft, in), time; units in brackets after the names; a missing column, an unknown unit or any bad row (row number and reason) refuses the whole file and stores nothing",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     },
     {
      "name": "name",
      "in": "query",
      "required": false,
      "description": "Harvest name",
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 200
      }
     },
     {
      "name": "crop",
      "in": "query",
      "required": false,
      "description": "Crop for the standard moisture (default: the field's crop)",
      "schema": {
       "type": "string",
       "enum": [
        "corn",
        "maize",
        "soybean",
        "wheat"
       ]
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Harvest"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Request body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "text/csv": {
       "schema": {
        "type": "string"
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/fields/{field}/vegetation": {
   "get": {
    "operationId": "listVegetationSurveys",
    "summary": "Multispectral surveys of a field",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/VegetationSurveyList"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "post": {
    "operationId": "uploadVegetationSurvey",
    "summary": "Upload a multispectral survey as CSV (uploader): lon, lat and calibrated reflectance (green, red, rededge, nir as fractions 0–1) or index columns (ndvi, ndre, gndvi, savi, osavi, cire); indices are computed from the bands they need; any bad row refuses the file (row numbers and reasons), samples outside the field are flagged and not stored",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     },
     {
      "name": "name",
      "in": "query",
      "required": false,
      "description": "Survey name",
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 200
      }
     },
     {
      "name": "date",
      "in": "query",
      "required": false,
      "description": "Flight date YYYY-MM-DD",
      "schema": {
       "type": "string",
       "format": "date"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/VegetationSurveyImport"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Request body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "text/csv": {
       "schema": {
        "type": "string"
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/fields/{field}/yield": {
   "get": {
    "operationId": "fieldYield",
    "summary": "Yield summary of a harvest: cleaning report (each filter's removed count, Yield Editor order), dry yield at the crop's standard moisture with the moisture policy, field totals and statistics, and the grid yield map as GeoJSON",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     },
     {
      "name": "harvest",
      "in": "query",
      "required": false,
      "description": "Harvest id (default: the newest)",
      "schema": {
       "type": "integer",
       "minimum": 1
      }
     },
     {
      "name": "standardMoisture",
      "in": "query",
      "required": false,
      "description": "Standard moisture, % (default: the crop's)",
      "schema": {
       "type": "number",
       "minimum": 0,
       "maximum": 60
      }
     },
     {
      "name": "moisturePolicy",
      "in": "query",
      "required": false,
      "description": "symmetric, or never-above-wet (dry = wet when grain is drier than standard)",
      "schema": {
       "type": "string",
       "enum": [
        "symmetric",
        "never-above-wet"
       ]
      }
     },
     {
      "name": "cellSize",
      "in": "query",
      "required": false,
      "description": "Grid cell size, m (default 10)",
      "schema": {
       "type": "number",
       "minimum": 1,
       "maximum": 500
      }
     },
     {
      "name": "flowDelay",
      "in": "query",
      "required": false,
      "description": "Flow delay, s",
      "schema": {
       "type": "number",
       "minimum": 0,
       "maximum": 60
      }
     },
     {
      "name": "startPassDelay",
      "in": "query",
      "required": false,
      "description": "Start-pass delay, s",
      "schema": {
       "type": "number",
       "minimum": 0,
       "maximum": 120
      }
     },
     {
      "name": "endPassDelay",
      "in": "query",
      "required": false,
      "description": "End-pass delay, s",
      "schema": {
       "type": "number",
       "minimum": 0,
       "maximum": 120
      }
     },
     {
      "name": "localCellSize",
      "in": "query",
      "required": false,
      "description": "Local standard-deviation filter cell size, m (default off)",
      "schema": {
       "type": "number",
       "minimum": 1,
       "maximum": 500
      }
     },
     {
      "name": "vegetation",
      "in": "query",
      "required": false,
      "description": "A multispectral survey id: its indices averaged per cell (map properties ndvi, ndre, …) and the cell yields regressed on each",
      "schema": {
       "type": "integer",
       "minimum": 1
      }
     },
     {
      "name": "format",
      "in": "query",
      "required": false,
      "description": "Answer format",
      "schema": {
       "type": "string",
       "enum": [
        "json",
        "geojson"
       ]
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/YieldSummary"
        }
       },
       "application/geo+json": {
        "schema": {
         "$ref": "#/components/schemas/FeatureCollection"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "No standard moisture for the crop, or no record survived cleaning",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/fields/{field}/detections": {
   "post": {
    "operationId": "uploadDetections",
    "summary": "Upload scouting detections (uploader): a GeoJSON FeatureCollection of Points (properties class, confidence 0–1, flight) or CSV (lon, lat, class, confidence, flight); a malformed row refuses the upload (row number and reason); detections outside the field's boundary are flagged by row and not stored",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     },
     {
      "name": "flight",
      "in": "query",
      "required": false,
      "description": "Flight id for rows that name none",
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 200
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/DetectionImport"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Request body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "The field has no boundary",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/geo+json": {
       "schema": {
        "$ref": "#/components/schemas/FeatureCollection"
       }
      },
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/FeatureCollection"
       }
      },
      "text/csv": {
       "schema": {
        "type": "string"
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/fields/{field}/hotspots": {
   "get": {
    "operationId": "fieldHotspots",
    "summary": "Scouting hotspots: detections of a flight (default: all) counted on a grid over the field, Getis–Ord Gi* per cell (binary queen weights incl. the cell), as GeoJSON cells",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "field",
      "in": "path",
      "required": true,
      "description": "Field id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     },
     {
      "name": "flight",
      "in": "query",
      "required": false,
      "description": "Flight id (default: every flight)",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "cellSize",
      "in": "query",
      "required": false,
      "description": "Cell size, m (default 10)",
      "schema": {
       "type": "number",
       "minimum": 2,
       "maximum": 500
      }
     },
     {
      "name": "minConfidence",
      "in": "query",
      "required": false,
      "description": "Confidence cut, 0–1",
      "schema": {
       "type": "number",
       "minimum": 0,
       "maximum": 1
      }
     },
     {
      "name": "class",
      "in": "query",
      "required": false,
      "description": "Classes to count, comma-separated (default all)",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "densityThreshold",
      "in": "query",
      "required": false,
      "description": "Detections per ha that flag a cell regardless of Gi*",
      "schema": {
       "type": "number",
       "minimum": 0,
       "maximum": 1000000000.0
      }
     },
     {
      "name": "format",
      "in": "query",
      "required": false,
      "description": "Answer format",
      "schema": {
       "type": "string",
       "enum": [
        "json",
        "geojson"
       ]
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Hotspots"
        }
       },
       "application/geo+json": {
        "schema": {
         "$ref": "#/components/schemas/FeatureCollection"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "The field has no boundary",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/flights": {
   "get": {
    "operationId": "listFlights",
    "summary": "Flights of a project, newest first",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "source",
      "in": "query",
      "required": false,
      "description": "Source name",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "from",
      "in": "query",
      "required": false,
      "description": "Flights ending after (RFC 3339 with a zone, or milliseconds since the epoch)",
      "schema": {
       "type": "string",
       "minLength": 1
      }
     },
     {
      "name": "to",
      "in": "query",
      "required": false,
      "description": "Flights starting before (RFC 3339 with a zone, or milliseconds since the epoch)",
      "schema": {
       "type": "string",
       "minLength": 1
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/FlightList"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "post": {
    "operationId": "uploadFlightLog",
    "summary": "Upload a flight log (.tlog, ArduPilot .bin, PX4 .ulg; uploader): the body is the file, streamed to disk and imported in the background; follow the upload's progress",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "fileName",
      "in": "query",
      "required": false,
      "description": "The file's name, as listed",
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 200
      }
     },
     {
      "name": "swathWidth",
      "in": "query",
      "required": false,
      "description": "Spray or work width in metres, for the covered area",
      "schema": {
       "type": "number",
       "exclusiveMinimum": 0,
       "maximum": 200
      }
     },
     {
      "name": "flow",
      "in": "query",
      "required": false,
      "description": "Flow-rate fields to integrate into totals: NAME=MESSAGE.FIELD[*SCALE], e.g. spray=NAMED_VALUE_FLOAT.SPRAY_LPM*0.0166667 (repeatable, at most 8)",
      "schema": {
       "type": "array",
       "maxItems": 8,
       "items": {
        "type": "string",
        "pattern": "^[^=]{1,64}=[^.]{1,64}\\.[^*]{1,64}(\\*[-+0-9.eE]+)?$"
       }
      }
     },
     {
      "name": "sprayingOnly",
      "in": "query",
      "required": false,
      "description": "Count the covered area only while a flow is on",
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "202": {
      "description": "Received and queued for import",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Upload"
        }
       }
      }
     },
     "200": {
      "description": "The project has this file already: that upload",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Upload"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Request body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/octet-stream": {
       "schema": {
        "type": "string",
        "format": "binary"
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/uploads": {
   "get": {
    "operationId": "listUploads",
    "summary": "Flight-log uploads of a project, newest first, with status and import reports",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UploadList"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/uploads/{upload}": {
   "get": {
    "operationId": "getUpload",
    "summary": "One upload: status, progress 0–1, and the import report (or why it failed)",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "upload",
      "in": "path",
      "required": true,
      "description": "Upload id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Upload"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/flights/{flight}/track": {
   "get": {
    "operationId": "flightTrack",
    "summary": "The flight's GPS track as GeoJSON, KML or GPX",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "flight",
      "in": "path",
      "required": true,
      "description": "Flight id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     },
     {
      "name": "format",
      "in": "query",
      "required": false,
      "description": "Export format",
      "schema": {
       "type": "string",
       "enum": [
        "geojson",
        "kml",
        "gpx"
       ]
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/geo+json": {
        "schema": {
         "type": "object"
        }
       },
       "application/vnd.google-earth.kml+xml": {
        "schema": {
         "type": "string"
        }
       },
       "application/gpx+xml": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/flights/{flight}/original": {
   "get": {
    "operationId": "flightOriginal",
    "summary": "The uploaded log file, byte for byte",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "flight",
      "in": "path",
      "required": true,
      "description": "Flight id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/octet-stream": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/flights/{flight}/series": {
   "get": {
    "operationId": "flightSeries",
    "summary": "The series of the flight's source (use their ids with series/data, or a row group with the flight's csv)",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "flight",
      "in": "path",
      "required": true,
      "description": "Flight id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SeriesList"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/flights/{flight}/csv": {
   "get": {
    "operationId": "flightCSV",
    "summary": "One row group of the flight as CSV: a row per timestamp, a column per channel (streamed)",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "flight",
      "in": "path",
      "required": true,
      "description": "Flight id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     },
     {
      "name": "group",
      "in": "query",
      "required": true,
      "description": "Row group (log message or topic) name, e.g. GPS",
      "schema": {
       "type": "string",
       "minLength": 1
      }
     },
     {
      "name": "channel",
      "in": "query",
      "required": false,
      "description": "Channels to include (repeatable or comma-separated; default all)",
      "schema": {
       "type": "array",
       "items": {
        "type": "string"
       }
      }
     },
     {
      "name": "sender",
      "in": "query",
      "required": false,
      "description": "A .tlog's sender as sysid/compid (default: the first)",
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "text/csv": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Result too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/replays": {
   "get": {
    "operationId": "listReplays",
    "summary": "Replays of archived telemetry in this project (admin)",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ReplayList"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "post": {
    "operationId": "startReplay",
    "summary": "Replay an archived source to a UDP or TCP target the server allows (admin)",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Replay"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Request body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ReplayInput"
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/replays/{replay}": {
   "get": {
    "operationId": "getReplay",
    "summary": "One replay with its progress (admin)",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "replay",
      "in": "path",
      "required": true,
      "description": "Replay id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Replay"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "delete": {
    "operationId": "stopReplay",
    "summary": "Stop a replay (admin)",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "replay",
      "in": "path",
      "required": true,
      "description": "Replay id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Replay"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/replays/{replay}/control": {
   "post": {
    "operationId": "controlReplay",
    "summary": "Pause, resume, seek or stop a replay (admin)",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "replay",
      "in": "path",
      "required": true,
      "description": "Replay id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Replay"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Request body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ReplayAction"
       }
      }
     }
    }
   }
  },
  "/v1/projects/{project}/flights/{flight}": {
   "get": {
    "operationId": "getFlight",
    "summary": "One flight",
    "parameters": [
     {
      "name": "project",
      "in": "path",
      "required": true,
      "description": "Project slug",
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
      }
     },
     {
      "name": "flight",
      "in": "path",
      "required": true,
      "description": "Flight id",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Flight"
        }
       }
      }
     },
     "400": {
      "description": "Invalid parameter or body",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found (also: a project the token cannot see)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  }
 },
 "components": {
  "securitySchemes": {
   "bearer": {
    "type": "http",
    "scheme": "bearer"
   }
  },
  "schemas": {
   "Problem": {
    "type": "object",
    "required": [
     "type",
     "title",
     "status",
     "detail"
    ],
    "properties": {
     "type": {
      "type": "string",
      "format": "uri"
     },
     "title": {
      "type": "string"
     },
     "status": {
      "type": "integer"
     },
     "detail": {
      "type": "string"
     },
     "instance": {
      "type": [
       "string",
       "null"
      ]
     },
     "parameter": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "Project": {
    "type": "object",
    "required": [
     "slug",
     "title",
     "createdAt"
    ],
    "properties": {
     "slug": {
      "type": "string"
     },
     "title": {
      "type": "string"
     },
     "createdAt": {
      "type": "integer",
      "description": "µs since the epoch"
     }
    }
   },
   "ProjectInput": {
    "type": "object",
    "required": [
     "slug"
    ],
    "properties": {
     "slug": {
      "type": "string",
      "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"
     },
     "title": {
      "type": "string"
     }
    }
   },
   "ProjectList": {
    "type": "object",
    "required": [
     "projects"
    ],
    "properties": {
     "projects": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Project"
      }
     }
    }
   },
   "Token": {
    "type": "object",
    "required": [
     "id",
     "project",
     "role",
     "label",
     "prefix",
     "createdAt"
    ],
    "properties": {
     "id": {
      "type": "integer"
     },
     "project": {
      "type": "string"
     },
     "role": {
      "type": "string",
      "enum": [
       "reader",
       "uploader",
       "admin"
      ]
     },
     "label": {
      "type": "string"
     },
     "prefix": {
      "type": "string"
     },
     "createdAt": {
      "type": "integer"
     },
     "lastUsedAt": {
      "type": [
       "integer",
       "null"
      ]
     },
     "revokedAt": {
      "type": [
       "integer",
       "null"
      ]
     }
    }
   },
   "TokenInput": {
    "type": "object",
    "required": [
     "role"
    ],
    "properties": {
     "role": {
      "type": "string",
      "enum": [
       "reader",
       "uploader",
       "admin"
      ]
     },
     "label": {
      "type": "string",
      "maxLength": 200
     }
    }
   },
   "TokenList": {
    "type": "object",
    "required": [
     "tokens"
    ],
    "properties": {
     "tokens": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Token"
      }
     }
    }
   },
   "IssuedToken": {
    "type": "object",
    "required": [
     "record",
     "secret"
    ],
    "properties": {
     "record": {
      "$ref": "#/components/schemas/Token"
     },
     "secret": {
      "type": "string"
     }
    }
   },
   "Source": {
    "type": "object",
    "required": [
     "name",
     "groups",
     "series"
    ],
    "properties": {
     "name": {
      "type": "string"
     },
     "groups": {
      "type": "integer"
     },
     "series": {
      "type": "integer"
     }
    }
   },
   "SourceList": {
    "type": "object",
    "required": [
     "sources"
    ],
    "properties": {
     "sources": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Source"
      }
     }
    }
   },
   "Series": {
    "type": "object",
    "required": [
     "id",
     "source",
     "group",
     "tags",
     "channel",
     "type"
    ],
    "properties": {
     "id": {
      "type": "integer"
     },
     "source": {
      "type": "string"
     },
     "group": {
      "type": "string"
     },
     "tags": {
      "type": "object",
      "additionalProperties": {
       "type": "string"
      }
     },
     "channel": {
      "type": "string"
     },
     "unit": {
      "type": [
       "string",
       "null"
      ]
     },
     "type": {
      "type": "string",
      "enum": [
       "timestamp",
       "float64",
       "float32",
       "int64",
       "bool",
       "state",
       "string"
      ]
     }
    }
   },
   "SeriesList": {
    "type": "object",
    "required": [
     "series"
    ],
    "properties": {
     "series": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Series"
      }
     }
    }
   },
   "SeriesData": {
    "type": "object",
    "required": [
     "series",
     "skipped"
    ],
    "properties": {
     "series": {
      "type": "array",
      "items": {
       "allOf": [
        {
         "$ref": "#/components/schemas/Series"
        },
        {
         "type": "object",
         "required": [
          "times",
          "values"
         ],
         "properties": {
          "times": {
           "type": "array",
           "items": {
            "type": [
             "string",
             "integer"
            ]
           }
          },
          "values": {
           "type": "array",
           "items": {}
          }
         }
        }
       ]
      }
     },
     "skipped": {
      "type": "array",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "SeriesBuckets": {
    "type": "object",
    "required": [
     "bucketSeconds",
     "series",
     "skipped"
    ],
    "properties": {
     "bucketSeconds": {
      "type": "number"
     },
     "series": {
      "type": "array",
      "items": {
       "allOf": [
        {
         "$ref": "#/components/schemas/Series"
        },
        {
         "type": "object",
         "required": [
          "buckets"
         ],
         "properties": {
          "buckets": {
           "type": "object",
           "required": [
            "start",
            "count",
            "mean",
            "min",
            "max",
            "sum",
            "first",
            "last"
           ],
           "properties": {
            "start": {
             "type": "array",
             "items": {
              "type": [
               "string",
               "integer"
              ]
             }
            },
            "count": {
             "type": "array",
             "items": {
              "type": "integer"
             }
            },
            "mean": {
             "type": "array",
             "items": {
              "type": [
               "number",
               "null"
              ]
             }
            },
            "min": {
             "type": "array",
             "items": {
              "type": [
               "number",
               "null"
              ]
             }
            },
            "max": {
             "type": "array",
             "items": {
              "type": [
               "number",
               "null"
              ]
             }
            },
            "sum": {
             "type": "array",
             "items": {
              "type": [
               "number",
               "null"
              ]
             }
            },
            "first": {
             "type": "array",
             "items": {
              "type": [
               "number",
               "null"
              ]
             }
            },
            "last": {
             "type": "array",
             "items": {
              "type": [
               "number",
               "null"
              ]
             }
            }
           }
          }
         }
        }
       ]
      }
     },
     "skipped": {
      "type": "array",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "SeriesLatest": {
    "type": "object",
    "required": [
     "series"
    ],
    "properties": {
     "series": {
      "type": "array",
      "items": {
       "allOf": [
        {
         "$ref": "#/components/schemas/Series"
        },
        {
         "type": "object",
         "required": [
          "time",
          "value"
         ],
         "properties": {
          "time": {
           "type": [
            "string",
            "integer",
            "null"
           ]
          },
          "value": {}
         }
        }
       ]
      }
     }
    }
   },
   "Geometry": {
    "type": "object",
    "required": [
     "type",
     "coordinates"
    ],
    "properties": {
     "type": {
      "type": "string",
      "enum": [
       "Polygon",
       "MultiPolygon"
      ]
     },
     "coordinates": {
      "type": "array"
     }
    }
   },
   "FieldInput": {
    "type": "object",
    "required": [
     "name"
    ],
    "properties": {
     "name": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200
     },
     "crop": {
      "type": "string"
     },
     "plantingDate": {
      "type": "string",
      "format": "date"
     },
     "boundary": {
      "$ref": "#/components/schemas/Geometry"
     },
     "properties": {
      "type": "object"
     },
     "parent": {
      "type": "integer",
      "minimum": 1,
      "description": "Makes this a zone of that field"
     },
     "timeZone": {
      "type": "string",
      "description": "IANA time zone of the field's days (default UTC)"
     },
     "irrigation": {
      "$ref": "#/components/schemas/IrrigationSettings"
     }
    }
   },
   "SeriesReference": {
    "type": "object",
    "description": "A series by id, or by source and channel (group, tags optional)",
    "properties": {
     "series": {
      "type": "integer",
      "minimum": 1
     },
     "source": {
      "type": "string"
     },
     "group": {
      "type": "string"
     },
     "channel": {
      "type": "string"
     },
     "tags": {
      "type": "object",
      "additionalProperties": {
       "type": "string"
      }
     }
    }
   },
   "IrrigationSettings": {
    "type": "object",
    "description": "Crop coefficients (FAO-56 1998 defaults of the field's crop when absent), soil, roots, management and the series that feed the irrigation summary",
    "properties": {
     "latitude": {
      "type": "number"
     },
     "longitude": {
      "type": "number"
     },
     "elevation": {
      "type": "number",
      "description": "m"
     },
     "et0Method": {
      "type": "string",
      "enum": [
       "fao56-pm",
       "hargreaves-samani"
      ]
     },
     "coefficients": {
      "type": "string",
      "enum": [
       "single",
       "dual"
      ]
     },
     "tableVersion": {
      "type": "string"
     },
     "stages": {
      "type": "object",
      "required": [
       "initial",
       "development",
       "midSeason",
       "late"
      ],
      "properties": {
       "initial": {
        "type": "integer",
        "minimum": 0
       },
       "development": {
        "type": "integer",
        "minimum": 0
       },
       "midSeason": {
        "type": "integer",
        "minimum": 0
       },
       "late": {
        "type": "integer",
        "minimum": 0
       }
      }
     },
     "kcIni": {
      "type": "number",
      "minimum": 0,
      "maximum": 2
     },
     "kcMid": {
      "type": "number",
      "minimum": 0,
      "maximum": 2
     },
     "kcEnd": {
      "type": "number",
      "minimum": 0,
      "maximum": 2
     },
     "kcbIni": {
      "type": "number",
      "minimum": 0,
      "maximum": 2
     },
     "kcbMid": {
      "type": "number",
      "minimum": 0,
      "maximum": 2
     },
     "kcbEnd": {
      "type": "number",
      "minimum": 0,
      "maximum": 2
     },
     "cropHeight": {
      "type": "number"
     },
     "soil": {
      "type": "object",
      "properties": {
       "texture": {
        "type": "string",
        "enum": [
         "sand",
         "loamy-sand",
         "sandy-loam",
         "loam",
         "silt-loam",
         "silt",
         "silt-clay-loam",
         "silty-clay",
         "clay"
        ]
       },
       "fieldCapacity": {
        "type": "number"
       },
       "wiltingPoint": {
        "type": "number"
       },
       "readilyEvaporableWater": {
        "type": "number"
       }
      }
     },
     "rootDepth": {
      "type": "number"
     },
     "initialRootDepth": {
      "type": "number"
     },
     "depletionFraction": {
      "type": "number"
     },
     "managementAllowedDepletion": {
      "type": "number"
     },
     "efficiency": {
      "type": "number"
     },
     "wettedFraction": {
      "type": "number"
     },
     "completenessThreshold": {
      "type": "number"
     },
     "weather": {
      "type": "object",
      "properties": {
       "temperature": {
        "$ref": "#/components/schemas/SeriesReference"
       },
       "tMax": {
        "$ref": "#/components/schemas/SeriesReference"
       },
       "tMin": {
        "$ref": "#/components/schemas/SeriesReference"
       },
       "relativeHumidity": {
        "$ref": "#/components/schemas/SeriesReference"
       },
       "windSpeed": {
        "$ref": "#/components/schemas/SeriesReference"
       },
       "solarRadiation": {
        "$ref": "#/components/schemas/SeriesReference"
       },
       "sunshine": {
        "$ref": "#/components/schemas/SeriesReference"
       },
       "rain": {
        "$ref": "#/components/schemas/SeriesReference"
       },
       "windHeight": {
        "type": "number"
       }
      }
     },
     "probes": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "depth",
        "series"
       ],
       "properties": {
        "depth": {
         "type": "number"
        },
        "series": {
         "$ref": "#/components/schemas/SeriesReference"
        },
        "unit": {
         "type": "string",
         "enum": [
          "percent",
          "fraction"
         ]
        }
       }
      }
     },
     "flowMeter": {
      "type": "object",
      "required": [
       "series"
      ],
      "properties": {
       "series": {
        "$ref": "#/components/schemas/SeriesReference"
       },
       "kind": {
        "type": "string",
        "enum": [
         "volume",
         "flow"
        ]
       },
       "unit": {
        "type": "string"
       }
      }
     }
    }
   },
   "QualityFlag": {
    "type": "object",
    "required": [
     "input",
     "reason",
     "count",
     "detail"
    ],
    "properties": {
     "input": {
      "type": "string"
     },
     "reason": {
      "type": "string",
      "enum": [
       "out-of-range",
       "spike",
       "tmin-above-tmax",
       "partial",
       "incomplete",
       "series-not-found"
      ]
     },
     "count": {
      "type": "number"
     },
     "detail": {
      "type": "string"
     }
    }
   },
   "IrrigationDay": {
    "type": "object",
    "required": [
     "date",
     "dayOfSeason",
     "stage",
     "hours",
     "weather",
     "completeness",
     "flags",
     "et0",
     "et0Method",
     "et0Estimated",
     "et0Missing",
     "irrigationVolume",
     "irrigationGross",
     "irrigationNet",
     "probe",
     "rain",
     "kc",
     "kcb",
     "ke",
     "etc",
     "effectiveRain",
     "rootDepth",
     "taw",
     "raw",
     "p",
     "ks",
     "etcAdj",
     "deepPercolation",
     "depletionStart",
     "depletion",
     "fractionDepleted"
    ],
    "properties": {
     "date": {
      "type": "string",
      "format": "date"
     },
     "dayOfSeason": {
      "type": [
       "number",
       "null"
      ]
     },
     "stage": {
      "type": [
       "string",
       "null"
      ],
      "enum": [
       "initial",
       "development",
       "mid",
       "late",
       "after",
       null
      ]
     },
     "hours": {
      "type": "number"
     },
     "weather": {
      "type": "object",
      "required": [
       "tMax",
       "tMin",
       "tMean",
       "rhMax",
       "rhMin",
       "rhMean",
       "windSpeed",
       "u2",
       "solarRadiation",
       "sunshine",
       "rain"
      ],
      "properties": {
       "tMax": {
        "type": [
         "number",
         "null"
        ]
       },
       "tMin": {
        "type": [
         "number",
         "null"
        ]
       },
       "tMean": {
        "type": [
         "number",
         "null"
        ]
       },
       "rhMax": {
        "type": [
         "number",
         "null"
        ]
       },
       "rhMin": {
        "type": [
         "number",
         "null"
        ]
       },
       "rhMean": {
        "type": [
         "number",
         "null"
        ]
       },
       "windSpeed": {
        "type": [
         "number",
         "null"
        ]
       },
       "u2": {
        "type": [
         "number",
         "null"
        ]
       },
       "solarRadiation": {
        "type": [
         "number",
         "null"
        ]
       },
       "sunshine": {
        "type": [
         "number",
         "null"
        ]
       },
       "rain": {
        "type": [
         "number",
         "null"
        ]
       }
      }
     },
     "completeness": {
      "type": "object",
      "additionalProperties": {
       "type": [
        "number",
        "null"
       ],
       "minimum": 0,
       "maximum": 1
      }
     },
     "flags": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/QualityFlag"
      }
     },
     "et0": {
      "type": [
       "number",
       "null"
      ]
     },
     "et0Method": {
      "type": [
       "string",
       "null"
      ],
      "enum": [
       "fao56-pm",
       "hargreaves-samani",
       null
      ]
     },
     "et0Estimated": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "et0Missing": {
      "type": [
       "string",
       "null"
      ]
     },
     "rain": {
      "type": [
       "number",
       "null"
      ]
     },
     "kc": {
      "type": [
       "number",
       "null"
      ]
     },
     "kcb": {
      "type": [
       "number",
       "null"
      ]
     },
     "ke": {
      "type": [
       "number",
       "null"
      ]
     },
     "etc": {
      "type": [
       "number",
       "null"
      ]
     },
     "effectiveRain": {
      "type": [
       "number",
       "null"
      ]
     },
     "rootDepth": {
      "type": [
       "number",
       "null"
      ]
     },
     "taw": {
      "type": [
       "number",
       "null"
      ]
     },
     "raw": {
      "type": [
       "number",
       "null"
      ]
     },
     "p": {
      "type": [
       "number",
       "null"
      ]
     },
     "ks": {
      "type": [
       "number",
       "null"
      ]
     },
     "etcAdj": {
      "type": [
       "number",
       "null"
      ]
     },
     "deepPercolation": {
      "type": [
       "number",
       "null"
      ]
     },
     "depletionStart": {
      "type": [
       "number",
       "null"
      ]
     },
     "depletion": {
      "type": [
       "number",
       "null"
      ]
     },
     "fractionDepleted": {
      "type": [
       "number",
       "null"
      ]
     },
     "irrigationVolume": {
      "type": "number"
     },
     "irrigationGross": {
      "type": "number"
     },
     "irrigationNet": {
      "type": "number"
     },
     "probe": {
      "anyOf": [
       {
        "type": "null"
       },
       {
        "type": "object",
        "required": [
         "storage",
         "storageAtFieldCapacity",
         "depletion",
         "plantAvailablePercent",
         "totalAvailableWater",
         "depth",
         "layers"
        ],
        "properties": {
         "storage": {
          "type": "number"
         },
         "storageAtFieldCapacity": {
          "type": "number"
         },
         "depletion": {
          "type": "number"
         },
         "plantAvailablePercent": {
          "type": "number"
         },
         "totalAvailableWater": {
          "type": "number"
         },
         "depth": {
          "type": "number"
         },
         "layers": {
          "type": "array",
          "items": {
           "type": "object",
           "required": [
            "top",
            "bottom",
            "theta"
           ],
           "properties": {
            "top": {
             "type": "number"
            },
            "bottom": {
             "type": "number"
            },
            "theta": {
             "type": "number"
            }
           }
          }
         }
        }
       }
      ]
     }
    }
   },
   "IrrigationSummary": {
    "type": "object",
    "required": [
     "field",
     "from",
     "to",
     "configuration",
     "methods",
     "provenance",
     "balance",
     "days",
     "totals"
    ],
    "properties": {
     "field": {
      "type": "object",
      "required": [
       "id",
       "name",
       "parent"
      ],
      "properties": {
       "id": {
        "type": "number"
       },
       "name": {
        "type": "string"
       },
       "parent": {
        "type": [
         "number",
         "null"
        ]
       }
      }
     },
     "from": {
      "type": "string",
      "format": "date"
     },
     "to": {
      "type": "string",
      "format": "date"
     },
     "configuration": {
      "type": "object",
      "required": [
       "plantingDate",
       "tableVersion",
       "stages",
       "coefficients",
       "kc",
       "soil",
       "rootDepth",
       "depletionFraction",
       "managementAllowedDepletion",
       "efficiency",
       "completenessThreshold",
       "timeZone",
       "latitude",
       "elevation"
      ]
     },
     "methods": {
      "type": "object",
      "additionalProperties": {
       "type": "string"
      }
     },
     "provenance": {
      "type": "object",
      "additionalProperties": {
       "type": "object",
       "required": [
        "series",
        "status"
       ],
       "properties": {
        "series": {
         "type": [
          "number",
          "null"
         ]
        },
        "status": {
         "type": "string",
         "enum": [
          "ok",
          "not-found"
         ]
        }
       }
      }
     },
     "balance": {
      "type": "object",
      "required": [
       "status",
       "interruptedOn",
       "reason"
      ],
      "properties": {
       "status": {
        "type": "string",
        "enum": [
         "complete",
         "interrupted"
        ]
       },
       "interruptedOn": {
        "type": [
         "string",
         "null"
        ]
       },
       "reason": {
        "type": [
         "string",
         "null"
        ]
       }
      }
     },
     "days": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/IrrigationDay"
      }
     },
     "totals": {
      "type": "object",
      "required": [
       "et0",
       "etc",
       "etcAdj",
       "rain",
       "effectiveRain",
       "irrigationVolume",
       "irrigationGross",
       "irrigationNet",
       "deepPercolation",
       "days",
       "daysWithEt0",
       "daysWithStress",
       "finalDepletion",
       "finalFractionDepleted",
       "managementAllowedDepletionReached"
      ],
      "properties": {
       "et0": {
        "type": "number"
       },
       "etc": {
        "type": "number"
       },
       "etcAdj": {
        "type": "number"
       },
       "rain": {
        "type": "number"
       },
       "effectiveRain": {
        "type": "number"
       },
       "irrigationVolume": {
        "type": "number"
       },
       "irrigationGross": {
        "type": "number"
       },
       "irrigationNet": {
        "type": "number"
       },
       "deepPercolation": {
        "type": "number"
       },
       "days": {
        "type": "number"
       },
       "daysWithEt0": {
        "type": "number"
       },
       "daysWithStress": {
        "type": "number"
       },
       "finalDepletion": {
        "type": [
         "number",
         "null"
        ]
       },
       "finalFractionDepleted": {
        "type": [
         "number",
         "null"
        ]
       },
       "managementAllowedDepletionReached": {
        "type": [
         "boolean",
         "null"
        ]
       }
      }
     }
    }
   },
   "Field": {
    "type": "object",
    "required": [
     "id",
     "project",
     "name",
     "properties"
    ],
    "properties": {
     "id": {
      "type": "integer"
     },
     "project": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "crop": {
      "type": [
       "string",
       "null"
      ]
     },
     "plantingDate": {
      "type": [
       "string",
       "null"
      ]
     },
     "boundary": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/Geometry"
       },
       {
        "type": "null"
       }
      ]
     },
     "areaSquareMetres": {
      "type": [
       "number",
       "null"
      ]
     },
     "properties": {
      "type": "object"
     },
     "parent": {
      "type": "integer"
     },
     "timeZone": {
      "type": "string"
     },
     "irrigation": {
      "$ref": "#/components/schemas/IrrigationSettings"
     }
    }
   },
   "TrapThreshold": {
    "type": "object",
    "required": [
     "source"
    ],
    "description": "An action threshold as cited configuration",
    "properties": {
     "perTrapPerWeek": {
      "type": "number",
      "minimum": 0
     },
     "cumulative": {
      "type": "number",
      "minimum": 0
     },
     "source": {
      "type": "string",
      "minLength": 1
     }
    }
   },
   "TrapInput": {
    "type": "object",
    "required": [
     "name",
     "pest"
    ],
    "properties": {
     "name": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200
     },
     "pest": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200,
      "description": "A pest model id (codling-moth…) or free text"
     },
     "lure": {
      "type": "string"
     },
     "longitude": {
      "type": "number",
      "minimum": -180,
      "maximum": 180
     },
     "latitude": {
      "type": "number",
      "minimum": -90,
      "maximum": 90
     },
     "installedAt": {
      "type": "string",
      "description": "When the trap was set out (RFC 3339): the first check's exposure starts here"
     },
     "actionThreshold": {
      "$ref": "#/components/schemas/TrapThreshold"
     }
    }
   },
   "Trap": {
    "type": "object",
    "required": [
     "id",
     "project",
     "field",
     "name",
     "pest"
    ],
    "properties": {
     "id": {
      "type": "integer"
     },
     "project": {
      "type": "string"
     },
     "field": {
      "type": "integer"
     },
     "name": {
      "type": "string"
     },
     "pest": {
      "type": "string"
     },
     "lure": {
      "type": [
       "string",
       "null"
      ]
     },
     "longitude": {
      "type": [
       "number",
       "null"
      ]
     },
     "latitude": {
      "type": [
       "number",
       "null"
      ]
     },
     "installedAt": {
      "type": [
       "string",
       "null"
      ]
     },
     "actionThreshold": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/TrapThreshold"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "TrapList": {
    "type": "object",
    "required": [
     "traps"
    ],
    "properties": {
     "traps": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Trap"
      }
     }
    }
   },
   "TrapCount": {
    "type": "object",
    "required": [
     "time",
     "count"
    ],
    "properties": {
     "time": {
      "type": "string",
      "description": "RFC 3339 with a zone, or a local date YYYY-MM-DD (local noon)"
     },
     "count": {
      "type": "integer",
      "minimum": 0
     }
    }
   },
   "TrapCountImport": {
    "type": "object",
    "required": [
     "trap",
     "stored",
     "first",
     "last"
    ],
    "properties": {
     "trap": {
      "type": "integer"
     },
     "stored": {
      "type": "integer"
     },
     "first": {
      "type": "string"
     },
     "last": {
      "type": "string"
     }
    }
   },
   "PestSummary": {
    "type": "object",
    "required": [
     "field",
     "from",
     "to",
     "timeZone",
     "model",
     "units",
     "inputs",
     "biofix",
     "milestones",
     "days",
     "totals",
     "traps",
     "disease"
    ],
    "properties": {
     "field": {
      "type": "integer"
     },
     "from": {
      "type": "string"
     },
     "to": {
      "type": "string"
     },
     "timeZone": {
      "type": "string"
     },
     "model": {
      "type": "object",
      "required": [
       "id",
       "name",
       "lower",
       "scale",
       "method",
       "cutoff",
       "sources"
      ]
     },
     "units": {
      "type": "object"
     },
     "inputs": {
      "type": "object",
      "required": [
       "dailyExtremes",
       "provenance"
      ]
     },
     "biofix": {
      "type": "object",
      "required": [
       "date",
       "source",
       "rule"
      ],
      "properties": {
       "date": {
        "type": "string"
       },
       "source": {
        "type": "string"
       },
       "rule": {
        "type": "string"
       }
      }
     },
     "milestones": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "name",
        "degreeDays",
        "date"
       ],
       "properties": {
        "name": {
         "type": "string"
        },
        "degreeDays": {
         "type": "number"
        },
        "date": {
         "type": [
          "string",
          "null"
         ]
        },
        "verified": {
         "type": "boolean"
        }
       }
      }
     },
     "days": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "date",
        "degreeDays",
        "cumulative",
        "flags"
       ],
       "properties": {
        "date": {
         "type": "string"
        },
        "tMin": {
         "type": [
          "number",
          "null"
         ]
        },
        "tMax": {
         "type": [
          "number",
          "null"
         ]
        },
        "degreeDays": {
         "type": [
          "number",
          "null"
         ]
        },
        "cumulative": {
         "type": "number"
        },
        "milestones": {
         "type": "array",
         "items": {
          "type": "string"
         }
        },
        "trapCount": {
         "type": [
          "number",
          "null"
         ]
        },
        "powderyMildewIndex": {
         "type": [
          "number",
          "null"
         ]
        },
        "flags": {
         "type": "array",
         "items": {
          "type": "object",
          "required": [
           "input",
           "reason",
           "count",
           "detail"
          ]
         }
        }
       }
      }
     },
     "totals": {
      "type": "object",
      "required": [
       "degreeDaysSinceBiofix",
       "days",
       "daysWithDegreeDays"
      ]
     },
     "traps": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "id",
        "name",
        "pest",
        "checks",
        "weeks",
        "peaks",
        "total",
        "actionThreshold"
       ]
      }
     },
     "disease": {
      "type": "object",
      "required": [
       "status"
      ]
     }
    }
   },
   "Harvest": {
    "type": "object",
    "required": [
     "id",
     "project",
     "field",
     "name",
     "records",
     "columns",
     "createdAt"
    ],
    "properties": {
     "id": {
      "type": "integer"
     },
     "project": {
      "type": "string"
     },
     "field": {
      "type": "integer"
     },
     "name": {
      "type": "string"
     },
     "crop": {
      "type": [
       "string",
       "null"
      ]
     },
     "records": {
      "type": "integer"
     },
     "columns": {
      "type": "object",
      "additionalProperties": {
       "type": "string"
      }
     },
     "createdAt": {
      "type": "string"
     }
    }
   },
   "VegetationSurvey": {
    "type": "object",
    "required": [
     "id",
     "field",
     "name",
     "samples",
     "indices",
     "createdAt"
    ],
    "properties": {
     "id": {
      "type": "integer"
     },
     "field": {
      "type": "integer"
     },
     "name": {
      "type": "string"
     },
     "date": {
      "type": [
       "string",
       "null"
      ]
     },
     "samples": {
      "type": "integer"
     },
     "indices": {
      "type": "array",
      "items": {
       "type": "string",
       "enum": [
        "ndvi",
        "ndre",
        "gndvi",
        "savi",
        "osavi",
        "cire"
       ]
      }
     },
     "createdAt": {
      "type": "string"
     }
    }
   },
   "VegetationSurveyList": {
    "type": "object",
    "required": [
     "surveys"
    ],
    "properties": {
     "surveys": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/VegetationSurvey"
      }
     }
    }
   },
   "VegetationSurveyImport": {
    "type": "object",
    "required": [
     "survey",
     "flagged"
    ],
    "properties": {
     "survey": {
      "$ref": "#/components/schemas/VegetationSurvey"
     },
     "flagged": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "row",
        "reason"
       ],
       "properties": {
        "row": {
         "type": "integer"
        },
        "reason": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "HarvestList": {
    "type": "object",
    "required": [
     "harvests"
    ],
    "properties": {
     "harvests": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Harvest"
      }
     }
    }
   },
   "FeatureCollection": {
    "type": "object",
    "required": [
     "type",
     "features"
    ],
    "properties": {
     "type": {
      "type": "string",
      "enum": [
       "FeatureCollection"
      ]
     },
     "features": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "type",
        "geometry",
        "properties"
       ]
      }
     }
    }
   },
   "YieldSummary": {
    "type": "object",
    "required": [
     "harvest",
     "field",
     "dryYield",
     "cleaning",
     "statistics",
     "grid",
     "map"
    ],
    "properties": {
     "harvest": {
      "type": "object"
     },
     "field": {
      "type": "integer"
     },
     "vegetation": {
      "type": "object",
      "required": [
       "survey",
       "samplesOutsideGrid",
       "indices"
      ],
      "description": "With vegetation=: the survey, and per index the number of cells with samples, their mean and the regression of cell yield on it (slope, intercept, rSquared, rmseKgPerHa, cells; null with fewer than 3 cells)"
     },
     "dryYield": {
      "type": "object",
      "required": [
       "crop",
       "standardMoisture",
       "policy",
       "formula"
      ]
     },
     "cleaning": {
      "type": "object",
      "required": [
       "steps",
       "kept",
       "removed"
      ],
      "properties": {
       "steps": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "name",
          "parameters",
          "removed"
         ]
        }
       }
      }
     },
     "statistics": {
      "type": "object"
     },
     "grid": {
      "type": "object"
     },
     "map": {
      "$ref": "#/components/schemas/FeatureCollection"
     }
    }
   },
   "DetectionImport": {
    "type": "object",
    "required": [
     "stored",
     "flights",
     "flagged"
    ],
    "properties": {
     "stored": {
      "type": "integer"
     },
     "flights": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "flagged": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "row",
        "reason"
       ],
       "properties": {
        "row": {
         "type": "integer"
        },
        "reason": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "Hotspots": {
    "type": "object",
    "required": [
     "field",
     "flight",
     "method",
     "grid",
     "detections",
     "counted",
     "filteredOut",
     "rejected",
     "hotspots95",
     "cells"
    ],
    "properties": {
     "field": {
      "type": "integer"
     },
     "flight": {
      "type": [
       "string",
       "null"
      ]
     },
     "method": {
      "type": "string"
     },
     "grid": {
      "type": "object"
     },
     "detections": {
      "type": "integer"
     },
     "counted": {
      "type": "integer"
     },
     "filteredOut": {
      "type": "integer"
     },
     "rejected": {
      "type": "integer"
     },
     "hotspots95": {
      "type": "integer"
     },
     "cells": {
      "$ref": "#/components/schemas/FeatureCollection"
     }
    }
   },
   "FieldList": {
    "type": "object",
    "required": [
     "fields"
    ],
    "properties": {
     "fields": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Field"
      }
     }
    }
   },
   "Flight": {
    "type": "object",
    "required": [
     "id",
     "source",
     "origin",
     "start"
    ],
    "properties": {
     "id": {
      "type": "integer"
     },
     "source": {
      "type": "string"
     },
     "origin": {
      "type": "string",
      "enum": [
       "live",
       "upload"
      ]
     },
     "start": {
      "type": "string",
      "format": "date-time"
     },
     "end": {
      "type": [
       "string",
       "null"
      ]
     },
     "durationSeconds": {
      "type": [
       "number",
       "null"
      ]
     },
     "vehicleType": {
      "type": [
       "integer",
       "null"
      ]
     },
     "autopilot": {
      "type": [
       "integer",
       "null"
      ]
     },
     "upload": {
      "type": [
       "integer",
       "null"
      ]
     },
     "summary": {
      "type": [
       "object",
       "null"
      ],
      "description": "A log flight's summary: vehicle, time base, distance, altitudes, covered area, batteries, flows, modes, messages, dropouts, parameters"
     }
    }
   },
   "ReplayInput": {
    "type": "object",
    "required": [
     "source"
    ],
    "properties": {
     "source": {
      "type": "string",
      "description": "Archived source (link name)"
     },
     "from": {
      "type": "string"
     },
     "to": {
      "type": "string"
     },
     "flight": {
      "type": "integer"
     },
     "udp": {
      "type": "string",
      "description": "host:port"
     },
     "tcp": {
      "type": "string",
      "description": "host:port"
     },
     "speed": {
      "type": [
       "number",
       "null"
      ]
     },
     "maxRate": {
      "type": "boolean"
     },
     "loop": {
      "type": "boolean"
     },
     "startOffsetSeconds": {
      "type": "number"
     },
     "systemID": {
      "type": "integer",
      "minimum": 0,
      "maximum": 255,
      "description": "Rewrite every frame's system id (CRC recomputed; signed MAVLink 2 frames lose their signature)"
     },
     "only": {
      "type": "array",
      "items": {
       "type": "string"
      },
      "description": "Send only these messages (names); bytes outside frames are dropped"
     },
     "exclude": {
      "type": "array",
      "items": {
       "type": "string"
      },
      "description": "Do not send these messages (names)"
     },
     "timestamps": {
      "type": "string",
      "enum": [
       "keep",
       "now"
      ],
      "description": "now: shift uint64 Unix-time fields (time_unix_usec, time_usec >= 1e15) to the replay's clock"
     },
     "coalesceBytes": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 1,
      "maximum": 65507,
      "description": "UDP only: join consecutive whole records into datagrams of at most this many bytes (the byte stream is unchanged)"
     }
    }
   },
   "ReplayAction": {
    "type": "object",
    "required": [
     "action"
    ],
    "properties": {
     "action": {
      "type": "string",
      "enum": [
       "pause",
       "resume",
       "stop",
       "seek"
      ]
     },
     "to": {
      "type": "string"
     }
    }
   },
   "Replay": {
    "type": "object",
    "required": [
     "id",
     "source",
     "target",
     "loop",
     "state",
     "paused",
     "progress"
    ],
    "properties": {
     "id": {
      "type": "integer"
     },
     "source": {
      "type": "string"
     },
     "target": {
      "type": "string"
     },
     "speed": {
      "type": [
       "number",
       "null"
      ]
     },
     "loop": {
      "type": "boolean"
     },
     "state": {
      "type": "string",
      "enum": [
       "running",
       "finished",
       "stopped",
       "failed"
      ]
     },
     "paused": {
      "type": "boolean"
     },
     "error": {
      "type": [
       "string",
       "null"
      ]
     },
     "progress": {
      "type": "object",
      "required": [
       "records",
       "bytes",
       "lagMicros",
       "lagP99Micros",
       "loops",
       "finished"
      ],
      "properties": {
       "records": {
        "type": "integer"
       },
       "bytes": {
        "type": "integer"
       },
       "position": {
        "type": [
         "integer",
         "null"
        ]
       },
       "start": {
        "type": [
         "integer",
         "null"
        ]
       },
       "lagMicros": {
        "type": "integer"
       },
       "lagP99Micros": {
        "type": "integer"
       },
       "loops": {
        "type": "integer"
       },
       "finished": {
        "type": "boolean"
       }
      }
     }
    }
   },
   "ReplayList": {
    "type": "object",
    "required": [
     "replays"
    ],
    "properties": {
     "replays": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Replay"
      }
     }
    }
   },
   "FlightList": {
    "type": "object",
    "required": [
     "flights"
    ],
    "properties": {
     "flights": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Flight"
      }
     }
    }
   },
   "Upload": {
    "type": "object",
    "required": [
     "id",
     "fileName",
     "size",
     "sha256",
     "status",
     "progress",
     "flows",
     "sprayingOnly",
     "createdAt"
    ],
    "properties": {
     "id": {
      "type": "integer"
     },
     "fileName": {
      "type": "string"
     },
     "size": {
      "type": "integer"
     },
     "sha256": {
      "type": "string"
     },
     "format": {
      "type": [
       "string",
       "null"
      ],
      "enum": [
       "tlog",
       "bin",
       "ulg",
       null
      ]
     },
     "status": {
      "type": "string",
      "enum": [
       "queued",
       "importing",
       "done",
       "failed"
      ]
     },
     "phase": {
      "type": [
       "string",
       "null"
      ]
     },
     "progress": {
      "type": "number",
      "minimum": 0,
      "maximum": 1
     },
     "swathWidth": {
      "type": [
       "number",
       "null"
      ]
     },
     "flows": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "sprayingOnly": {
      "type": "boolean"
     },
     "createdAt": {
      "type": "string",
      "format": "date-time"
     },
     "finishedAt": {
      "type": [
       "string",
       "null"
      ]
     },
     "flight": {
      "type": [
       "integer",
       "null"
      ]
     },
     "report": {
      "type": [
       "object",
       "null"
      ]
     },
     "duplicate": {
      "type": [
       "boolean",
       "null"
      ]
     }
    }
   },
   "UploadList": {
    "type": "object",
    "required": [
     "uploads"
    ],
    "properties": {
     "uploads": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Upload"
      }
     }
    }
   }
  }
 }
}
"""#
}

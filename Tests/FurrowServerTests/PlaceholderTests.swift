import Testing
@testable import FurrowServer

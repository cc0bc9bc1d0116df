import Testing
@testable import FurrowAgronomy

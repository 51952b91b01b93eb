import Testing
@testable import NNSREPL

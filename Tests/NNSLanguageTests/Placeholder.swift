import Testing
@testable import NNSLanguage

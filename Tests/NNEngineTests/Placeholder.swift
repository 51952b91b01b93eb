import Testing
@testable import NNEngine

@Test func tensorShapeAndCount() {
    let t = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
    #expect(t.shape == [2, 3])
    #expect(t[1, 2] == 6)
}

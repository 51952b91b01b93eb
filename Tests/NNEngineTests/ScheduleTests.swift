import Testing
import NNEngine

@Suite struct ScheduleTests {
    private func rate(_ s: LearningRateSchedule, _ epoch: Int) -> Double { s.learningRate(epoch: epoch) }

    @Test func stepDecayHalvesEveryTenEpochs() throws {
        let s = try LearningRateSchedule.make("step_decay", [0.1, 0.5, 10])
        // η₀·γ^⌊t/10⌋: t = 0, 9 → 0.1; t = 10 → 0.05; t = 25 → 0.025
        #expect(abs(rate(s, 0) - 0.1) < 1e-12)
        #expect(abs(rate(s, 9) - 0.1) < 1e-12)
        #expect(abs(rate(s, 10) - 0.05) < 1e-12)
        #expect(abs(rate(s, 25) - 0.025) < 1e-12)
    }

    @Test func exponentialDecay() throws {
        let s = try LearningRateSchedule.make("exp_decay", [0.1, 0.5])
        // 0.1·e^(−0.5·2) = 0.1/e = 0.0367879
        #expect(abs(rate(s, 0) - 0.1) < 1e-12)
        #expect(abs(rate(s, 2) - 0.0367879441) < 1e-9)
    }

    @Test func inverseDecay() throws {
        let s = try LearningRateSchedule.make("inv_decay", [0.1, 0.5])
        // 0.1/(1 + 0.5·2) = 0.05; 0.1/(1 + 0.5·6) = 0.025
        #expect(abs(rate(s, 2) - 0.05) < 1e-12)
        #expect(abs(rate(s, 6) - 0.025) < 1e-12)
    }

    @Test func cosineAnnealing() throws {
        let s = try LearningRateSchedule.make("cosine", [0.1, 10])
        // ½·0.1·(1 + cos(πt/10)): t = 0 → 0.1, t = 5 → 0.05, t = 3 → 0.05·(1 + 0.5877853), t = 10 → 0
        #expect(abs(rate(s, 0) - 0.1) < 1e-12)
        #expect(abs(rate(s, 5) - 0.05) < 1e-12)
        #expect(abs(rate(s, 3) - 0.0793892626) < 1e-9)
        #expect(abs(rate(s, 10)) < 1e-12)
        #expect(abs(rate(s, 12)) < 1e-12)
    }

    @Test func badArgumentsThrow() {
        #expect(throws: EngineError.self) { try LearningRateSchedule.make("step_decay", [0.1, 0.5]) }
        #expect(throws: EngineError.self) { try LearningRateSchedule.make("step_decay", [0.1, 0.5, 0]) }
        #expect(throws: EngineError.self) { try LearningRateSchedule.make("cosine", [0.1, 2.5]) }
        #expect(throws: EngineError.self) { try LearningRateSchedule.make("exp_decay", [-0.1, 1]) }
        #expect(throws: EngineError.self) { try LearningRateSchedule.make("warp", [0.1]) }
    }

    @Test func printsAsSource() throws {
        #expect(try LearningRateSchedule.make("cosine", [0.1, 20]).description == "cosine(0.1, 20)")
    }
}

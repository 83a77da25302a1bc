import Foundation
import Testing
import CrossbarKit
@testable import CrossbarFoundation
@testable import CrossbarData
@testable import CrossbarPlot
@testable import CrossbarDevices
@testable import CrossbarTile
@testable import CrossbarAlgorithms
@testable import CrossbarNetwork
@testable import CrossbarTraining
@testable import CrossbarSweep
@testable import CrossbarExperiments

/// Everything wrong with a sweep is reported before anything runs, naming the axis (and value).
@Suite struct SweepValidationTests {
    let registry = SweepTaskRegistry([SyntheticTask(), ProbeTask()])

    func planError(_ json: String) -> String? {
        errorText { _ = try SweepPlan(spec: spec(json), registry: registry) }
    }

    @Test func emptyAxes() {
        let none = planError(#"{"name": "e", "base": {"task": "synthetic"}, "axes": []}"#)
        #expect(none?.contains("axes") == true && none?.contains("at least one axis") == true)
        let noValues = planError(#"{"name": "e", "base": {"task": "synthetic"}, "axes": [{"path": "noise", "values": []}]}"#)
        #expect(noValues?.contains("axis 'noise'") == true && noValues?.contains("no values") == true)
    }

    @Test func duplicateAndOverlappingAxes() {
        let dup = planError(#"{"name": "d", "base": {"task": "synthetic"}, "axes": [{"path": "noise", "values": [0]}, {"path": "noise", "values": [1]}]}"#)
        #expect(dup?.contains("duplicate axis 'noise'") == true)
        let overlap = planError(#"{"name": "d", "base": {"task": "probe", "x": {"a": 1}}, "axes": [{"path": "x", "values": [1]}, {"path": "x.a", "values": [2]}]}"#)
        #expect(overlap?.contains("'x'") == true && overlap?.contains("'x.a'") == true && overlap?.contains("overlap") == true)
        let repeated = planError(#"{"name": "d", "base": {"task": "synthetic"}, "axes": [{"path": "noise", "values": [0.1, 0.2, 0.1]}]}"#)
        #expect(repeated?.contains("axis 'noise'") == true && repeated?.contains("0.1 twice") == true)
    }

    @Test func zipLengthMismatch() {
        let zip = planError(#"{"name": "z", "mode": "zip", "base": {"task": "synthetic"}, "axes": [{"path": "noise", "values": [0, 0.1]}, {"path": "steps", "values": [1, 2, 3]}]}"#)
        #expect(zip?.contains("axis 'steps' has 3 values") == true && zip?.contains("'noise' has 2") == true)
        let group = planError(#"{"name": "z", "base": {"task": "synthetic"}, "axes": [{"path": "noise", "values": [0, 0.1], "group": "g"}, {"path": "steps", "values": [1, 2, 3], "group": "g"}]}"#)
        #expect(group?.contains("group 'g'") == true && group?.contains("'steps'") == true)
        let groupInZip = planError(#"{"name": "z", "mode": "zip", "base": {"task": "synthetic"}, "axes": [{"path": "noise", "values": [0], "group": "g"}]}"#)
        #expect(groupInZip?.contains("only apply in mode 'grid'") == true)
    }

    @Test func unknownTasks() {
        let base = planError(#"{"name": "t", "base": {"task": "programm"}, "axes": [{"path": "seed", "values": [1]}]}"#)
        #expect(base?.contains("unknown task 'programm'") == true && base?.contains("synthetic") == true)
        let axis = planError(#"{"name": "t", "base": {"x": 1}, "axes": [{"path": "task", "values": ["probe", "nope"]}]}"#)
        #expect(axis?.contains("axis 'task' value \"nope\"") == true)
        let missing = planError(#"{"name": "t", "base": {"noise": 1}, "axes": [{"path": "seed", "values": [1]}]}"#)
        #expect(missing?.contains("'task'") == true && missing?.contains("missing") == true)
    }

    @Test func unknownPathsNameTheAxis() {
        let m = planError(#"{"name": "u", "base": {"task": "synthetic"}, "axes": [{"path": "noize", "values": [0.1]}]}"#)
        #expect(m?.contains("axis 'noize'") == true)
        #expect(m?.contains("unknown key 'noize'") == true && m?.contains("did you mean 'noise'") == true)
        // A path through a value that is not an object.
        let through = planError(#"{"name": "u", "base": {"task": "synthetic", "algorithm": "sgd"}, "axes": [{"path": "algorithm.kind", "values": [1]}]}"#)
        #expect(through?.contains("axis 'algorithm.kind'") == true && through?.contains("is a string") == true)
    }

    @Test func impossibleValuesNameTheAxisAndTheValue() {
        let m = planError(#"{"name": "v", "base": {"task": "synthetic"}, "axes": [{"path": "seed", "values": [1, 2]}, {"path": "noise", "values": [0.1, -1]}]}"#)
        #expect(m?.contains("axis 'noise' value -1") == true)
        #expect(m?.contains("invalid value for 'noise'") == true)
        let type = planError(#"{"name": "v", "base": {"task": "synthetic"}, "axes": [{"path": "steps", "values": [10, "many"]}]}"#)
        #expect(type?.contains("axis 'steps' value \"many\"") == true)
        let algorithm = planError(#"{"name": "v", "base": {"task": "synthetic"}, "axes": [{"path": "algorithm", "values": ["sgd", "agad"]}]}"#)
        #expect(algorithm?.contains("axis 'algorithm' value \"agad\"") == true)
    }

    @Test func errorsInTheBaseDocumentSaySo() {
        let m = planError(#"{"name": "b", "base": {"task": "synthetic", "stepz": 3}, "axes": [{"path": "seed", "values": [1]}]}"#)
        #expect(m?.contains("base document") == true && m?.contains("stepz") == true)
    }

    @Test func specFileErrors() throws {
        let unknownKey = errorText { _ = try spec(#"{"name": "x", "base": {"task": "synthetic"}, "axis": []}"#) }
        #expect(unknownKey?.contains("unknown key 'axis'") == true && unknownKey?.contains("did you mean 'axes'") == true)
        let badMode = errorText { _ = try spec(#"{"name": "x", "base": {"task": "synthetic"}, "axes": [], "mode": "cartesian"}"#) }
        #expect(badMode?.contains("mode") == true && badMode?.contains("grid") == true)
        let axisKey = errorText { _ = try spec(#"{"name": "x", "base": {"task": "synthetic"}, "axes": [{"path": "noise", "value": [1]}]}"#) }
        #expect(axisKey?.contains("unknown key 'value'") == true)
        let noName = errorText { _ = try spec(#"{"base": {"task": "synthetic"}, "axes": []}"#) }
        #expect(noName?.contains("'name'") == true)
        let metrics = errorText { _ = try spec(#"{"name": "x", "base": {"task": "synthetic"}, "axes": [], "metrics": ["a", "a"]}"#) }
        #expect(metrics?.contains("metrics[1]") == true)

        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try "{\"name\": \"x\",\n \"base\": {}, \"base\": {}}".write(toFile: dir.file("dup.json"), atomically: true, encoding: .utf8)
        let dupKey = errorText { _ = try SweepSpec.load(path: dir.file("dup.json")) }
        #expect(dupKey?.contains("dup.json") == true && dupKey?.contains("duplicate key 'base'") == true)
        let missing = errorText { _ = try SweepSpec.load(path: dir.file("nope.json")) }
        #expect(missing?.contains("nope.json") == true)
    }

    @Test func reportSettingsMustNameSweptAxes() {
        let m = planError(#"{"name": "r", "base": {"task": "synthetic"}, "axes": [{"path": "noise", "values": [0]}], "report": {"heatmap": ["noise", "steps"]}}"#)
        #expect(m?.contains("report.heatmap[1]") == true && m?.contains("'steps'") == true)
        let fixed = planError(#"{"name": "r", "base": {"task": "synthetic"}, "axes": [{"path": "noise", "values": [0, 0.1]}], "report": {"fixed": {"noise": 0.5}}}"#)
        #expect(fixed?.contains("report.fixed.noise") == true)
        let metric = planError(#"{"name": "r", "base": {"task": "synthetic"}, "axes": [{"path": "noise", "values": [0]}], "metrics": ["test_mse"], "report": {"metric": "loss"}}"#)
        #expect(metric?.contains("report.metric") == true)
    }

    @Test func theExampleSweepIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let plan = try SweepPlan(spec: SweepSpec.load(path: root + "/examples/sweeps/quick-synthetic.json"), registry: .standard)
        #expect(plan.points.count == 36)
    }
}

import FuzzSupport

/// libFuzzer's entry point: one input through the checkpoint reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzOne("checkpoint", start, count)
}

runFuzzer { data, count in fuzzOne("checkpoint", data, count) }

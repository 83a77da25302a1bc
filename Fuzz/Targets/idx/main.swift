import FuzzSupport

/// libFuzzer's entry point: one input through the idx reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzOne("idx", start, count)
}

runFuzzer { data, count in fuzzOne("idx", data, count) }

import FuzzSupport

/// libFuzzer's entry point: one input through the results reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzOne("results", start, count)
}

runFuzzer { data, count in fuzzOne("results", data, count) }

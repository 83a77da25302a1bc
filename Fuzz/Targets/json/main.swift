import FuzzSupport

/// libFuzzer's entry point: one input through the json reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzOne("json", start, count)
}

runFuzzer { data, count in fuzzOne("json", data, count) }

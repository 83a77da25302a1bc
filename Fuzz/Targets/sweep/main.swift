import FuzzSupport

/// libFuzzer's entry point: one input through the sweep reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzOne("sweep", start, count)
}

runFuzzer { data, count in fuzzOne("sweep", data, count) }

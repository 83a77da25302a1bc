#ifndef CLIBFUZZER_H
#define CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (the body of its own `main`): parses the libFuzzer options in argv and
/// fuzzes `callback`. Provided by the runtime that -sanitize=fuzzer links in.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

#ifndef CROSSBARKIT_CZLIB_SHIM_H
#define CROSSBARKIT_CZLIB_SHIM_H
// gzip decompression for the IDX dataset reader (Sources/CrossbarKit/Data/Gzip.swift).
#include <zlib.h>
#endif

#include "FuzzDriver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/// SwiftPM links an executable target's `main` as `renderer_fuzzer_main`; hand control to libFuzzer.
int renderer_fuzzer_main(int argc, char **argv) {
  return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}

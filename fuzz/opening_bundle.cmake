tally_fuzzer(opening_bundle DEPS escrow)

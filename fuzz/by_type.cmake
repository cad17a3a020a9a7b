tally_fuzzer(by_type DEPS treaty)

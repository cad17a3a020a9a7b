tally_fuzzer(structure DEPS scenario)

tally_fuzzer(evidence DEPS estimate)

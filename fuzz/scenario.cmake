tally_fuzzer(scenario DEPS scenario)

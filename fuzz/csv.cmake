tally_fuzzer(csv DEPS base)

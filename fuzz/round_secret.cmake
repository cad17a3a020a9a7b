tally_fuzzer(round_secret DEPS inspection)

tally_fuzzer(inventory DEPS treaty)

tally_fuzzer(disputed_items DEPS treaty)

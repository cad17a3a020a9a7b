tally_fuzzer(treaty_toml DEPS treaty)

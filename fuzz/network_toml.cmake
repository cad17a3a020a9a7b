tally_fuzzer(network_toml DEPS network)

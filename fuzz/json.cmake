tally_fuzzer(json DEPS jsondoc)

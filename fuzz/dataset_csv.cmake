tally_fuzzer(dataset_csv DEPS registry)

tally_fuzzer(escrow_csv DEPS escrow)

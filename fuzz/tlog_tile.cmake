tally_fuzzer(tlog_tile DEPS tlog)

tally_fuzzer(tlog_entry DEPS tlog)

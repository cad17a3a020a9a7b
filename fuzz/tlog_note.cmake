tally_fuzzer(tlog_note DEPS tlog)

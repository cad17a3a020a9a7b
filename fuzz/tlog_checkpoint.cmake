tally_fuzzer(tlog_checkpoint DEPS tlog)

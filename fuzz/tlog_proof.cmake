tally_fuzzer(tlog_proof DEPS tlog)

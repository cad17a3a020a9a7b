tally_fuzzer(tlog_witness_request DEPS tlog)

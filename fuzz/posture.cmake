tally_fuzzer(posture DEPS treaty)

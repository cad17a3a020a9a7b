tally_fuzzer(node_signature_input DEPS node)

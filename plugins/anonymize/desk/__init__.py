"""The editorial desk: intake, review, acknowledgement, accept/reject and the publish gate, in git.

One module per concern: `formats` reads what contributors send, `clean`
scrubs it with the build's own code, `gitdesk` writes commits under the
desk identity with day-granular dates, `review` lists findings, `decide`
accepts and rejects, `gate` refuses to publish unacknowledged findings.
"""

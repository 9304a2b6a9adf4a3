package snapshot

import "github.com/hawatch/hawatch/probe"

// Stats are the pair's cumulative poll and API counters as of the poll that
// built the snapshot. The scheduler copies them into each snapshot so that
// the exporter reads one immutable value.
type Stats struct {
	// Polls counts completed polls, Failed those that were not a success,
	// Skipped the ticks that found the previous poll still running.
	Polls   uint64
	Failed  uint64
	Skipped uint64
	// APIRequests and APIFailures count PAN-OS API requests by peer label
	// and command.
	APIRequests map[string]map[probe.Command]uint64
	APIFailures map[string]map[probe.Command]uint64
	// Panics counts, by peer label, the panics recovered in the PAN-OS
	// client or a parser; each one failed its command instead of the
	// daemon.
	Panics map[string]uint64
	// AWSPolls counts AWS polls; AWSRequests and AWSFailures count EC2
	// API calls by operation.
	AWSPolls    uint64
	AWSRequests map[string]uint64
	AWSFailures map[string]uint64
	// AWSClient names the EC2 client the AWS counters belong to when it
	// serves several pairs (one per region and endpoint): their counters
	// are then that client's, the same for each of them, not the pair's.
	AWSClient string
}

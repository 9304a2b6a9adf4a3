package probe

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"
)

// AWSPeer is one firewall of a pair as the AWS probe sees it.
type AWSPeer struct {
	Name string
	// InstanceID is the peer's EC2 instance; when empty it is discovered
	// from MgmtIP and remembered.
	InstanceID string
	MgmtIP     string
}

// AWSTarget says which instances to look at for one pair.
type AWSTarget struct {
	Pair  string
	Peers []AWSPeer
}

// AWSProber reads the AWS side of HA pairs of one region from the EC2 API.
// ProbeAll polls many pairs at once with each Describe call made once for
// all of them (see awsBatch); Probe polls one. Between polls it
// remembers, per pair, the discovered instance IDs and the ENIs and
// Elastic IPs last seen, so that one that leaves the pair's instances
// (a data-plane ENI left detached after a failover) is still reported.
// It is safe for concurrent use; polls of one pair must not overlap.
// One prober, and one EC2 client, serves every pair of a region.
type AWSProber struct {
	api    *awsCounter
	region string
	logger *slog.Logger
	now    func() time.Time

	// pageSize is MaxResults for paginated calls; maxPages caps the pages
	// of one listing; maxFilterValues is the most values one filter is
	// given before the region is listed instead (awsFilterFor).
	pageSize        int32
	maxPages        int
	maxFilterValues int

	mu    sync.Mutex
	pairs map[string]awsMemory
}

// awsMemory is what a pair's previous polls learnt.
type awsMemory struct {
	discovered  map[string]string // management IP -> instance ID
	enis        []string
	allocations []string
	vpcs        []string
	// routes are the routes (route table and destination) that targeted
	// the pair: one of them turned blackhole towards an ENI the pair no
	// longer has (deleted, say) is still the pair's route.
	routes []string
	// subnets caches subnets by ID: a subnet's CIDR, zone and VPC never
	// change, so each is read once while the pair uses it.
	subnets map[string]AWSSubnet
}

func (m awsMemory) clone() awsMemory {
	return awsMemory{
		discovered:  maps.Clone(m.discovered),
		enis:        slices.Clone(m.enis),
		allocations: slices.Clone(m.allocations),
		vpcs:        slices.Clone(m.vpcs),
		routes:      slices.Clone(m.routes),
		subnets:     maps.Clone(m.subnets),
	}
}

// NewAWSProber returns a prober calling api, which is usually the client
// from NewEC2Client. region is only reported in the status. A nil logger
// discards logs.
func NewAWSProber(api EC2API, region string, logger *slog.Logger) *AWSProber {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &AWSProber{
		api:             newAWSCounter(api),
		region:          region,
		logger:          logger,
		now:             time.Now,
		pageSize:        awsMaxPageSize,
		maxPages:        100,
		maxFilterValues: awsMaxFilterValues,
		pairs:           map[string]awsMemory{},
	}
}

// Calls returns the EC2 calls made so far per operation; each page of a
// listing is one call. Counts only grow.
func (p *AWSProber) Calls() map[string]uint64 { return p.api.snapshot(p.api.calls) }

// Failures returns the EC2 calls that failed so far per operation, after
// the SDK's retries. Counts only grow.
func (p *AWSProber) Failures() map[string]uint64 { return p.api.snapshot(p.api.failures) }

// Forget drops what the prober remembers about a pair, for a pair removed
// from the configuration.
func (p *AWSProber) Forget(pair string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.pairs, pair)
}

// Probe reads the pair's instances, their status checks, ENIs, subnets,
// the routes that target them and their Elastic IPs. It never returns nil
// and never fails as a whole: each failed operation is in Errors and
// leaves its part empty. Something asked for but not returned (an
// instance that no longer exists) is simply absent.
func (p *AWSProber) Probe(ctx context.Context, t AWSTarget) *AWSStatus {
	return p.ProbeAll(ctx, []AWSTarget{t})[0]
}

// ProbeAll is Probe for many pairs with one set of calls: each operation
// is called once (a page of up to a thousand items per call) whatever the
// number of pairs, and each pair's status is the one Probe would have
// returned. A failed call fails its operation for every pair that needed
// it. The statuses are in the order of targets; pair names must be
// distinct.
func (p *AWSProber) ProbeAll(ctx context.Context, targets []AWSTarget) []*AWSStatus {
	ctx = withThrottleNote(ctx)
	b := &awsBatch{p: p, polls: make([]*awsPoll, len(targets))}
	p.mu.Lock()
	for i, t := range targets {
		b.polls[i] = newAWSPoll(p, t, p.pairs[t.Pair].clone())
	}
	p.mu.Unlock()

	b.run(ctx)

	end := p.now()
	out := make([]*AWSStatus, len(targets))
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, q := range b.polls {
		q.st.End = end
		p.pairs[q.target.Pair] = q.next
		out[i] = q.st
	}
	return out
}

package fleet

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hawatch/hawatch/sim"
	"github.com/hawatch/hawatch/sim/ec2sim"
)

// awsRefresh is how long the merged AWS world is reused: building it
// walks every pair, and an AWS poll of every pair asks for it several
// times a second. A fault shows within it, well inside any AWS poll.
const awsRefresh = time.Second

// awsBackend serves the AWS side of every pair as one account and region:
// each pair's world is the same simulated deployment, so its resource IDs
// are made unique per pair (see pairID).
type awsBackend struct {
	pairs []*Pair

	mu     sync.Mutex
	merged ec2sim.World
	built  time.Time
}

func newAWSBackend(pairs []*Pair) *awsBackend { return &awsBackend{pairs: pairs} }

// World returns every pair's AWS resources. The EC2 handler only reads
// the world, so the cached one is shared between requests.
func (b *awsBackend) World() ec2sim.World {
	b.mu.Lock()
	defer b.mu.Unlock()
	if now := time.Now(); now.Sub(b.built) >= awsRefresh {
		b.merged, b.built = b.build(), now
	}
	return b.merged
}

// IAM answers IAM from the first pair: every pair's instances carry the
// same VM-Series instance profile.
func (b *awsBackend) IAM() ec2sim.IAMWorld { return b.pairs[0].World().IAM() }

func (b *awsBackend) build() ec2sim.World {
	out := ec2sim.World{Region: sim.Region, VPCID: pairID(0, sim.VPCID)}
	for k, p := range b.pairs {
		w := p.World().World()
		renameResources(&w, k)
		out.Instances = append(out.Instances, w.Instances...)
		out.ENIs = append(out.ENIs, w.ENIs...)
		out.Subnets = append(out.Subnets, w.Subnets...)
		out.RouteTables = append(out.RouteTables, w.RouteTables...)
		out.Addresses = append(out.Addresses, w.Addresses...)
	}
	return out
}

// idStem is what every simulated resource ID has right after its type
// prefix (i-0a00000000000000a, eni-attach-0a0000000000…).
const idStem = "-0a00000"

// pairID returns the ID of resource id in pair k: the stem's zeros carry
// k in hex, so the length and type prefix stay those of a real ID.
func pairID(k int, id string) string {
	if id == "" {
		return id
	}
	return strings.Replace(id, idStem, fmt.Sprintf("-0a%05x", k), 1)
}

// InstanceID returns the EC2 instance ID of peer i of the k-th pair as
// the shared EC2 endpoint shows it.
func InstanceID(k, i int) string { return pairID(k, sim.InstanceID(i)) }

// renameResources makes w's resource IDs those of pair k.
func renameResources(w *ec2sim.World, k int) {
	id := func(s *string) { *s = pairID(k, *s) }
	for i := range w.Instances {
		in := &w.Instances[i]
		id(&in.ID)
		id(&in.SubnetID)
		id(&in.VPCID)
	}
	for i := range w.ENIs {
		e := &w.ENIs[i]
		for _, s := range []*string{&e.ID, &e.SubnetID, &e.VPCID, &e.AttachmentID, &e.InstanceID} {
			id(s)
		}
	}
	for i := range w.Subnets {
		id(&w.Subnets[i].ID)
		id(&w.Subnets[i].VPCID)
	}
	for i := range w.RouteTables {
		rt := &w.RouteTables[i]
		id(&rt.ID)
		id(&rt.VPCID)
		for j := range rt.Subnets {
			id(&rt.Subnets[j])
		}
		for j := range rt.Routes {
			r := &rt.Routes[j]
			id(&r.GatewayID)
			id(&r.ENI)
			id(&r.InstanceID)
		}
	}
	for i := range w.Addresses {
		a := &w.Addresses[i]
		for _, s := range []*string{&a.AllocationID, &a.AssociationID, &a.ENI, &a.InstanceID} {
			id(s)
		}
	}
}

package fleet

import (
	"context"
	"testing"

	"github.com/hawatch/hawatch/sim"
)

func TestSharedEC2KeepsPairsApart(t *testing.T) {
	f, err := Start(context.Background(), Options{Pairs: 3, Dir: t.TempDir(), AWS: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	w := newAWSBackend(f.Pairs()).World()

	if len(w.Instances) != 6 {
		t.Fatalf("%d instances, want 6 (2 per pair)", len(w.Instances))
	}
	pairOf := map[string]int{}
	for k := range 3 {
		for i := range 2 {
			id := InstanceID(k, i)
			if len(id) != len(sim.InstanceID(i)) {
				t.Errorf("instance ID %s has another length than %s", id, sim.InstanceID(i))
			}
			pairOf[id] = k
		}
	}
	seen := map[string]bool{}
	for _, in := range w.Instances {
		if _, ok := pairOf[in.ID]; !ok || seen[in.ID] {
			t.Errorf("instance %s is unknown or listed twice", in.ID)
		}
		seen[in.ID] = true
	}
	// Every ENI and every Elastic IP names an instance of one pair, in
	// that pair's subnets.
	enis := map[string]bool{}
	for _, e := range w.ENIs {
		if enis[e.ID] {
			t.Errorf("ENI %s listed twice", e.ID)
		}
		enis[e.ID] = true
		if e.InstanceID == "" {
			continue
		}
		k, ok := pairOf[e.InstanceID]
		if !ok {
			t.Errorf("ENI %s attached to unknown instance %s", e.ID, e.InstanceID)
		} else if !subnetOf(k, e.SubnetID) {
			t.Errorf("ENI %s of pair %d in subnet %s of another pair", e.ID, k, e.SubnetID)
		}
	}
	if len(w.Addresses) != 3 {
		t.Errorf("%d Elastic IPs, want one per pair", len(w.Addresses))
	}
	for _, a := range w.Addresses {
		if _, ok := pairOf[a.InstanceID]; !ok || !enis[a.ENI] {
			t.Errorf("Elastic IP %s on instance %s ENI %s, not one of the pairs'", a.AllocationID, a.InstanceID, a.ENI)
		}
	}
}

// subnetOf reports whether subnet is one of pair k's.
func subnetOf(k int, subnet string) bool {
	for dev := range 4 {
		if pairID(k, sim.SubnetID(dev)) == subnet {
			return true
		}
	}
	return false
}

package probe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim/ec2sim"
)

// awsIDPrefix matches the resource IDs of awsPairWorld.
var awsIDPrefix = regexp.MustCompile(`^(i|eni|subnet|rtb|vpc|igw|eipalloc|eipassoc)-`)

// awsFleetWorld is n copies of awsPairWorld in one region, each in its
// own VPC and address range: copy k has "-k" after every resource ID,
// 10.k.x.y for 10.0.x.y and 198.51.k.y for its public IPs.
func awsFleetWorld(t *testing.T, n int) ec2sim.World {
	t.Helper()
	out := ec2sim.World{Region: "us-east-1", VPCID: "vpc-1-0"}
	for k := range n {
		raw, err := json.Marshal(awsPairWorld())
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		raw, _ = json.Marshal(awsRename(v, k))
		var w ec2sim.World
		if err := json.Unmarshal(raw, &w); err != nil {
			t.Fatal(err)
		}
		out.Instances = append(out.Instances, w.Instances...)
		out.ENIs = append(out.ENIs, w.ENIs...)
		out.Subnets = append(out.Subnets, w.Subnets...)
		out.RouteTables = append(out.RouteTables, w.RouteTables...)
		out.Addresses = append(out.Addresses, w.Addresses...)
	}
	return out
}

func awsRename(v any, k int) any {
	switch x := v.(type) {
	case map[string]any:
		for key, val := range x {
			x[key] = awsRename(val, k)
		}
	case []any:
		for i := range x {
			x[i] = awsRename(x[i], k)
		}
	case string:
		switch {
		case awsIDPrefix.MatchString(x):
			return fmt.Sprintf("%s-%d", x, k)
		case strings.HasPrefix(x, "10.0."):
			return fmt.Sprintf("10.%d.%s", k, x[len("10.0."):])
		case strings.HasPrefix(x, "198.51.100."):
			return fmt.Sprintf("198.51.%d.%s", k, x[len("198.51.100."):])
		}
	}
	return v
}

// awsFleetTargets are the targets of the n pairs; every third pair names
// no instance IDs, so that its instances are discovered by management IP.
func awsFleetTargets(n int) []AWSTarget {
	out := make([]AWSTarget, n)
	for k := range out {
		t := AWSTarget{Pair: fmt.Sprintf("pair-%d", k)}
		for i, p := range awsPairTarget.Peers {
			ap := AWSPeer{Name: p.Name, MgmtIP: fmt.Sprintf("10.%d.0.1%d", k, i)}
			if k%3 != 2 {
				ap.InstanceID = fmt.Sprintf("%s-%d", p.InstanceID, k)
			}
			t.Peers = append(t.Peers, ap)
		}
		out[k] = t
	}
	return out
}

// awsFleetFaults break some pairs of an awsFleetWorld, each in a way that
// exercises a part of the poll that remembers the previous one.
var awsFleetFaults = []struct {
	name  string
	pair  int
	apply func(w *ec2sim.World, k int)
}{
	{"interface moved to the other peer", 1, func(w *ec2sim.World, k int) {
		awsEditENI(w, k, "eni-untrust", func(e *ec2sim.ENI) { e.InstanceID = fmt.Sprintf("i-fw2-%d", k) })
	}},
	{"interface left detached", 2, func(w *ec2sim.World, k int) {
		awsEditENI(w, k, "eni-trust", func(e *ec2sim.ENI) { e.InstanceID, e.Status, e.AttachmentStatus = "", "available", "" })
	}},
	{"elastic ip left behind", 3, func(w *ec2sim.World, k int) {
		for i := range w.Addresses {
			if w.Addresses[i].AllocationID == fmt.Sprintf("eipalloc-untrust-%d", k) {
				w.Addresses[i].ENI, w.Addresses[i].PrivateIP, w.Addresses[i].AssociationID = "", "", ""
			}
		}
	}},
	{"interface deleted, route blackholed", 4, func(w *ec2sim.World, k int) {
		id := fmt.Sprintf("eni-trust-%d", k)
		w.ENIs = slices.DeleteFunc(w.ENIs, func(e ec2sim.ENI) bool { return e.ID == id })
	}},
	{"instance stopped", 5, func(w *ec2sim.World, k int) {
		for i := range w.Instances {
			if w.Instances[i].ID == fmt.Sprintf("i-fw1-%d", k) {
				w.Instances[i].State = "stopped"
			}
		}
	}},
	{"discovered instance terminated", 8, func(w *ec2sim.World, k int) {
		for i := range w.Instances {
			if w.Instances[i].ID == fmt.Sprintf("i-fw2-%d", k) {
				w.Instances[i].State = "terminated"
			}
		}
	}},
}

func awsEditENI(w *ec2sim.World, k int, id string, f func(*ec2sim.ENI)) {
	for i := range w.ENIs {
		if w.ENIs[i].ID == fmt.Sprintf("%s-%d", id, k) {
			f(&w.ENIs[i])
		}
	}
}

// awsComparable is a status without its timestamps.
func awsComparable(st *AWSStatus) AWSStatus {
	c := *st
	c.Start, c.End = time.Time{}, time.Time{}
	return c
}

// A batch of pairs gets, pair by pair, the status each pair's own prober
// gets, poll after poll, through faults that the probers must remember;
// whether the batch filters on the pairs' IDs or, past EC2's limit on
// filter values, lists the region.
func TestAWSProbeAllMatchesProbe(t *testing.T) {
	for _, limit := range []int{awsMaxFilterValues, 4} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) { awsCompareBatch(t, limit) })
	}
}

func awsCompareBatch(t *testing.T, limit int) {
	const n = 10
	h := newAWSHarness(t, awsFleetWorld(t, n))
	h.prober.maxFilterValues = limit
	targets := awsFleetTargets(n)
	single := make([]*AWSProber, n)
	for k := range single {
		single[k] = NewAWSProber(h.client, "us-east-1", nil)
	}
	compare := func(step string) {
		t.Helper()
		batch := h.prober.ProbeAll(context.Background(), targets)
		for k, tg := range targets {
			alone := single[k].Probe(context.Background(), tg)
			if !reflect.DeepEqual(awsComparable(batch[k]), awsComparable(alone)) {
				t.Errorf("%s, %s:\nbatch %+v\nalone %+v", step, tg.Pair, *batch[k], *alone)
			}
		}
	}
	compare("healthy")
	h.backend.change(func(w *ec2sim.World) {
		for _, f := range awsFleetFaults {
			f.apply(w, f.pair)
		}
	})
	compare("faults")
	compare("faults, again")
	h.backend.change(func(w *ec2sim.World) { w.RouteTables = nil })
	compare("routes gone")

	// The faults show where they were made, and only there.
	st := h.prober.ProbeAll(context.Background(), targets)
	if e, _ := awsFindENI(st[2], "eni-trust-2"); e.AttachmentStatus != "detached" {
		t.Errorf("pair-2 eni-trust = %+v", e)
	}
	if e, _ := awsFindENI(st[1], "eni-untrust-1"); e.InstanceID != "i-fw2-1" {
		t.Errorf("pair-1 eni-untrust = %+v", e)
	}
	if got := awsAllocations(st[3]); !slices.Contains(got, "eipalloc-untrust-3@") {
		t.Errorf("pair-3 addresses = %v", got)
	}
	if got := awsAllocations(st[0]); !slices.Contains(got, "eipalloc-untrust-0@eni-untrust-0") {
		t.Errorf("pair-0 addresses = %v", got)
	}
}

// The calls of one batched poll do not grow with the pairs: each
// operation is called once, plus the pages of large replies.
func TestAWSProbeAllCallsOncePerOperation(t *testing.T) {
	for _, n := range []int{1, 20, 150} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			w := awsFleetWorld(t, n)
			h := newAWSHarness(t, w)
			targets := awsFleetTargets(n)
			before := h.prober.Calls()
			sts := h.prober.ProbeAll(context.Background(), targets)
			for k, st := range sts {
				if !st.OK() || len(st.Instances) != 2 || len(st.ENIs) != 6 {
					t.Fatalf("%s: errors %v, %d instances, ENIs %v", targets[k].Pair, st.Errors, len(st.Instances), awsENIIDs(st))
				}
			}
			first := awsDelta(before, h.prober.Calls())
			before = h.prober.Calls()
			h.prober.ProbeAll(context.Background(), targets)
			second := awsDelta(before, h.prober.Calls())

			// A listing of more than 200 values (EC2's limit) lists the
			// region instead, a thousand items a page; route tables come
			// a hundred a page.
			pages := func(values, matching, inRegion, size int) uint64 {
				items := matching
				if values > awsMaxFilterValues {
					items = inRegion
				}
				return uint64(max(1, (items+size-1)/size))
			}
			discovered := 2 * (n / 3) // management IPs to discover, first poll only
			instances := 2 * n
			tables := 3 * n // the pair VPC's route tables; vpc-2's is nobody's
			want := map[string]uint64{
				OpDescribeInstances:      pages(instances, instances, len(w.Instances), awsMaxPageSize),
				OpDescribeInstanceStatus: 1,
				OpDescribeSubnets:        pages(4*n, 4*n, len(w.Subnets), awsMaxPageSize),
				OpDescribeRouteTables:    uint64((tables + awsMaxRoutePageSize - 1) / awsMaxRoutePageSize),
				OpDescribeAddresses:      1,
				OpDescribeNetworkInterfaces: pages(instances, 6*n, len(w.ENIs), awsMaxPageSize) +
					min(1, uint64(discovered)),
			}
			if instances > awsMaxStatusIDs {
				want[OpDescribeInstanceStatus] = pages(instances, instances, len(w.Instances), awsMaxPageSize)
			}
			if !reflect.DeepEqual(first, want) {
				t.Errorf("first poll calls = %v, want %v", first, want)
			}
			// Subnets are cached and every instance is known by then.
			delete(want, OpDescribeSubnets)
			want[OpDescribeNetworkInterfaces] -= min(1, uint64(discovered))
			if !reflect.DeepEqual(second, want) {
				t.Errorf("second poll calls = %v, want %v", second, want)
			}
			t.Logf("%d pairs: first poll %v, second %v", n, first, second)
		})
	}
}

func awsDelta(before, after map[string]uint64) map[string]uint64 {
	out := map[string]uint64{}
	for op, n := range after {
		if d := n - before[op]; d > 0 {
			out[op] = d
		}
	}
	return out
}

// A throttled region makes every pair of the batch unknown with the same
// error, and the next poll after it recovers reads them all again.
func TestAWSProbeAllThrottled(t *testing.T) {
	const n = 12
	h := newAWSHarness(t, awsFleetWorld(t, n))
	targets := awsFleetTargets(n)
	h.prober.ProbeAll(context.Background(), targets)

	h.backend.change(func(w *ec2sim.World) { w.Faults.Throttle = true })
	before := h.prober.Calls()
	sts := h.prober.ProbeAll(context.Background(), targets)
	var text string
	for k, st := range sts {
		if st.OK() || !st.Throttled || len(st.Instances)+len(st.ENIs) != 0 {
			t.Fatalf("%s: throttled %v, errors %v", targets[k].Pair, st.Throttled, st.Errors)
		}
		var ce *AWSCallError
		if err := st.Errors[OpDescribeInstances]; !errors.As(err, &ce) || ce.Code != "RequestLimitExceeded" || ce.Pair != targets[k].Pair {
			t.Fatalf("%s: DescribeInstances error = %v", targets[k].Pair, err)
		}
		if msg := ce.Err.Error(); text == "" {
			text = msg
		} else if awsWithoutRequestID(msg) != awsWithoutRequestID(text) {
			t.Errorf("%s: error %q, another pair's %q", targets[k].Pair, msg, text)
		}
	}
	if d := awsDelta(before, h.prober.Calls()); d[OpDescribeInstances] != 1 {
		t.Errorf("throttled poll calls = %v, want one DescribeInstances for %d pairs", d, n)
	}

	h.backend.change(func(w *ec2sim.World) { w.Faults.Throttle = false })
	for k, st := range h.prober.ProbeAll(context.Background(), targets) {
		if !st.OK() || st.Throttled || len(st.Instances) != 2 || len(st.ENIs) != 6 {
			t.Errorf("%s after throttling: errors %v, %d instances, %d ENIs", targets[k].Pair, st.Errors, len(st.Instances), len(st.ENIs))
		}
	}
}

var awsRequestID = regexp.MustCompile(`RequestID: [^,]*,`)

func awsWithoutRequestID(s string) string { return awsRequestID.ReplaceAllString(s, "") }

package probe

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/hawatch/hawatch/sim/ec2sim"
)

func TestIAMCacheAsksOnlyWhenDue(t *testing.T) {
	h := newIAMHarness(t)
	c := NewIAMCache(h.prober, time.Hour)
	ctx := context.Background()
	check := func(step string, target IAMTarget, want [2]int) *IAMStatus {
		t.Helper()
		st := c.Check(ctx, target)
		if got := h.iamCalls(); got != want {
			t.Errorf("%s: calls (GetInstanceProfile, SimulatePrincipalPolicy) = %v, want %v", step, got, want)
		}
		return st
	}

	check("first", iamTarget(iamTestProfile, iamTestProfile), [2]int{1, 1})
	h.clock = h.clock.Add(59 * time.Minute)
	st := check("within the hour", iamTarget(iamTestProfile, iamTestProfile), [2]int{1, 1})
	if r := st.Peers["fw1"]; r.Actions["ec2:AttachNetworkInterface"] != Yes || r.Checked.IsZero() {
		t.Errorf("cached answer lost: %+v", r)
	}

	// fw2's instance gets another profile: only that one is asked about.
	h.backend.changeIAM(func(w *ec2sim.IAMWorld) {
		w.Profiles = append(w.Profiles, ec2sim.InstanceProfile{Name: "fw2", ID: "AIPA0A00000000000000B", Role: ec2sim.VMSeriesRoleName})
	})
	other := "arn:aws:iam::123456789012:instance-profile/fw2"
	st = check("profile changed", iamTarget(iamTestProfile, other), [2]int{2, 2})
	if r := st.Peers["fw2"]; r.ProfileARN != other || r.Actions["ec2:ReplaceRoute"] != Yes {
		t.Errorf("fw2 after change: %+v", r)
	}

	// The first answer is an hour old: asked again, the new one is not.
	h.clock = h.clock.Add(time.Minute)
	check("interval passed", iamTarget(iamTestProfile, other), [2]int{3, 3})
}

func TestIAMCacheRetriesFailures(t *testing.T) {
	h := newIAMHarness(t)
	c := NewIAMCache(h.prober, 0)
	if c.interval != DefaultIAMInterval {
		t.Errorf("interval %v, want the default", c.interval)
	}
	ctx := context.Background()
	h.backend.changeIAM(func(w *ec2sim.IAMWorld) { w.Faults.AccessDenied = []string{OpGetInstanceProfile} })
	if st := c.Check(ctx, iamTarget(iamTestProfile, iamTestProfile)); st.Errors[OpGetInstanceProfile] == nil {
		t.Fatalf("no error: %+v", st)
	}
	h.backend.changeIAM(func(w *ec2sim.IAMWorld) { w.Faults.AccessDenied = nil })
	st := c.Check(ctx, iamTarget(iamTestProfile, iamTestProfile))
	if !st.OK() || st.Peers["fw2"].Actions["ec2:DetachNetworkInterface"] != Yes {
		t.Fatalf("after the fault: %+v", st)
	}
	if got := h.iamCalls(); got != [2]int{2, 1} {
		t.Errorf("calls %v, want [2 1]: the failure retried at the next check", got)
	}
	// A peer losing its profile needs no call at all.
	st = c.Check(ctx, iamTarget(iamTestProfile, ""))
	if st.Peers["fw2"].Profile != No || h.iamCalls() != [2]int{2, 1} {
		t.Errorf("fw2 %+v, calls %v", st.Peers["fw2"], h.iamCalls())
	}
}

// Pairs sharing a profile, checked at once as a region's pairs are after
// a round, cost one question to IAM, and each gets the answer.
func TestIAMCacheAsksOnceForPairsCheckedTogether(t *testing.T) {
	h := newIAMHarness(t)
	slow := NewIAMProber(iamSlow{h.prober.api.api}, nil)
	c := NewIAMCache(slow, time.Hour)
	sts := make([]*IAMStatus, 8)
	var wg sync.WaitGroup
	for i := range sts {
		wg.Go(func() { sts[i] = c.Check(context.Background(), iamTarget(iamTestProfile, iamTestProfile)) })
	}
	wg.Wait()
	if got := h.iamCalls(); got != [2]int{1, 1} {
		t.Errorf("calls (GetInstanceProfile, SimulatePrincipalPolicy) = %v, want one each for 8 pairs", got)
	}
	for i, st := range sts {
		wantIAMActions(t, fmt.Sprint("check ", i, " fw2"), st.Peers["fw2"].Actions, Yes, Yes, Yes)
	}
}

// iamSlow answers GetInstanceProfile late, so that checks overlap.
type iamSlow struct{ IAMAPI }

func (s iamSlow) GetInstanceProfile(ctx context.Context, in *iam.GetInstanceProfileInput, optFns ...func(*iam.Options)) (*iam.GetInstanceProfileOutput, error) {
	time.Sleep(50 * time.Millisecond)
	return s.IAMAPI.GetInstanceProfile(ctx, in, optFns...)
}

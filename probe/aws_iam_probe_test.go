package probe

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/hawatch/hawatch/sim/ec2sim"
)

// iamTestBackend serves an EC2 and an IAM world the test may change.
type iamTestBackend struct {
	awsTestBackend
	imu sync.Mutex
	iam ec2sim.IAMWorld
}

func (b *iamTestBackend) IAM() ec2sim.IAMWorld {
	b.imu.Lock()
	defer b.imu.Unlock()
	w := b.iam
	w.Roles = append([]ec2sim.Role(nil), w.Roles...)
	return w
}

func (b *iamTestBackend) changeIAM(f func(w *ec2sim.IAMWorld)) {
	b.imu.Lock()
	defer b.imu.Unlock()
	f(&b.iam)
}

func iamTestClientOptions(o *iam.Options) {
	o.Credentials = credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")
	o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
		so.MaxAttempts = 2
		so.Backoff = awsNoBackoff{}
		so.RateLimiter = ratelimit.None
	})
}

// iamHarness is an IAM prober wired through the real SDK client to the
// simulator over real HTTP.
type iamHarness struct {
	backend *iamTestBackend
	sim     *ec2sim.Handler
	prober  *IAMProber
	clock   time.Time
	// ec2 polls the same simulator through the EC2 client.
	ec2 *awsHarness
}

func newIAMHarness(t *testing.T) *iamHarness {
	t.Helper()
	awsTestEnv(t)
	b := &iamTestBackend{awsTestBackend: awsTestBackend{w: awsPairWorld()}, iam: ec2sim.VMSeriesIAM("i-fw1", "i-fw2")}
	h := ec2sim.NewHandler(b, nil)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	// The pair's region is not IAM's: the client must still sign for
	// us-east-1, which the simulator checks.
	c, err := NewIAMClient(context.Background(), "eu-west-1", srv.URL, nil, iamTestClientOptions)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := NewEC2Client(context.Background(), "us-east-1", srv.URL, nil, awsTestClientOptions)
	if err != nil {
		t.Fatal(err)
	}
	ih := &iamHarness{backend: b, sim: h, prober: NewIAMProber(c, nil), clock: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		ec2: &awsHarness{backend: &b.awsTestBackend, sim: h, prober: NewAWSProber(ec, "us-east-1", nil), client: ec}}
	ih.prober.now = func() time.Time { return ih.clock }
	return ih
}

// iamCalls is the IAM calls the simulator saw, by action.
func (h *iamHarness) iamCalls() [2]int {
	c := h.sim.Calls()
	return [2]int{c["iam:GetInstanceProfile"], c["iam:SimulatePrincipalPolicy"]}
}

const (
	iamTestProfile = "arn:aws:iam::123456789012:instance-profile/vmseries-ha"
	iamTestRole    = "arn:aws:iam::123456789012:role/vmseries-ha-role"
)

var iamTestActions = []string{"ec2:AttachNetworkInterface", "ec2:DetachNetworkInterface", "ec2:ReplaceRoute"}

func iamTarget(fw1, fw2 string) IAMTarget {
	return IAMTarget{Pair: "edge", Profiles: map[string]string{"fw1": fw1, "fw2": fw2}, Actions: iamTestActions}
}

func wantIAMActions(t *testing.T, peer string, got map[string]Tri, want ...Tri) {
	t.Helper()
	if len(got) != len(iamTestActions) {
		t.Errorf("%s: actions %v, want exactly %v", peer, got, iamTestActions)
	}
	for i, a := range iamTestActions {
		if got[a] != want[i] {
			t.Errorf("%s: %s = %v, want %v", peer, a, got[a], want[i])
		}
	}
}

func TestIAMProbeAllowed(t *testing.T) {
	h := newIAMHarness(t)
	st := h.prober.Probe(context.Background(), iamTarget(iamTestProfile, iamTestProfile))
	if !st.OK() || st.Throttled {
		t.Fatalf("errors %v", st.Errors)
	}
	for _, peer := range []string{"fw1", "fw2"} {
		r := st.Peers[peer]
		if r.Profile != Yes || r.ProfileARN != iamTestProfile || r.RoleARN != iamTestRole || r.Err != nil {
			t.Errorf("%s: %+v", peer, r)
		}
		wantIAMActions(t, peer, r.Actions, Yes, Yes, Yes)
	}
	// Both peers share the profile: asked once.
	if got := h.iamCalls(); got != [2]int{1, 1} {
		t.Errorf("calls (GetInstanceProfile, SimulatePrincipalPolicy) = %v, want [1 1]", got)
	}
}

func TestIAMProbeDeniedActions(t *testing.T) {
	h := newIAMHarness(t)
	h.backend.changeIAM(func(w *ec2sim.IAMWorld) {
		r := &w.Roles[0]
		r.Allow = []string{"ec2:Describe*", "ec2:DetachNetworkInterface", "ec2:ReplaceRoute"} // no Attach
		r.Deny = []string{"ec2:ReplaceRoute"}
	})
	st := h.prober.Probe(context.Background(), iamTarget(iamTestProfile, iamTestProfile))
	if !st.OK() {
		t.Fatal(st.Errors)
	}
	// Attach is implicitly denied, ReplaceRoute explicitly.
	wantIAMActions(t, "fw1", st.Peers["fw1"].Actions, No, Yes, No)
}

func TestIAMProbeNoInstanceProfile(t *testing.T) {
	h := newIAMHarness(t)
	st := h.prober.Probe(context.Background(), iamTarget(iamTestProfile, ""))
	r := st.Peers["fw2"]
	if r.Profile != No || r.ProfileARN != "" || r.RoleARN != "" {
		t.Errorf("fw2: %+v", r)
	}
	wantIAMActions(t, "fw2", r.Actions, No, No, No)
	wantIAMActions(t, "fw1", st.Peers["fw1"].Actions, Yes, Yes, Yes)
	if _, ok := st.Peers["fw3"]; ok || len(st.Peers) != 2 {
		t.Errorf("peers %v", st.Peers)
	}
}

func TestIAMProbeProfileWithoutRoleOrGone(t *testing.T) {
	h := newIAMHarness(t)
	h.backend.changeIAM(func(w *ec2sim.IAMWorld) {
		w.Profiles = append(w.Profiles, ec2sim.InstanceProfile{Name: "empty", ID: "AIPA0A0000000000000EE"})
	})
	gone := "arn:aws:iam::123456789012:instance-profile/ops/deleted"
	st := h.prober.Probe(context.Background(), iamTarget("arn:aws:iam::123456789012:instance-profile/empty", gone))
	if r := st.Peers["fw1"]; r.Profile != Yes || !errors.Is(r.Err, ErrNoRole) {
		t.Errorf("fw1: %+v", r)
	}
	wantIAMActions(t, "fw1", st.Peers["fw1"].Actions, No, No, No)
	// IAM says the profile does not exist: the instance has no
	// credentials, which is an answer, not an unknown.
	var e *IAMCallError
	if r := st.Peers["fw2"]; !errors.As(r.Err, &e) || e.Code != "NoSuchEntity" {
		t.Errorf("fw2: %+v", r)
	}
	wantIAMActions(t, "fw2", st.Peers["fw2"].Actions, No, No, No)
}

func TestIAMProbeAccessDenied(t *testing.T) {
	h := newIAMHarness(t)
	h.backend.changeIAM(func(w *ec2sim.IAMWorld) { w.Faults.AccessDenied = []string{OpSimulatePrincipalPolicy} })
	st := h.prober.Probe(context.Background(), iamTarget(iamTestProfile, iamTestProfile))
	for _, peer := range []string{"fw1", "fw2"} {
		r := st.Peers[peer]
		wantIAMActions(t, peer, r.Actions, Unknown, Unknown, Unknown)
		if r.Profile != Yes || r.RoleARN != iamTestRole || r.Err == nil {
			t.Errorf("%s: %+v", peer, r)
		}
	}
	err := st.Errors[OpSimulatePrincipalPolicy]
	var e *IAMCallError
	if !errors.As(err, &e) || e.Code != "AccessDenied" || e.Throttled || len(st.Errors) != 1 {
		t.Fatalf("errors %v", st.Errors)
	}
	msg := err.Error()
	for _, want := range []string{"iam SimulatePrincipalPolicy", "pair edge", "AccessDenied"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	for _, secret := range []string{"AKIDTEST", "secret"} {
		if strings.Contains(msg, secret) {
			t.Errorf("error %q leaks %q", msg, secret)
		}
	}
	if f := h.prober.Failures(); f[OpSimulatePrincipalPolicy] != 1 || f[OpGetInstanceProfile] != 0 {
		t.Errorf("failures %v", f)
	}
}

func TestIAMProbeThrottled(t *testing.T) {
	h := newIAMHarness(t)
	h.backend.changeIAM(func(w *ec2sim.IAMWorld) { w.Faults.Throttle = true })
	st := h.prober.Probe(context.Background(), iamTarget(iamTestProfile, iamTestProfile))
	if !st.Throttled {
		t.Error("not marked throttled")
	}
	var e *IAMCallError
	if !errors.As(st.Errors[OpGetInstanceProfile], &e) || e.Code != "Throttling" || !e.Throttled {
		t.Fatalf("errors %v", st.Errors)
	}
	r := st.Peers["fw1"]
	if r.Profile != Yes || r.RoleARN != "" || r.Checked != (time.Time{}) {
		t.Errorf("fw1: %+v", r)
	}
	wantIAMActions(t, "fw1", r.Actions, Unknown, Unknown, Unknown)
	// The SDK retried once (two attempts), then gave up.
	if got := h.iamCalls(); got != [2]int{2, 0} {
		t.Errorf("calls %v, want [2 0]", got)
	}
}

func TestIAMProbeRejectsBadProfileARN(t *testing.T) {
	h := newIAMHarness(t)
	st := h.prober.Probe(context.Background(), iamTarget("arn:aws:iam::123456789012:role/not-a-profile", iamTestProfile))
	if r := st.Peers["fw1"]; r.Err == nil || !strings.Contains(r.Err.Error(), "pair edge") {
		t.Errorf("fw1: %+v", r)
	}
	wantIAMActions(t, "fw1", st.Peers["fw1"].Actions, Unknown, Unknown, Unknown)
	if got := h.iamCalls(); got != [2]int{1, 1} {
		t.Errorf("calls %v: only fw2's profile should be asked about", got)
	}
}

// TestVMSeriesHAActions checks the lists against each other and the
// simulator's role: auto is the sorted union of both modes.
func TestVMSeriesHAActions(t *testing.T) {
	union := append(VMSeriesHAActions(AWSModeInterfaceMove), VMSeriesHAActions(AWSModeSecondaryIP)...)
	slices.Sort(union)
	union = slices.Compact(union)
	if got := VMSeriesHAActions(AWSModeAuto); !slices.Equal(got, union) || !slices.Equal(got, ec2sim.VMSeriesHAActions) {
		t.Errorf("auto %v, union %v, simulator %v", got, union, ec2sim.VMSeriesHAActions)
	}
	for _, mode := range []string{AWSModeInterfaceMove, AWSModeSecondaryIP} {
		if a := VMSeriesHAActions(mode); !slices.IsSorted(a) || len(a) < 4 {
			t.Errorf("%s: %v", mode, a)
		}
	}
	// Callers may change what they get.
	VMSeriesHAActions(AWSModeInterfaceMove)[0] = "x"
	if VMSeriesHAActions(AWSModeInterfaceMove)[0] != "ec2:AttachNetworkInterface" {
		t.Error("VMSeriesHAActions returns shared state")
	}
}

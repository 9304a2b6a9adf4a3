package probe

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hawatch/hawatch/sim/ec2sim"
)

// awsPolicy is the part of an IAM policy document the test reads.
type awsPolicy struct {
	Version   string
	Statement []struct {
		Sid    string
		Effect string
		Action []string
		// Resource is "*" or a list of ARN patterns.
		Resource json.RawMessage
	}
}

func readAWSPolicy(t *testing.T) awsPolicy {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "deploy", "aws", "iam-policy.json"))
	if err != nil {
		t.Fatal(err)
	}
	var p awsPolicy
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("iam-policy.json: %v", err)
	}
	return p
}

// policyActions checks a statement's effect, resources and action prefix
// and returns its actions as the simulator records them: EC2 ones bare,
// IAM ones as "iam:Name".
func policyActions(t *testing.T, i int, p awsPolicy, service string, resources ...string) []string {
	t.Helper()
	s := p.Statement[i]
	var got []string
	var one string
	if err := json.Unmarshal(s.Resource, &one); err == nil {
		got = []string{one}
	} else if err := json.Unmarshal(s.Resource, &got); err != nil {
		t.Errorf("statement %s: resource %s: %v", s.Sid, s.Resource, err)
	}
	if s.Effect != "Allow" || !slices.Equal(got, resources) {
		t.Errorf("statement %s: effect %s on %q, want Allow on %q", s.Sid, s.Effect, got, resources)
	}
	var out []string
	for _, a := range s.Action {
		name, ok := strings.CutPrefix(a, service+":")
		if !ok || strings.ContainsAny(name, "*?") {
			t.Errorf("action %q is not one exact %s action", a, service)
		}
		if service == "ec2" {
			if !strings.HasPrefix(name, "Describe") {
				t.Errorf("action %q does not only read", a)
			}
			a = name
		}
		out = append(out, a)
	}
	return out
}

// TestIAMPolicyIsLeastPrivilege runs the real EC2 probe and IAM check
// through the real SDK clients against the simulator and checks that the
// policy allows exactly the actions they called: read-only EC2 anywhere,
// and the two IAM reads on instance profiles and roles only.
func TestIAMPolicyIsLeastPrivilege(t *testing.T) {
	p := readAWSPolicy(t)
	if p.Version != "2012-10-17" || len(p.Statement) != 2 {
		t.Fatalf("policy = %+v", p)
	}
	allowed := policyActions(t, 0, p, "ec2", "*")
	allowed = append(allowed, policyActions(t, 1, p, "iam",
		"arn:aws:iam::*:instance-profile/*", "arn:aws:iam::*:role/*")...)
	slices.Sort(allowed)

	ih := newIAMHarness(t)
	h := ih.ec2
	// Discovery, a normal poll, and a poll after a failover left an ENI
	// and an Elastic IP behind: every path the probe has.
	target := AWSTarget{Pair: "edge", Peers: []AWSPeer{{Name: "fw1", MgmtIP: "10.0.0.10"}, {Name: "fw2", InstanceID: "i-fw2"}}}
	h.poll(t, target)
	h.backend.change(func(w *ec2sim.World) {
		w.ENIs[5].InstanceID, w.ENIs[5].Status = "", "available"
		w.Addresses[1].ENI, w.Addresses[1].PrivateIP = "", ""
	})
	if st, _ := h.poll(t, target); !st.OK() {
		t.Fatal(st.Errors)
	}
	if st := ih.prober.Probe(context.Background(), iamTarget(iamTestProfile, iamTestProfile)); !st.OK() {
		t.Fatal(st.Errors)
	}

	called := h.sim.Actions()
	if !slices.Equal(called, allowed) {
		t.Errorf("probes called %v, policy allows %v", called, allowed)
	}
	var ops []string
	ops = append(ops, AWSOperations()...)
	for _, op := range IAMOperations() {
		ops = append(ops, "iam:"+op)
	}
	slices.Sort(ops)
	if !slices.Equal(ops, allowed) {
		t.Errorf("AWSOperations() and IAMOperations() = %v, policy allows %v", ops, allowed)
	}
}

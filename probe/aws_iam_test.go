package probe

import (
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
		Sid      string
		Effect   string
		Action   []string
		Resource string
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

// TestIAMPolicyIsLeastPrivilege runs the real probe through the real SDK
// client against the simulator and checks that the policy allows exactly
// the EC2 actions the probe called.
func TestIAMPolicyIsLeastPrivilege(t *testing.T) {
	p := readAWSPolicy(t)
	if p.Version != "2012-10-17" || len(p.Statement) != 1 {
		t.Fatalf("policy = %+v", p)
	}
	var allowed []string
	for _, s := range p.Statement {
		if s.Effect != "Allow" || s.Resource != "*" {
			t.Errorf("statement %+v: want Allow on *", s)
		}
		for _, a := range s.Action {
			name, ok := strings.CutPrefix(a, "ec2:")
			if !ok || !strings.HasPrefix(name, "Describe") || strings.ContainsAny(name, "*?") {
				t.Errorf("action %q is not one exact ec2:Describe action", a)
			}
			allowed = append(allowed, name)
		}
	}
	slices.Sort(allowed)

	h := newAWSHarness(t, awsPairWorld())
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

	called := h.sim.Actions()
	if !slices.Equal(called, allowed) {
		t.Errorf("probe called %v, policy allows %v", called, allowed)
	}
	if !slices.Equal(AWSOperations(), allowed) {
		t.Errorf("AWSOperations() = %v, policy allows %v", AWSOperations(), allowed)
	}
}

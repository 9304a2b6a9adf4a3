package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim"
)

// TestCheckTargetVersion runs `hawatch check --target-version` against the
// simulator, whose peers both run sim.DefaultVersion (10.1.9): the next
// feature release passes with its path printed; a jump that one firewall
// may take alone but that would leave the HA peers three feature releases
// apart fails; a version that is not one is a usage error.
func TestCheckTargetVersion(t *testing.T) {
	s := startSim(t, sim.Options{WorldOptions: sim.WorldOptions{InitialHold: time.Second}})
	env := simEnv(s)
	if v := s.World().Version(sim.PeerA); v != "10.1.9" {
		t.Fatalf("simulator peers run %s; this test is written for 10.1.9", v)
	}

	// The passive peer, upgraded first, has the images: the readiness
	// check target-image passes, and the verdict is upgrade-path's.
	s.World().DownloadImage(sim.PeerB, "10.2.0")
	s.World().DownloadImage(sim.PeerB, "10.2.4-h2")
	code, out := runCheck(t, env, "--target-version", "10.2.4-h2")
	if code != 0 {
		t.Errorf("--target-version 10.2.4-h2: exit %d, want 0\n%s", code, out)
	}
	line := checkLine(out, "upgrade-path")
	if !strings.HasPrefix(line, "PASS") || !strings.Contains(line, "both peers: 10.1.9 → 10.2.0 base (download only) → 10.2.4-h2") {
		t.Errorf("--target-version 10.2.4-h2: upgrade-path line %q, want PASS with the path\n%s", line, out)
	}

	code, out = runCheck(t, env, "--target-version", "11.1.2-h3")
	if code != 1 {
		t.Errorf("--target-version 11.1.2-h3: exit %d, want 1\n%s", code, out)
	}
	line = checkLine(out, "upgrade-path")
	if !strings.HasPrefix(line, "FAIL") || !strings.Contains(line, "3 feature releases apart") ||
		!strings.Contains(line, "10.1.9 → 10.2.0 base (download only) → 10.2.x → 11.0.0 base (download only) → 11.0.x") {
		t.Errorf("--target-version 11.1.2-h3: upgrade-path line %q, want FAIL with the gap and the stepwise path\n%s", line, out)
	}

	if code, out = runCheck(t, env, "--target-version", "11.1"); code != 2 {
		t.Errorf("--target-version 11.1: exit %d, want 2 (usage)\n%s", code, out)
	}
}

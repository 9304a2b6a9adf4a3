package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sethvargo/go-envconfig"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/sim"
	"github.com/hawatch/hawatch/statesnap"
	"github.com/hawatch/hawatch/web"
)

// getJSON fetches url into v and returns the status.
func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url) //nolint:gosec // loopback test URL
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK && v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v\n%s", url, err, b)
		}
	}
	return resp.StatusCode
}

func waitUntil(t *testing.T, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		if err = f(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s: %v", what, err)
}

// TestStateSnapshotsAroundFailover runs the daemon on the simulator, fails
// the pair over, and reads the before and after snapshots through the API
// and the timeline.
func TestStateSnapshotsAroundFailover(t *testing.T) {
	s, err := sim.Start(context.Background(), sim.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dataDir := t.TempDir()
	cfg, err := config.Load(envconfig.MapLookuper(map[string]string{
		"HAWATCH_PAIR": "edge", "HAWATCH_PEER_A": s.PeerAddr(0), "HAWATCH_PEER_A_NAME": "fw-a",
		"HAWATCH_PEER_B": s.PeerAddr(1), "HAWATCH_PEER_B_NAME": "fw-b",
		"HAWATCH_PANOS_API_KEY": s.APIKey(), "HAWATCH_PANOS_CA_FILE": s.CAFile(),
		"HAWATCH_POLL_INTERVAL": "300ms", "HAWATCH_POLL_TIMEOUT": "250ms", "HAWATCH_DATA_DIR": dataDir,
	}))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	d, err := New(Options{Config: cfg, Listener: ln, StateSnapshots: StateSnapshotOptions{Interval: 200 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() { cancel(); <-done }()

	// Let a rolling snapshot be taken with the pair healthy, then fail over.
	waitUntil(t, "ready", func() error {
		if getJSON(t, url+"/-/ready", nil) != http.StatusOK {
			return fmt.Errorf("not ready")
		}
		return nil
	})
	waitUntil(t, "a rolling snapshot", func() error {
		if d.recorder.Latest("edge") == nil {
			return fmt.Errorf("none yet")
		}
		return nil
	})
	s.World().Failover()

	var list web.SnapshotsResponse
	waitUntil(t, "before and after snapshots", func() error {
		if code := getJSON(t, url+"/api/v1/snapshots?pair=edge", &list); code != http.StatusOK || len(list.Snapshots) < 2 {
			return fmt.Errorf("%d: %+v", code, list)
		}
		return nil
	})
	byTrigger := map[string]statesnap.Info{}
	for _, in := range list.Snapshots {
		byTrigger[in.Trigger] = in
	}
	before, after := byTrigger[statesnap.TriggerBefore], byTrigger[statesnap.TriggerAfter]
	if !strings.HasSuffix(before.Name, "-before") || !strings.HasSuffix(after.Name, "-after") ||
		before.Event == nil || before.Event.Kind != journal.KindFailover {
		t.Fatalf("snapshots %+v", list.Snapshots)
	}
	var b, a statesnap.Snapshot
	if getJSON(t, url+"/api/v1/snapshots/"+before.Name, &b) != http.StatusOK || getJSON(t, url+"/api/v1/snapshots/"+after.Name, &a) != http.StatusOK {
		t.Fatal("cannot fetch the snapshots by name")
	}
	if b.HA.Active != "fw-a" || a.HA.Active != "fw-b" || len(b.Peers[0].Routes) == 0 || len(a.Peers[1].ARP) == 0 {
		t.Errorf("before active %q with %d routes, after active %q with %d ARP entries on fw-b",
			b.HA.Active, len(b.Peers[0].Routes), a.HA.Active, len(a.Peers[1].ARP))
	}
	// Stored on disk as hawatch snapshot diff reads them.
	if _, err := os.Stat(filepath.Join(dataDir, "snapshots", after.Name+".json")); err != nil {
		t.Error(err)
	}
	// The timeline links them.
	var events web.EventsResponse
	getJSON(t, url+"/api/v1/events?pair=edge", &events)
	linked := map[string]bool{}
	for _, e := range events.Events {
		if e.Kind == journal.KindSnapshot {
			linked[e.Subject] = true
		}
	}
	if !linked[before.Name] || !linked[after.Name] {
		t.Errorf("timeline links %v, want %s and %s", linked, before.Name, after.Name)
	}
	if code := getJSON(t, url+"/api/v1/snapshots/no-such-snapshot", nil); code != http.StatusNotFound {
		t.Errorf("missing snapshot: %d, want 404", code)
	}
	if code := getJSON(t, url+"/api/v1/snapshots/.hidden", nil); code != http.StatusBadRequest {
		t.Errorf("bad name: %d, want 400", code)
	}
}

package statesnap

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestStoreRoundTrip(t *testing.T) {
	st := Store{Dir: filepath.Join(t.TempDir(), "snapshots")}
	s := base("pre-upgrade")
	s.Peers[1].Unknown = map[string]string{PartARP: "command refused"}
	s.Peers[1].ARP = nil
	if err := st.Save(s); err != nil {
		t.Fatal(err)
	}
	got, err := st.Get("pre-upgrade")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Errorf("round trip changed the snapshot:\n got %+v\nwant %+v", got, s)
	}
	// The unknown part survives as unknown, so a diff still says so.
	if ok, _ := got.Peers[1].known(PartARP); ok {
		t.Error("ARP of fw-b known after the round trip")
	}
	later := base("post-upgrade")
	later.TakenAt = s.TakenAt.Add(time.Hour)
	if err := st.Save(later); err != nil {
		t.Fatal(err)
	}
	infos, bad, err := st.List()
	if err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	if len(infos) != 2 || infos[0].Name != "post-upgrade" || infos[1].Name != "pre-upgrade" {
		t.Errorf("list = %+v, want newest first", infos)
	}
	// No temporary file is left behind by the atomic write.
	ents, _ := os.ReadDir(st.Dir)
	if len(ents) != 2 {
		t.Errorf("directory holds %d files, want 2", len(ents))
	}
}

func TestReadFileRefusesBadFiles(t *testing.T) {
	good, err := Marshal(base("x"))
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"empty":        "",
		"truncated":    string(good[:len(good)/2]),
		"not json":     "<response/>",
		"no version":   `{"name":"x","pair":"edge","taken_at":"2026-03-04T09:00:00Z","peers":[{"name":"fw-a"}]}`,
		"newer schema": `{"schema_version":99,"name":"x","pair":"edge","taken_at":"2026-03-04T09:00:00Z","peers":[{"name":"fw-a"}]}`,
		"no peers":     `{"schema_version":1,"name":"x","pair":"edge","taken_at":"2026-03-04T09:00:00Z","peers":[]}`,
		"no pair":      `{"schema_version":1,"name":"x","taken_at":"2026-03-04T09:00:00Z","peers":[{"name":"fw-a"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.json")
			if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := ReadFile(path)
			if !errors.Is(err, ErrBadFile) || !strings.Contains(err.Error(), path) {
				t.Errorf("err = %v, want ErrBadFile naming %s", err, path)
			}
		})
	}
}

func TestStoreNames(t *testing.T) {
	st := Store{Dir: t.TempDir()}
	for _, bad := range []string{"", "../etc/passwd", ".hidden", "a/b", strings.Repeat("x", 129)} {
		if err := st.Save(&Snapshot{Name: bad}); err == nil {
			t.Errorf("name %q accepted", bad)
		}
	}
	if _, err := st.Get("missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing snapshot: err = %v", err)
	}
}

package journal

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzReadFile checks that a journal file of any content reads back as the
// events it holds, never a panic: bad records are skipped and counted as
// dirty, and every event read has a time and a pair.
func FuzzReadFile(f *testing.F) {
	good := `{"time":"2026-01-02T03:04:05Z","pair":"edge","kind":"failover","before":"fw-a","after":"fw-b","message":"Failover."}` + "\n"
	f.Add([]byte(good))
	f.Add([]byte(good + `{"time":"2026-01-02T03:04:06Z","pair":"edge","kind":"traffic"`))
	f.Add([]byte("\x00\xff{}\n[]\nnull\n"))
	dir := f.TempDir()
	log := slog.New(slog.DiscardHandler)
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "events.jsonl")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		ld, err := readFile(path, log)
		if err != nil {
			t.Fatalf("a readable file must not fail: %v", err)
		}
		for _, e := range ld.events {
			if e.Time.Equal(time.Time{}) || e.Pair == "" {
				t.Fatalf("event without time or pair: %+v", e)
			}
		}
	})
}

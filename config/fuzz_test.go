package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadFile checks that any file content gives a configuration or an
// error, never a panic, and that an accepted configuration has pairs that
// validate.
func FuzzLoadFile(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "hawatch.yml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadFile(path, nil)
		if err != nil {
			if cfg != nil {
				t.Fatalf("config %+v with error %v", cfg, err)
			}
			return
		}
		if len(cfg.Pairs) == 0 {
			t.Fatal("accepted a file without pairs")
		}
	})
}

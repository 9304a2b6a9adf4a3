package statesnap

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// ErrBadFile is wrapped by every error about a snapshot file that exists
// but cannot be used: not JSON, cut short, of a newer schema, incomplete.
var ErrBadFile = errors.New("bad snapshot file")

// ErrNotFound is wrapped when no snapshot has the name asked for.
var ErrNotFound = errors.New("no such snapshot")

// validName is what a snapshot name may be: it becomes a file name.
var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// CheckName returns an error unless name can name a snapshot.
func CheckName(name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("snapshot name %q: want letters, digits, '.', '_' or '-', at most 128, not starting with a symbol", name)
	}
	return nil
}

// Marshal encodes a snapshot as indented JSON.
func Marshal(s *Snapshot) ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode snapshot %s: %w", s.Name, err)
	}
	return append(b, '\n'), nil
}

// Unmarshal decodes and checks a snapshot; what names it in errors.
func Unmarshal(b []byte, what string) (*Snapshot, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fmt.Errorf("%s: %w: empty", what, ErrBadFile)
	}
	var s Snapshot
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", what, ErrBadFile, err)
	}
	switch {
	case s.SchemaVersion == 0:
		return nil, fmt.Errorf("%s: %w: no schema_version", what, ErrBadFile)
	case s.SchemaVersion > SchemaVersion:
		return nil, fmt.Errorf("%s: %w: schema_version %d is newer than this hawatch reads (%d)", what, ErrBadFile, s.SchemaVersion, SchemaVersion)
	case s.Pair == "":
		return nil, fmt.Errorf("%s: %w: no pair", what, ErrBadFile)
	case len(s.Peers) == 0:
		return nil, fmt.Errorf("%s: %w: no peers", what, ErrBadFile)
	case s.TakenAt.IsZero():
		return nil, fmt.Errorf("%s: %w: no taken_at", what, ErrBadFile)
	}
	return &s, nil
}

// WriteFile writes s to path atomically: a reader sees the old file or
// the whole new one, never a part, even if hawatch dies while writing.
func WriteFile(path string, s *Snapshot) error {
	b, err := Marshal(s)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write snapshot %s: %w", s.Name, err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // a no-op after the rename
	if _, err := tmp.Write(b); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write snapshot %s: %w", s.Name, err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write snapshot %s: %w", s.Name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write snapshot %s: %w", s.Name, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write snapshot %s: %w", s.Name, err)
	}
	return nil
}

// ReadFile reads and checks the snapshot at path.
func ReadFile(path string) (*Snapshot, error) {
	b, err := os.ReadFile(path) //nolint:gosec // the operator names the file
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	return Unmarshal(b, "snapshot "+path)
}

// Info describes a stored snapshot without its state.
type Info struct {
	Name    string    `json:"name"`
	Pair    string    `json:"pair"`
	TakenAt time.Time `json:"taken_at"`
	Trigger string    `json:"trigger"`
	Event   *EventRef `json:"event,omitempty"`
}

// InfoOf returns the description of s.
func InfoOf(s *Snapshot) Info {
	return Info{Name: s.Name, Pair: s.Pair, TakenAt: s.TakenAt, Trigger: s.Trigger, Event: s.Event}
}

// Store keeps snapshots as NAME.json in a directory.
type Store struct {
	Dir string
}

// DirIn returns the snapshot directory under a data directory.
func DirIn(dataDir string) string { return filepath.Join(dataDir, "snapshots") }

// Path returns the file a named snapshot is stored in.
func (st Store) Path(name string) string { return filepath.Join(st.Dir, name+".json") }

// Save stores s under its name, replacing a snapshot of that name.
func (st Store) Save(s *Snapshot) error {
	if err := CheckName(s.Name); err != nil {
		return err
	}
	if err := os.MkdirAll(st.Dir, 0o750); err != nil {
		return fmt.Errorf("snapshot directory: %w", err)
	}
	return WriteFile(st.Path(s.Name), s)
}

// Get loads the named snapshot.
func (st Store) Get(name string) (*Snapshot, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	s, err := ReadFile(st.Path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("snapshot %s: %w in %s", name, ErrNotFound, st.Dir)
	}
	return s, err
}

// List describes every readable snapshot, newest first; files that do not
// read are skipped and returned in bad.
func (st Store) List() (infos []Info, bad []error, err error) {
	ents, err := os.ReadDir(st.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("snapshot directory: %w", err)
	}
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() || CheckName(name) != nil {
			continue
		}
		s, err := st.Get(name)
		if err != nil {
			bad = append(bad, err)
			continue
		}
		infos = append(infos, InfoOf(s))
	}
	SortNewest(infos)
	return infos, bad, nil
}

// SortNewest orders infos newest first, then by name.
func SortNewest(infos []Info) {
	slices.SortFunc(infos, func(a, b Info) int {
		return cmp.Or(b.TakenAt.Compare(a.TakenAt), cmp.Compare(a.Name, b.Name))
	})
}

// Remove deletes the named snapshot.
func (st Store) Remove(name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	if err := os.Remove(st.Path(name)); err != nil {
		return fmt.Errorf("remove snapshot %s: %w", name, err)
	}
	return nil
}

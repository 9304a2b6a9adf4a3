// Package maintenance keeps the maintenance windows operators announce for
// HA pairs: while a pair is in one, the alerts of the steps a maintenance
// expects (a peer suspended, rebooted, upgraded, a failover) are held back
// and the incident's alerts still page. A window ends by itself at its end
// time, and survives a restart of hawatch in its data directory.
package maintenance

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// FileName is the name of the windows file in hawatch's data directory.
const FileName = "maintenance.json"

// MaxDuration bounds a window: maintenance forgotten for longer would
// hold back warnings for good.
const MaxDuration = 7 * 24 * time.Hour

// MaxReason bounds the reason's length, which ends up in alerts.
const MaxReason = 200

// Window is one pair's announced maintenance.
type Window struct {
	Pair   string    `json:"pair"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Reason string    `json:"reason,omitempty"`
	// Source is SourceAPI or SourceConfig.
	Source string `json:"source"`
}

// Sources of a window.
const (
	// SourceAPI: started with hawatch maintenance start (the HTTP API),
	// kept in the data directory.
	SourceAPI = "api"
	// SourceConfig: the pair's maintenance annotation in the
	// configuration file, which is where it is kept and ended.
	SourceConfig = "config"
)

// ActiveAt reports whether the window covers t.
func (w Window) ActiveAt(t time.Time) bool { return !t.Before(w.Start) && t.Before(w.End) }

// Errors of Start.
var (
	ErrNoPair      = errors.New("no pair named")
	ErrBadDuration = fmt.Errorf("the duration must be positive and at most %v", MaxDuration)
	ErrLongReason  = fmt.Errorf("the reason is longer than %d characters", MaxReason)
)

// Store keeps the windows of every pair, one per pair, in memory and, when
// it has a directory, in a JSON file rewritten atomically on each change.
// It is safe for concurrent use.
type Store struct {
	path string // "" in memory only

	mu      sync.Mutex
	windows map[string]Window
	// configured are the windows of the configuration file, replaced on
	// each (re)load; ended remembers those whose end was reported.
	configured map[string]Window
	ended      map[Window]bool
}

// Open returns the store kept in dir, reading back the windows it holds;
// with dir empty the store lives in memory only. Windows that ended are
// dropped when read.
func Open(dir string, now time.Time) (*Store, error) {
	s := &Store{windows: map[string]Window{}, configured: map[string]Window{}, ended: map[Window]bool{}}
	if dir == "" {
		return s, nil
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("maintenance store %s: %w", dir, err)
	}
	s.path = filepath.Join(dir, FileName)
	b, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("maintenance store: %w", err)
	}
	var ws []Window
	if err := json.Unmarshal(b, &ws); err != nil {
		return nil, fmt.Errorf("maintenance store %s: %w", s.path, err)
	}
	for _, w := range ws {
		if w.Pair != "" && now.Before(w.End) {
			s.windows[w.Pair] = w
		}
	}
	return s, nil
}

// Start announces maintenance of pair from now for d, replacing any
// window the pair had, and returns the window.
func (s *Store) Start(pair string, now time.Time, d time.Duration, reason string) (Window, error) {
	pair, reason = strings.TrimSpace(pair), strings.TrimSpace(reason)
	switch {
	case pair == "":
		return Window{}, ErrNoPair
	case d <= 0 || d > MaxDuration:
		return Window{}, fmt.Errorf("maintenance of pair %s: %w", pair, ErrBadDuration)
	case len(reason) > MaxReason:
		return Window{}, fmt.Errorf("maintenance of pair %s: %w", pair, ErrLongReason)
	}
	w := Window{Pair: pair, Start: now.UTC(), End: now.Add(d).UTC(), Reason: reason, Source: SourceAPI}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, had := s.windows[pair]
	s.windows[pair] = w
	if err := s.save(); err != nil {
		if had {
			s.windows[pair] = old
		} else {
			delete(s.windows, pair)
		}
		return Window{}, fmt.Errorf("maintenance of pair %s: %w", pair, err)
	}
	return w, nil
}

// Stop ends the pair's window; ok is false when it had none in force.
func (s *Store) Stop(pair string, now time.Time) (w Window, ok bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ok = s.windows[pair]
	if !ok || !w.ActiveAt(now) {
		return Window{}, false, nil
	}
	delete(s.windows, pair)
	if err := s.save(); err != nil {
		s.windows[pair] = w
		return Window{}, false, fmt.Errorf("maintenance of pair %s: %w", pair, err)
	}
	return w, true, nil
}

// SetConfigured replaces the windows announced in the configuration
// file, leaving out those that ended by now (their end is not news). A
// window started through the API wins over the file's for the same pair
// while both are in force.
func (s *Store) SetConfigured(ws []Window, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.configured = make(map[string]Window, len(ws))
	for _, w := range ws {
		if w.Source = SourceConfig; now.Before(w.End) {
			s.configured[w.Pair] = w
		}
	}
}

// Active returns the pair's window in force at now.
func (s *Store) Active(pair string, now time.Time) (Window, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.activeLocked(pair, now)
}

func (s *Store) activeLocked(pair string, now time.Time) (Window, bool) {
	if w, ok := s.windows[pair]; ok && w.ActiveAt(now) {
		return w, true
	}
	w, ok := s.configured[pair]
	return w, ok && w.ActiveAt(now)
}

// List returns the windows in force at now, by pair.
func (s *Store) List(now time.Time) []Window {
	s.mu.Lock()
	defer s.mu.Unlock()
	pairs := slices.Concat(slices.Collect(maps.Keys(s.windows)), slices.Collect(maps.Keys(s.configured)))
	slices.Sort(pairs)
	var out []Window
	for _, p := range slices.Compact(pairs) {
		if w, ok := s.activeLocked(p, now); ok {
			out = append(out, w)
		}
	}
	return out
}

// Expire forgets the windows that ended by now and returns them, so that
// their end is recorded once.
func (s *Store) Expire(now time.Time) ([]Window, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Window
	for _, p := range slices.Sorted(maps.Keys(s.windows)) {
		if w := s.windows[p]; !now.Before(w.End) {
			out = append(out, w)
			delete(s.windows, p)
		}
	}
	saved := len(out) > 0
	// The file's windows stay until the file changes; their end is
	// reported once.
	for _, p := range slices.Sorted(maps.Keys(s.configured)) {
		if w := s.configured[p]; !now.Before(w.End) && !s.ended[w] {
			s.ended[w] = true
			out = append(out, w)
		}
	}
	if !saved {
		return out, nil
	}
	return out, s.save()
}

// save writes the windows to a temporary file and renames it over the
// store's file, so that a crash leaves the old or the new file whole.
func (s *Store) save() error {
	if s.path == "" {
		return nil
	}
	ws := make([]Window, 0, len(s.windows))
	for _, p := range slices.Sorted(maps.Keys(s.windows)) {
		ws = append(ws, s.windows[p])
	}
	b, err := json.MarshalIndent(ws, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), FileName+".tmp-*")
	if err != nil {
		return fmt.Errorf("save windows: %w", err)
	}
	// After the rename there is nothing left to remove.
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("save windows: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("save windows: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save windows: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("save windows: %w", err)
	}
	return nil
}

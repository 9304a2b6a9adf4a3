package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// FileName is the name of the journal file in its directory.
const FileName = "events.jsonl"

// Defaults of Options.
const (
	DefaultRetention = 14 * 24 * time.Hour
	DefaultMaxEvents = 100000
)

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("journal is closed")

// Options configure a Journal.
type Options struct {
	// Retention is how long events are kept; DefaultRetention when 0.
	Retention time.Duration
	// MaxEvents is how many events are kept at most, the newest;
	// DefaultMaxEvents when 0.
	MaxEvents int
	Logger    *slog.Logger
	// Now is the clock that retention is measured with; time.Now when nil.
	Now func() time.Time
}

// Query selects events.
type Query struct {
	// Pair selects the events of one pair; all pairs when empty.
	Pair string
	// Since and Until bound the event time: Since inclusive, Until
	// exclusive; a zero value does not bound.
	Since, Until time.Time
	// Limit keeps only the newest Limit events; 0 keeps all.
	Limit int
}

// Journal is an append-only event timeline, kept in memory and, unless it
// is in-memory only, in a JSON-lines file: one event per line, synced to
// disk after each Append. It is safe for concurrent use.
type Journal struct {
	opts Options
	log  *slog.Logger
	dir  string
	path string

	mu     sync.Mutex
	f      *os.File
	size   int64 // bytes of whole records in the file
	lines  int   // records in the file, kept or not
	events []Event
	closed bool
}

// Open opens the journal in dir, creating the directory and the file as
// needed, and reads back the events it holds. A torn last record (a write
// cut short by a crash) and corrupt records elsewhere are skipped with a
// warning; events past the retention are dropped; the file is then
// rewritten, atomically, when anything was skipped or dropped. Only a
// directory or file that cannot be used fails Open.
//
// With dir empty the journal lives in memory only.
func Open(dir string, opts Options) (*Journal, error) {
	if opts.Retention <= 0 {
		opts.Retention = DefaultRetention
	}
	if opts.MaxEvents <= 0 {
		opts.MaxEvents = DefaultMaxEvents
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	j := &Journal{opts: opts, log: opts.Logger}
	if dir == "" {
		return j, nil
	}
	j.dir, j.path = dir, filepath.Join(dir, FileName)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create journal directory %s: %w", dir, err)
	}
	j.removeTemps()
	ld, err := readFile(j.path, j.log)
	if err != nil {
		return nil, err
	}
	j.events = ld.events
	slices.SortStableFunc(j.events, func(a, b Event) int { return a.Time.Compare(b.Time) })
	dropped := j.prune(opts.Now())
	if ld.dirty || dropped > 0 || ld.records > 2*opts.MaxEvents {
		j.log.Info("compacting event journal", "path", j.path, "read", ld.records, "kept", len(j.events))
		if err := j.rewrite(); err != nil {
			return nil, err
		}
		return j, nil
	}
	if err := j.openAppend(); err != nil {
		return nil, err
	}
	j.lines = ld.records
	return j, nil
}

// Append records events. An event without a time gets the current time.
// The batch is written and synced to disk before Append returns; on a
// write error the events stay in memory (the page still shows them) and
// the error is returned.
func (j *Journal) Append(events ...Event) error {
	if len(events) == 0 {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return ErrClosed
	}
	now := j.opts.Now()
	var buf []byte
	for _, e := range events {
		if e.Time.IsZero() {
			e.Time = now
		}
		if j.f != nil {
			line, err := json.Marshal(e)
			if err != nil {
				return fmt.Errorf("encode event for journal %s: %w", j.path, err)
			}
			buf = append(append(buf, line...), '\n')
		}
		j.insert(e)
	}
	j.prune(now)
	if j.f == nil {
		return nil
	}
	if err := j.write(buf, len(events)); err != nil {
		return err
	}
	if j.lines > 2*j.opts.MaxEvents {
		if err := j.rewrite(); err != nil {
			return err
		}
	}
	return nil
}

// insert adds an event in time order, after the events of the same time.
func (j *Journal) insert(e Event) {
	n := len(j.events)
	if n == 0 || !e.Time.Before(j.events[n-1].Time) {
		j.events = append(j.events, e)
		return
	}
	i, _ := slices.BinarySearchFunc(j.events, e.Time, func(x Event, t time.Time) int {
		if x.Time.After(t) {
			return 1
		}
		return -1
	})
	j.events = slices.Insert(j.events, i, e)
}

// prune drops the events past retention and the oldest beyond MaxEvents;
// it returns how many it dropped.
func (j *Journal) prune(now time.Time) int {
	cut := now.Add(-j.opts.Retention)
	i, _ := slices.BinarySearchFunc(j.events, cut, func(x Event, t time.Time) int {
		if x.Time.Before(t) {
			return -1
		}
		return 1
	})
	i = max(i, len(j.events)-j.opts.MaxEvents)
	if i <= 0 {
		return 0
	}
	clear(j.events[:i])
	j.events = j.events[i:]
	return i
}

// Query returns the events that match q, oldest first.
func (j *Journal) Query(q Query) []Event {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.prune(j.opts.Now())
	start := 0
	if !q.Since.IsZero() {
		start, _ = slices.BinarySearchFunc(j.events, q.Since, func(x Event, t time.Time) int {
			if x.Time.Before(t) {
				return -1
			}
			return 1
		})
	}
	var out []Event
	for _, e := range j.events[start:] {
		if !q.Until.IsZero() && !e.Time.Before(q.Until) {
			break
		}
		if q.Pair == "" || e.Pair == q.Pair {
			out = append(out, e)
		}
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = slices.Clone(out[len(out)-q.Limit:])
	}
	return out
}

// Any reports whether an event of the pair (any pair when "") matches,
// without copying the timeline.
func (j *Journal) Any(pair string, match func(Event) bool) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.ContainsFunc(j.events, func(e Event) bool {
		return (pair == "" || e.Pair == pair) && match(e)
	})
}

// Close closes the journal file; Query keeps answering from memory.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil
	}
	j.closed = true
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	if err != nil {
		return fmt.Errorf("close journal %s: %w", j.path, err)
	}
	return nil
}

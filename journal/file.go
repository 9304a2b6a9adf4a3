package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
)

// tempPattern names the temporary files of a rewrite.
const tempPattern = FileName + ".*.tmp"

// loaded is what readFile found in a journal file.
type loaded struct {
	events  []Event
	records int // lines holding a record, good or bad
	// dirty is set when the file holds something that must not stay:
	// corrupt or torn records, blank lines.
	dirty bool
}

// readFile reads a journal file back. A missing file is an empty journal;
// bad records are skipped with a warning; only an I/O error fails.
func readFile(path string, log *slog.Logger) (loaded, error) {
	var ld loaded
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ld, nil
	}
	if err != nil {
		return ld, fmt.Errorf("open journal %s: %w", path, err)
	}
	defer func() { _ = f.Close() }()
	r := bufio.NewReader(f)
	for n := 1; ; n++ {
		line, rerr := r.ReadBytes('\n')
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return ld, fmt.Errorf("read journal %s: %w", path, rerr)
		}
		last := errors.Is(rerr, io.EOF)
		if text := bytes.TrimSpace(line); len(text) > 0 {
			ld.records++
			e, perr := parseRecord(text)
			switch {
			case perr != nil && last:
				log.Warn("skipping torn last record of the event journal", "path", path, "line", n, "err", perr)
				ld.dirty = true
			case perr != nil:
				log.Warn("skipping corrupt record of the event journal", "path", path, "line", n, "err", perr)
				ld.dirty = true
			default:
				ld.events = append(ld.events, e)
				// A good record without its newline is rewritten so that
				// the next append starts on a line of its own.
				ld.dirty = ld.dirty || last
			}
		} else if len(line) > 0 {
			ld.dirty = true
		}
		if last {
			return ld, nil
		}
	}
}

// parseRecord decodes one line; a record must have a time and a kind.
func parseRecord(text []byte) (Event, error) {
	var e Event
	if err := json.Unmarshal(text, &e); err != nil {
		return e, err
	}
	if e.Time.IsZero() || e.Kind == "" || e.Pair == "" {
		return e, errors.New("record has no time, kind or pair")
	}
	return e, nil
}

// openAppend opens the journal file for appending.
func (j *Journal) openAppend() error {
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("open journal %s: %w", j.path, err)
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return fmt.Errorf("stat journal %s: %w", j.path, err)
	}
	j.f, j.size = f, st.Size()
	return nil
}

// write appends whole records and syncs them. A failed write is cut back
// off the file so that the next record does not continue a torn one.
func (j *Journal) write(buf []byte, records int) error {
	if _, err := j.f.Write(buf); err != nil {
		_ = j.f.Truncate(j.size)
		return fmt.Errorf("append to journal %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("sync journal %s: %w", j.path, err)
	}
	j.size += int64(len(buf))
	j.lines += records
	return nil
}

// rewrite replaces the file with the events in memory: written to a
// temporary file, synced, and renamed over the journal, so that a crash
// leaves either the old file or the new one.
func (j *Journal) rewrite() error {
	tmp, err := os.CreateTemp(j.dir, tempPattern)
	if err != nil {
		return fmt.Errorf("compact journal %s: %w", j.path, err)
	}
	// Removing fails harmlessly once the file is renamed.
	defer func() { _ = os.Remove(tmp.Name()) }()
	w := bufio.NewWriter(tmp)
	enc := json.NewEncoder(w)
	for _, e := range j.events {
		if err := enc.Encode(e); err != nil {
			_ = tmp.Close()
			return fmt.Errorf("compact journal %s: %w", j.path, err)
		}
	}
	err = w.Flush()
	if err == nil {
		err = tmp.Chmod(0o640)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), j.path)
	}
	if err != nil {
		return fmt.Errorf("compact journal %s: %w", j.path, err)
	}
	syncDir(j.dir)
	if j.f != nil {
		_ = j.f.Close()
		j.f = nil
	}
	if err := j.openAppend(); err != nil {
		return err
	}
	j.lines = len(j.events)
	return nil
}

// syncDir makes a rename durable; file systems that cannot sync a
// directory are left as they are.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// removeTemps removes the temporary files of a rewrite that a crash left.
func (j *Journal) removeTemps() {
	matches, _ := filepath.Glob(filepath.Join(j.dir, tempPattern))
	for _, m := range matches {
		if err := os.Remove(m); err == nil {
			j.log.Info("removed leftover journal temporary file", "path", m)
		}
	}
}

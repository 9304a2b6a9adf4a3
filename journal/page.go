package journal

import (
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrBadCursor is returned by Page for a cursor that no Page returned.
var ErrBadCursor = errors.New("not a cursor of the event journal")

// errNoLimit is returned by Page without a positive limit: a page is
// bounded by definition.
var errNoLimit = errors.New("page limit must be positive")

// cursorVersion leads every cursor, so that a later encoding can tell the
// cursors of this one apart.
const cursorVersion = "1"

// Page is one page of events, oldest first.
type Page struct {
	Events []Event
	// Next is the cursor of the page of older events; empty when no older
	// event matches the query.
	Next string
}

// position marks a place in the journal: before the event of time T that
// has Rank events of the same time before it. Events are kept in time
// order, and an event is inserted after those of its time, so an event's
// rank never changes; unlike an index, it also survives a restart, which
// reads the events back in the same order.
type position struct {
	T    time.Time
	Rank int
}

// Page returns the newest q.Limit events that match q and lie before the
// cursor (anywhere for an empty cursor), oldest first, and the cursor of
// the page before them. Following Next from an empty cursor until it is
// empty visits every matching event once; events appended during the walk
// are visited only if they are older than the cursor. Only the page is
// copied, so a page costs the same in a journal of any size. q.Limit must
// be positive; a cursor that no Page returned fails with ErrBadCursor.
func (j *Journal) Page(q Query, cursor string) (Page, error) {
	if q.Limit <= 0 {
		return Page{}, errNoLimit
	}
	var at *position
	if cursor != "" {
		p, err := parseCursor(cursor)
		if err != nil {
			return Page{}, err
		}
		at = &p
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.prune(j.opts.Now())
	lo, hi := 0, len(j.events)
	if !q.Since.IsZero() {
		lo = j.firstAt(q.Since)
	}
	if !q.Until.IsZero() {
		hi = j.firstAt(q.Until)
	}
	if at != nil {
		hi = min(hi, j.index(*at))
	}
	// Walk back to the oldest event of the page, and one match further to
	// know whether an older page exists.
	n, start, more := 0, hi, false
	for i := hi - 1; i >= lo; i-- {
		if q.Pair != "" && j.events[i].Pair != q.Pair {
			continue
		}
		if n == q.Limit {
			more = true
			break
		}
		n, start = n+1, i
	}
	page := Page{Events: make([]Event, 0, n)}
	for _, e := range j.events[start:max(start, hi)] {
		if q.Pair == "" || e.Pair == q.Pair {
			page.Events = append(page.Events, e)
		}
	}
	if more {
		page.Next = j.positionOf(start).String()
	}
	return page, nil
}

// firstAt returns the index of the first event at or after t.
func (j *Journal) firstAt(t time.Time) int {
	return sort.Search(len(j.events), func(i int) bool { return !j.events[i].Time.Before(t) })
}

// index returns the index of the event at p, or of the first later event
// when that event is gone.
func (j *Journal) index(p position) int {
	first := j.firstAt(p.T)
	end := first + sort.Search(len(j.events)-first, func(i int) bool { return j.events[first+i].Time.After(p.T) })
	return min(first+p.Rank, end)
}

// positionOf returns the position of the event at index i.
func (j *Journal) positionOf(i int) position {
	t := j.events[i].Time
	return position{T: t, Rank: i - j.firstAt(t)}
}

// String encodes the position as an opaque cursor, safe in a URL.
func (p position) String() string {
	raw := cursorVersion + "." + strconv.FormatInt(p.T.UnixNano(), 10) + "." + strconv.Itoa(p.Rank)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// parseCursor decodes a cursor made by position.String.
func parseCursor(s string) (position, error) {
	bad := fmt.Errorf("%w: %q", ErrBadCursor, s)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return position{}, bad
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 3 || parts[0] != cursorVersion {
		return position{}, bad
	}
	nanos, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return position{}, bad
	}
	rank, err := strconv.Atoi(parts[2])
	if err != nil || rank < 0 {
		return position{}, bad
	}
	return position{T: time.Unix(0, nanos).UTC(), Rank: rank}, nil
}

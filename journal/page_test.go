package journal

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

// fillGroups appends n events, three to a second (one poll's events share
// its time), alternating between two pairs; messages are their numbers.
func fillGroups(t testing.TB, j *Journal, n int) {
	t.Helper()
	batch := make([]Event, 0, n)
	for i := range n {
		pair := []string{"edge", "core"}[i%2]
		batch = append(batch, ev(t0.Add(time.Duration(i/3)*time.Second), pair, fmt.Sprint(i)))
	}
	if err := j.Append(batch...); err != nil {
		t.Fatal(err)
	}
}

// walk follows the cursors from the newest page to the oldest and returns
// the events in time order and the number of pages.
func walk(t *testing.T, j *Journal, q Query) ([]Event, int) {
	t.Helper()
	var pages [][]Event
	cursor := ""
	for {
		p, err := j.Page(q, cursor)
		if err != nil {
			t.Fatalf("page %d: %v", len(pages)+1, err)
		}
		if len(p.Events) > q.Limit {
			t.Fatalf("page %d holds %d events, limit %d", len(pages)+1, len(p.Events), q.Limit)
		}
		pages = append(pages, p.Events)
		if p.Next == "" {
			break
		}
		if len(p.Events) != q.Limit {
			t.Fatalf("page %d holds %d events but is not the last", len(pages), len(p.Events))
		}
		cursor = p.Next
		if len(pages) > 1000 {
			t.Fatal("the walk does not end")
		}
	}
	var all []Event
	for _, p := range slices.Backward(pages) {
		all = append(all, p...)
	}
	return all, len(pages)
}

func TestPageWalksEveryEventOnce(t *testing.T) {
	c := &clock{t: t0.Add(time.Hour)}
	j, _ := open(t, "", c, Options{})
	fillGroups(t, j, 2500)
	for _, tc := range []struct {
		name  string
		q     Query
		pages int
	}{
		{"all", Query{Limit: 100}, 25},
		{"page size cuts time groups", Query{Limit: 7}, 358},
		{"one pair", Query{Pair: "core", Limit: 100}, 13},
		{"window", Query{Since: t0.Add(100 * time.Second), Until: t0.Add(200 * time.Second), Limit: 40}, 8},
		{"one page", Query{Limit: 5000}, 1},
		{"nothing matches", Query{Pair: "nope", Limit: 10}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, pages := walk(t, j, tc.q)
			all := tc.q
			all.Limit = 0
			want := j.Query(all)
			if messages(got) != messages(want) {
				t.Errorf("walk visited %d events, want the %d of Query in order", len(got), len(want))
			}
			if pages != tc.pages {
				t.Errorf("%d pages, want %d", pages, tc.pages)
			}
		})
	}
}

func TestPageNewestFirst(t *testing.T) {
	c := &clock{t: t0.Add(time.Hour)}
	j, _ := open(t, "", c, Options{})
	fillGroups(t, j, 10)
	p, err := j.Page(Query{Limit: 4}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Events 6..9: the newest four, oldest first; the cursor falls inside
	// the group of second 2 (events 6, 7, 8).
	if got := messages(p.Events); got != "6,7,8,9" || p.Next == "" {
		t.Fatalf("first page %q next %q", got, p.Next)
	}
	p, err = j.Page(Query{Limit: 4}, p.Next)
	if err != nil {
		t.Fatal(err)
	}
	if got := messages(p.Events); got != "2,3,4,5" {
		t.Errorf("second page %q", got)
	}
}

// TestPageDuringAppends appends between two pages a newer event, a late
// one older than the cursor and one of the cursor's own time but after it:
// nothing is visited twice, only the late event is visited of the three.
func TestPageDuringAppends(t *testing.T) {
	c := &clock{t: t0.Add(time.Hour)}
	j, _ := open(t, "", c, Options{})
	fillGroups(t, j, 30)
	first, err := j.Page(Query{Limit: 10}, "")
	if err != nil {
		t.Fatal(err)
	}
	// The cursor is before event 20, the third of second 6.
	if err := j.Append(ev(t0.Add(time.Minute), "edge", "new"), ev(t0.Add(3*time.Second), "edge", "late"),
		ev(t0.Add(6*time.Second), "edge", "same-time")); err != nil {
		t.Fatal(err)
	}
	got := first.Events
	for cursor := first.Next; cursor != ""; {
		p, err := j.Page(Query{Limit: 10}, cursor)
		if err != nil {
			t.Fatal(err)
		}
		got, cursor = append(slices.Clone(p.Events), got...), p.Next
	}
	want := "0,1,2,3,4,5,6,7,8,9,10,11,late,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29"
	if messages(got) != want {
		t.Errorf("walk during appends:\n got %s\nwant %s", messages(got), want)
	}
}

// TestPageCursorSurvivesReopen: a restart reads the events back in the
// same order, so a cursor taken before it continues after it.
func TestPageCursorSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: t0.Add(time.Hour)}
	j, _ := open(t, dir, c, Options{})
	fillGroups(t, j, 20)
	first, err := j.Page(Query{Limit: 8}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	j2, _ := open(t, dir, c, Options{})
	p, err := j2.Page(Query{Limit: 8}, first.Next)
	if err != nil {
		t.Fatal(err)
	}
	if got := messages(p.Events); got != "4,5,6,7,8,9,10,11" {
		t.Errorf("page after reopen %q, want 4 to 11", got)
	}
}

func TestPageBadInput(t *testing.T) {
	j, _ := open(t, "", &clock{t: t0}, Options{})
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, cursor := range []string{"abc$", "!!", enc("1.x.0"), enc("2.100.0"), enc("1.100"), enc("1.100.-1"), enc("1.100.0.0")} {
		if _, err := j.Page(Query{Limit: 10}, cursor); !errors.Is(err, ErrBadCursor) {
			t.Errorf("cursor %q: %v, want ErrBadCursor", cursor, err)
		}
	}
	if _, err := j.Page(Query{}, ""); err == nil {
		t.Error("a page without a limit was accepted")
	}
}

// TestPageCopiesOnlyThePage: a page of 1000 from 100,000 events costs the
// page's slice and the cursor, not a copy of the journal.
func TestPageCopiesOnlyThePage(t *testing.T) {
	c := &clock{t: t0.Add(24 * time.Hour)}
	j, _ := open(t, "", c, Options{})
	fillGroups(t, j, DefaultMaxEvents)
	var p Page
	allocs := testing.AllocsPerRun(20, func() {
		p, _ = j.Page(Query{Pair: "edge", Limit: 1000}, "")
	})
	if len(p.Events) != 1000 || p.Next == "" {
		t.Fatalf("page of %d events, next %q", len(p.Events), p.Next)
	}
	if allocs > 4 {
		t.Errorf("%.0f allocations for a page, want at most 4", allocs)
	}
}

func BenchmarkPage(b *testing.B) {
	j, err := Open("", Options{Now: func() time.Time { return t0.Add(24 * time.Hour) }})
	if err != nil {
		b.Fatal(err)
	}
	fillGroups(b, j, DefaultMaxEvents)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := j.Page(Query{Pair: "edge", Limit: 1000}, ""); err != nil {
			b.Fatal(err)
		}
	}
}

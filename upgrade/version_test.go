package upgrade

import (
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	// Strings seen on real devices: sw-version and build-rel in
	// shared/fixtures/panos/recorded, XFR builds from public bug reports
	// (pan-os-python issue 182, ntc-templates pull request 706).
	for _, tc := range []struct {
		in   string
		want Version
	}{
		{"7.0.1", Version{Major: 7, Patch: 1}},
		{"7.1.9", Version{Major: 7, Minor: 1, Patch: 9}},
		{"8.1.3", Version{Major: 8, Minor: 1, Patch: 3}},
		{"9.1.12-h3", Version{Major: 9, Minor: 1, Patch: 12, Hotfix: 3}},
		{"9.1.16", Version{Major: 9, Minor: 1, Patch: 16}},
		{"10.0.9", Version{Major: 10, Patch: 9}},
		{"10.1.3-h3", Version{Major: 10, Minor: 1, Patch: 3, Hotfix: 3}},
		{"10.1.5-h2", Version{Major: 10, Minor: 1, Patch: 5, Hotfix: 2}},
		{"10.1.12", Version{Major: 10, Minor: 1, Patch: 12}},
		{"11.0.1", Version{Major: 11, Patch: 1}},
		{"8.1.23-h1", Version{Major: 8, Minor: 1, Patch: 23, Hotfix: 1}},
		{"10.0.11-h3", Version{Major: 10, Patch: 11, Hotfix: 3}},
		{"11.1.2-h3", Version{Major: 11, Minor: 1, Patch: 2, Hotfix: 3}},
		{"12.1.2", Version{Major: 12, Minor: 1, Patch: 2}},
		{"9.0.3.xfr", Version{Major: 9, Patch: 3, XFR: true}},
		{"9.0.5-xfr", Version{Major: 9, Patch: 5, XFR: true}},
		{"9.0.5-h1.xfr", Version{Major: 9, Patch: 5, Hotfix: 1, XFR: true}},
		{"11.0.0-b2", Version{Major: 11, Pre: "b", PreNum: 2}},
		{"10.2.0-c123", Version{Major: 10, Minor: 2, Pre: "c", PreNum: 123}},
		{"10.2.4-H2", Version{Major: 10, Minor: 2, Patch: 4, Hotfix: 2}},
		{" 10.2.4-h2\n", Version{Major: 10, Minor: 2, Patch: 4, Hotfix: 2}},
		{"0.0.0", Version{}},
	} {
		got, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		got.raw = ""
		if got != tc.want {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{
		"", "   ", "10", "10.2", "10.2.x", "v10.2.4", "10.2.4-h", "10.2.4-hx", "10.2.4-d1",
		"10.2.+4", "10.2.4-h-1", "1.2.3.4", "10.2.4 -h2", "10.2.4-h2-h3", "99999999999.1.1",
		"Not Installed", "unknown", "10..4", ".2.4", "10.2.4-", "10.2.4.xfr.xfr", "１0.2.4",
	} {
		if v, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", in, v)
		}
	}
}

func TestString(t *testing.T) {
	for in, want := range map[string]string{
		" 10.2.4-H2 ": "10.2.4-h2", "9.0.5-xfr": "9.0.5.xfr", "11.0.0-b2": "11.0.0-b2",
	} {
		v, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Canonical(); got != want {
			t.Errorf("Parse(%q).Canonical() = %q, want %q", in, got, want)
		}
		if got := v.String(); got != strings.TrimSpace(in) {
			t.Errorf("Parse(%q).String() = %q, want the input trimmed", in, got)
		}
	}
}

func TestCompare(t *testing.T) {
	// Oldest first.
	ordered := []string{
		"7.0.1", "7.0.19", "7.1.0", "7.1.26", "8.0.0", "8.1.23-h1", "9.0.3", "9.0.3.xfr", "9.0.3-h1",
		"9.0.16-h3", "9.1.13-h1", "10.0.11-h3", "10.1.6-h6", "10.1.10", "10.1.11-h1", "10.2.0-b1",
		"10.2.0-c123", "10.2.0", "10.2.4", "10.2.4-h2", "10.2.4-h10", "11.0.2-h3", "11.1.2-h3", "11.2.4", "12.1.2",
	}
	vs := make([]Version, len(ordered))
	for i, s := range ordered {
		v, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		vs[i] = v
	}
	for i := range vs {
		for j := range vs {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := vs[i].Compare(vs[j]); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", vs[i], vs[j], got, want)
			}
		}
	}
	shuffled := slices.Clone(vs)
	slices.Reverse(shuffled)
	slices.SortFunc(shuffled, Version.Compare)
	for i := range vs {
		if shuffled[i].Compare(vs[i]) != 0 {
			t.Fatalf("sorted %v, want %v", shuffled, vs)
		}
	}
}

// FuzzParse: no input panics; whatever parses survives a round trip
// through its canonical spelling and equals itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"10.2.4-h2", "9.0.3.xfr", "11.0.0-b2", "10.2.0-c123", "", " 7.0.1 ", "10.2", "1.2.3.4", "10.2.4-h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(v.Canonical())
		if err != nil {
			t.Fatalf("Parse(%q) = %+v, but its canonical %q does not parse: %v", s, v, v.Canonical(), err)
		}
		if v.Compare(again) != 0 || again.Canonical() != v.Canonical() {
			t.Fatalf("round trip of %q: %+v became %+v", s, v, again)
		}
		if v.Compare(v) != 0 {
			t.Fatalf("%q does not equal itself", s)
		}
	})
}

// FuzzPlan: planning between any two parsed versions never panics and
// always gives a verdict with a reason.
func FuzzPlan(f *testing.F) {
	f.Add("10.1.9", "10.2.4-h2", "10.1.9")
	f.Add("7.0.1", "8.0.3", "7.0.1")
	f.Add("12.1.2", "0.0.0", "99999.99999.99999")
	f.Fuzz(func(t *testing.T, a, target, b string) {
		va, errA := Parse(a)
		vt, errT := Parse(target)
		vb, errB := Parse(b)
		if errA != nil || errT != nil || errB != nil {
			return
		}
		p := PlanUpgrade(va, vt)
		if p.Verdict == 0 || p.Reason == "" {
			t.Fatalf("PlanUpgrade(%s, %s) = %+v: no verdict or reason", va, vt, p)
		}
		if g := PairGap(va, vb, vt); g.Reason == "" && g.Apart != 0 {
			t.Fatalf("PairGap(%s, %s, %s) = %+v: no reason", va, vb, vt, g)
		}
	})
}

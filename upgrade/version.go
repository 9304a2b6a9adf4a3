// Package upgrade knows the order of PAN-OS releases and the rules for
// moving a firewall, or an HA pair of firewalls, from one release to
// another: which feature releases must be installed in turn, which base
// images must be downloaded first, which releases may be skipped and how
// far apart two HA peers may be. The rules are data (rules.go), each with
// its public source; docs/upgrade-path.md explains them.
package upgrade

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
)

// Version is a parsed PAN-OS software version such as 10.2.4-h2. Its zero
// value is no version.
type Version struct {
	Major, Minor, Patch int
	// Hotfix is N of a "-hN" hotfix build; 0 for none.
	Hotfix int
	// Pre is the letter of a pre-release build ("b" in 11.0.0-b2, "c" in
	// 10.2.0-c123), PreNum its number; "" and 0 for a released build.
	Pre    string
	PreNum int
	// XFR marks a VM-Series feature build ("9.0.3.xfr"): the same
	// maintenance release with extra features.
	XFR bool
	raw string
}

// maxPart bounds each number so that no input overflows and so that a
// typo such as 10.2.40000000000 is refused rather than believed.
const maxPart = 99999

// Parse reads a version as PAN-OS prints it (sw-version, build-rel):
// MAJOR.MINOR.PATCH, optionally followed by "-hN" (hotfix), "-bN" or
// "-cN" (pre-release builds) and ".xfr" or "-xfr" (VM-Series feature
// builds). Surrounding blanks are ignored. Anything else is an error.
func Parse(s string) (Version, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return Version{}, fmt.Errorf("empty version")
	}
	rest := strings.ToLower(raw)
	v := Version{raw: raw}
	for _, sfx := range []string{".xfr", "-xfr"} {
		if r, ok := strings.CutSuffix(rest, sfx); ok {
			rest, v.XFR = r, true
			break
		}
	}
	core, suffix, dashed := strings.Cut(rest, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR.PATCH", raw)
	}
	for i, dst := range []*int{&v.Major, &v.Minor, &v.Patch} {
		n, err := number(parts[i])
		if err != nil {
			return Version{}, fmt.Errorf("version %q: %w", raw, err)
		}
		*dst = n
	}
	if !dashed {
		return v, nil
	}
	if len(suffix) < 2 {
		return Version{}, fmt.Errorf("version %q: suffix %q is not -hN, -bN or -cN", raw, suffix)
	}
	n, err := number(suffix[1:])
	if err != nil {
		return Version{}, fmt.Errorf("version %q: suffix %q: %w", raw, suffix, err)
	}
	switch suffix[0] {
	case 'h':
		v.Hotfix = n
	case 'b', 'c':
		v.Pre, v.PreNum = suffix[:1], n
	default:
		return Version{}, fmt.Errorf("version %q: suffix %q is not -hN, -bN or -cN", raw, suffix)
	}
	return v, nil
}

// number reads a non-negative decimal of at most maxPart; strconv.Atoi
// alone would accept signs.
func number(s string) (int, error) {
	if s == "" || len(s) > len(strconv.Itoa(maxPart)) {
		return 0, fmt.Errorf("%q is not a version number", s)
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%q is not a version number", s)
		}
		n = n*10 + int(r-'0')
	}
	if n > maxPart {
		return 0, fmt.Errorf("%q is not a version number", s)
	}
	return n, nil
}

// IsZero reports whether v is no version.
func (v Version) IsZero() bool { return v == Version{} }

// Feature returns the feature release v belongs to.
func (v Version) Feature() Feature { return Feature{v.Major, v.Minor} }

// String returns the version as it was given, trimmed, or in canonical
// form for a version built in the program.
func (v Version) String() string {
	if v.raw != "" {
		return v.raw
	}
	return v.Canonical()
}

// Canonical returns the version in PAN-OS' own spelling: 10.2.4-h2,
// 11.0.0-b2, 9.0.3.xfr.
func (v Version) Canonical() string {
	s := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	switch {
	case v.Pre != "":
		s += fmt.Sprintf("-%s%d", v.Pre, v.PreNum)
	case v.Hotfix > 0:
		s += fmt.Sprintf("-h%d", v.Hotfix)
	}
	if v.XFR {
		s += ".xfr"
	}
	return s
}

// Compare orders versions: -1 when v is older than o, +1 when newer, 0
// when the same build. Within one maintenance release a pre-release build
// precedes the release, the release precedes its XFR build, and hotfixes
// follow both in number order. Pre-release builds order by letter ("b"
// before "c"), then number: public material says nothing of their order,
// and they are never an upgrade target in production.
func (v Version) Compare(o Version) int {
	if c := cmp.Compare(v.Major, o.Major); c != 0 {
		return c
	}
	if c := cmp.Compare(v.Minor, o.Minor); c != 0 {
		return c
	}
	if c := cmp.Compare(v.Patch, o.Patch); c != 0 {
		return c
	}
	if c := cmp.Compare(released(v), released(o)); c != 0 {
		return c
	}
	if c := cmp.Compare(v.Pre, o.Pre); c != 0 {
		return c
	}
	if c := cmp.Compare(v.PreNum, o.PreNum); c != 0 {
		return c
	}
	if c := cmp.Compare(v.Hotfix, o.Hotfix); c != 0 {
		return c
	}
	return cmp.Compare(b2i(v.XFR), b2i(o.XFR))
}

// released is 0 for a pre-release build, 1 for a released one.
func released(v Version) int {
	if v.Pre != "" {
		return 0
	}
	return 1
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Feature is a PAN-OS feature release: 10.2 holds 10.2.0 (its base image),
// its maintenance releases 10.2.x and their hotfixes.
type Feature struct{ Major, Minor int }

// String returns "10.2".
func (f Feature) String() string { return fmt.Sprintf("%d.%d", f.Major, f.Minor) }

// Compare orders feature releases.
func (f Feature) Compare(o Feature) int {
	if c := cmp.Compare(f.Major, o.Major); c != 0 {
		return c
	}
	return cmp.Compare(f.Minor, o.Minor)
}

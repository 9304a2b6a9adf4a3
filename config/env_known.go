package config

import (
	"reflect"
	"slices"
	"strings"
)

// envPrefix starts every variable hawatch reads.
const envPrefix = "HAWATCH_"

// UnknownVariable is a HAWATCH_* variable that hawatch does not read: most
// often a misspelling, which would otherwise leave a setting silently at
// its default.
type UnknownVariable struct {
	Name string
	// Suggestion is the known variable closest to Name when it is close
	// enough to be a misspelling; empty otherwise.
	Suggestion string
}

// String reads "HAWATCH_AWS_REGOIN (did you mean HAWATCH_AWS_REGION?)".
func (u UnknownVariable) String() string {
	if u.Suggestion == "" {
		return u.Name
	}
	return u.Name + " (did you mean " + u.Suggestion + "?)"
}

// KnownVariables lists every environment variable hawatch reads, taken
// from the env tags of the configuration structs so that a new setting is
// known as soon as it is added.
func KnownVariables() []string {
	var names []string
	for _, t := range []reflect.Type{reflect.TypeFor[daemonEnv](), reflect.TypeFor[pairEnv]()} {
		names = appendEnvTags(names, t)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// appendEnvTags adds the variable names of t's fields, descending into
// nested structs.
func appendEnvTags(names []string, t reflect.Type) []string {
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("env"), ","); name != "" {
			names = append(names, name)
			continue
		}
		if f.Type.Kind() == reflect.Struct {
			names = appendEnvTags(names, f.Type)
		}
	}
	return names
}

// toolVariables are the HAWATCH_* variables read outside the daemon's
// configuration: the maintenance command's daemon address, and the test
// suite's artifact directory and latency switch. None is a typo.
var toolVariables = []string{"HAWATCH_ARTIFACTS_DIR", "HAWATCH_LATENCY", "HAWATCH_URL"}

// UnknownVariables returns the HAWATCH_* variables of environ (KEY=value
// entries, as os.Environ returns them) that hawatch does not read, sorted
// by name.
func UnknownVariables(environ []string) []UnknownVariable {
	known := KnownVariables()
	var unknown []UnknownVariable
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, envPrefix) {
			continue
		}
		if _, found := slices.BinarySearch(known, name); found || slices.Contains(toolVariables, name) {
			continue
		}
		unknown = append(unknown, UnknownVariable{Name: name, Suggestion: closest(name, known)})
	}
	slices.SortFunc(unknown, func(a, b UnknownVariable) int { return strings.Compare(a.Name, b.Name) })
	return unknown
}

// closest returns the candidate nearest to name by edit distance, if it
// is near enough to be a typo: at most a third of the differing suffix
// (after the shared HAWATCH_ prefix), and never more than three edits.
func closest(name string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		if d := editDistance(name, c); bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := min(3, max(1, (len(name)-len(envPrefix))/3))
	if bestDist < 0 || bestDist > limit {
		return ""
	}
	return best
}

// editDistance is the Damerau-Levenshtein distance (optimal string
// alignment) of a and b, so that swapped letters such as REGOIN for
// REGION count as one edit.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

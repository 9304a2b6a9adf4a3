package gate

import (
	"fmt"
	"strings"
)

// ParseExpectVersion reads the values of the repeatable --expect-version
// flag: "VERSION" expects that version on both peers (key AllPeers),
// "PEER=VERSION" on one peer. A peer named twice with different versions is
// an error; a per-peer value overrides the both-peers value for that peer.
func ParseExpectVersion(values []string) (map[string]string, error) {
	out := make(map[string]string, len(values))
	for _, v := range values {
		peer, version := AllPeers, strings.TrimSpace(v)
		if before, after, ok := strings.Cut(version, "="); ok {
			peer, version = strings.TrimSpace(before), strings.TrimSpace(after)
			if peer == "" {
				return nil, fmt.Errorf("--expect-version %q: empty peer name before '='", v)
			}
		}
		if err := validVersion(version); err != nil {
			return nil, fmt.Errorf("--expect-version %q: %w", v, err)
		}
		if old, ok := out[peer]; ok && old != version {
			return nil, fmt.Errorf("--expect-version %q: %s already expected to run %s", v, describeKey(peer), old)
		}
		out[peer] = version
	}
	return out, nil
}

// describeKey names an ExpectVersion key for messages.
func describeKey(peer string) string {
	if peer == AllPeers {
		return "both peers are"
	}
	return "peer " + peer + " is"
}

// validVersion accepts what PAN-OS prints as a version: it starts with a
// digit and holds digits, letters, dots and dashes only (10.2.9, 10.2.9-h1,
// 11.1.0-b1).
func validVersion(v string) error {
	if v == "" {
		return fmt.Errorf("empty version")
	}
	if v[0] < '0' || v[0] > '9' {
		return fmt.Errorf("version %q does not start with a digit", v)
	}
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '.', r == '-':
		default:
			return fmt.Errorf("version %q holds %q", v, r)
		}
	}
	return nil
}

// expectedFor returns the version expected on a peer and whether one is.
func expectedFor(expect map[string]string, peer string) (string, bool) {
	if v, ok := expect[peer]; ok {
		return v, true
	}
	v, ok := expect[AllPeers]
	return v, ok
}

// versionMatches reports whether a running version satisfies an expected
// one: the same version, or the expected version plus a hotfix suffix
// ("-hN") when the expectation names no hotfix. So 10.2.9 accepts
// 10.2.9-h1, while 10.2.9-h1 accepts only 10.2.9-h1.
func versionMatches(running, want string) (ok, hotfix bool) {
	if running == want {
		return true, false
	}
	if hasHotfix(want) {
		return false, false
	}
	rest, found := strings.CutPrefix(running, want+"-h")
	if !found || rest == "" {
		return false, false
	}
	for _, r := range rest {
		if r < '0' || r > '9' {
			return false, false
		}
	}
	return true, true
}

// hasHotfix reports whether a version names a hotfix ("-hN").
func hasHotfix(v string) bool {
	i := strings.LastIndex(v, "-h")
	if i < 0 || i+2 == len(v) {
		return false
	}
	for _, r := range v[i+2:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

package config

import (
	"slices"
	"testing"
)

func TestUnknownVariables(t *testing.T) {
	environ := []string{
		"HAWATCH_AWS_REGOIN=eu-west-1",  // swapped letters
		"HAWATCH_PEER_A=fw-a",           // known
		"HAWATCH_POLL_INTERVALL=5s",     // one extra letter
		"HAWATCH_FROBNICATE=1",          // nothing close
		"AWS_REGOIN=eu-west-1",          // not hawatch's
		"HAWATCH_LISTEN_ADDRESS=:1",     // known
		"HAWATCH_PANOS_API_KEY_FILE=/k", // known, a _FILE variant
		"HAWATCH_URL=http://h:1",        // the maintenance command's
		"HAWATCH_ARTIFACTS_DIR=/tmp/a",  // the test suite's
	}
	got := UnknownVariables(environ)
	want := []UnknownVariable{
		{Name: "HAWATCH_AWS_REGOIN", Suggestion: "HAWATCH_AWS_REGION"},
		{Name: "HAWATCH_FROBNICATE"},
		{Name: "HAWATCH_POLL_INTERVALL", Suggestion: "HAWATCH_POLL_INTERVAL"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("UnknownVariables() = %v, want %v", got, want)
	}
	if s := got[0].String(); s != "HAWATCH_AWS_REGOIN (did you mean HAWATCH_AWS_REGION?)" {
		t.Errorf("String() = %q", s)
	}
}

// TestKnownVariablesFromTags: the list comes from the structs, so every
// variable the README documents is known without a hand-kept list.
func TestKnownVariablesFromTags(t *testing.T) {
	known := KnownVariables()
	for _, name := range []string{
		envConfigFile, envListenAddress, envRunbookURL, envAlertmanagerPassword + fileSuffix,
		envPeerA, envPANOSAPIKey + fileSuffix, envAWSRegion, envTrafficFloor, "HAWATCH_WEB_SYSTEMD_SOCKET",
	} {
		if !slices.Contains(known, name) {
			t.Errorf("KnownVariables() lacks %s", name)
		}
	}
	if slices.Contains(known, envSDKRegion) {
		t.Errorf("KnownVariables() holds the SDK's %s", envSDKRegion)
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"REGION", "REGOIN", 1}, {"kitten", "sitting", 3}, {"ab", "ba", 1},
	} {
		if got := editDistance(c.a, c.b); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

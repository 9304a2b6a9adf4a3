package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestCheckRefusesUnknownCheckNames: a name --checks or --skip does not
// know exits 2 before anything is polled, listing the valid names.
func TestCheckRefusesUnknownCheckNames(t *testing.T) {
	for _, args := range [][]string{
		{"check", "--checks", "ntp-sync,ntp"},
		{"check", "--skip", "license"},
		{"check", "--arp", "not-an-ip"},
	} {
		var out, errOut bytes.Buffer
		code := run(args, &out, &errOut)
		if code != 2 || out.Len() != 0 {
			t.Errorf("%v: exit %d, stdout %q; want 2 and no report", args, code, out.String())
		}
		if args[1] != "--arp" && !strings.Contains(errOut.String(), "mgmt-certificate") {
			t.Errorf("%v: stderr does not list the valid checks: %s", args, errOut.String())
		}
	}
}

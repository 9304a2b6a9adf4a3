package probe

import (
	"encoding/xml"
	"testing"
)

// BenchmarkWalkTokens measures walkReply's token pass alone, with a
// visitor that reads nothing: on a 500-interface `show interface all`
// reply and on the largest recorded counter reply.
func BenchmarkWalkTokens(b *testing.B) {
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"interfaces-500", interfaceReply(500)},
		{"counters-pa5060", replyFixture(b, "show-counter-interface-all-pa5060-7.1-EXCERPT-device_paloalto_firewall_perl.xml")},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.body)))
			visited := 0
			for b.Loop() {
				err := walkReply(tc.body, XMLLimits{}, tc.name, func([]xml.Name, []byte, bool) { visited++ })
				if err != nil {
					b.Fatal(err)
				}
			}
			if visited == 0 {
				b.Fatal("no element visited")
			}
		})
	}
}

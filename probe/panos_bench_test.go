package probe

import (
	"bytes"
	"fmt"
	"testing"
)

// benchParser runs parse over each fixture as a sub-benchmark.
func benchParser[T any](b *testing.B, parse func([]byte) (T, error), files ...string) {
	for _, file := range files {
		body := replyFixture(b, file)
		b.Run(file, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := parse(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseHA(b *testing.B) {
	benchParser(b, ParseHA,
		"ha-all-active.xml",
		"ha-state-pa850-recorded.xml",
		"show-ha-state-panorama-11.0.1-cdot65_pan_os_upgrade.xml",
		"show-ha-state-pa5250-9.1.11-atav928_paloaltoapi.xml") // the largest recorded
}

func BenchmarkParseInterfaces(b *testing.B) {
	benchParser(b, ParseInterfaces,
		"interface-all.xml",
		"show-interface-all-vm-8.1.3-device_firewall_paloalto.xml")
}

func BenchmarkParseCounters(b *testing.B) {
	benchParser(b, ParseCounters,
		"counter-interface-all.xml",
		"show-counter-interface-all-pa5060-7.1-EXCERPT-device_paloalto_firewall_perl.xml")
}

func BenchmarkParseSessionInfo(b *testing.B) {
	benchParser(b, ParseSessionInfo,
		"session-info.xml",
		"show-session-info-upgrade_assurance.xml")
}

func BenchmarkParseSystemInfo(b *testing.B) {
	benchParser(b, ParseSystemInfo,
		"system-info.xml",
		"show-system-info-pa5250-9.1.11-atav928_paloaltoapi.xml")
}

func BenchmarkParseKey(b *testing.B) {
	benchParser(b, ParseKey, "keygen.xml")
}

func BenchmarkCheckResponse(b *testing.B) {
	check := func(body []byte) (struct{}, error) { return struct{}{}, CheckResponse(body) }
	benchParser(b, check, "ha-all-active.xml")
}

// BenchmarkParseInterfaces500 parses a `show interface all` reply of a large
// box: 500 hardware and 500 logical interfaces.
func BenchmarkParseInterfaces500(b *testing.B) {
	body := interfaceReply(500)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		got, err := ParseInterfaces(body)
		if err != nil {
			b.Fatal(err)
		}
		if len(got.Hardware) != 500 || len(got.Logical) != 500 {
			b.Fatalf("got %d hardware and %d logical interfaces", len(got.Hardware), len(got.Logical))
		}
	}
}

// interfaceReply builds a `show interface all` reply with n hardware ports
// and one logical interface on each.
func interfaceReply(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString(`<response status="success"><result><ifnet>`)
	for i := range n {
		fmt.Fprintf(&buf, `<entry><name>ethernet%d/%d</name><zone>z%d</zone><fwd>vr:default</fwd><vsys>1</vsys>`+
			`<dyn-addr/><addr6/><tag>0</tag><ip>10.%d.%d.1/24</ip><id>%d</id><addr/></entry>`,
			i/100+1, i%100+1, i%10, i/256, i%256, i+16)
	}
	buf.WriteString(`</ifnet><hw>`)
	for i := range n {
		fmt.Fprintf(&buf, `<entry><name>ethernet%d/%d</name><duplex>full</duplex><type>0</type><state>up</state>`+
			`<st>10000/full/up</st><mac>00:50:56:aa:%02x:%02x</mac><mode>(autoneg)</mode><speed>10000</speed><id>%d</id></entry>`,
			i/100+1, i%100+1, i/256, i%256, i+16)
	}
	buf.WriteString(`</hw></result></response>`)
	return buf.Bytes()
}

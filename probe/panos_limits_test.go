package probe_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// largeInterfaceReply is `show interface all` of a firewall with n logical
// interfaces (subinterfaces with IPv4 and IPv6 addresses) and n ports, in
// the shape and indentation of the recorded replies.
func largeInterfaceReply(n int) string {
	var b strings.Builder
	b.WriteString("<response status=\"success\"><result>\n  <ifnet>\n")
	for i := range n {
		fmt.Fprintf(&b, `    <entry>
      <name>ethernet1/%d.%d</name>
      <zone>zone-%04d</zone>
      <fwd>vr:default</fwd>
      <vsys>1</vsys>
      <dyn-addr/>
      <addr6>
        <member>2001:db8:%x::1/64</member>
        <member>fe80::%x:1/64</member>
      </addr6>
      <tag>%d</tag>
      <ip>10.%d.%d.1/24</ip>
      <id>%d</id>
      <addr>
        <member>10.%d.%d.1/24</member>
        <member>10.%d.%d.2/24</member>
      </addr>
    </entry>
`, i%24+1, i+1, i, i, i, i+1, i/256, i%256, 256+i, i/256, i%256, i/256, i%256)
	}
	b.WriteString("  </ifnet>\n  <hw>\n")
	for i := range n {
		fmt.Fprintf(&b, `    <entry>
      <name>ethernet%d/%d</name>
      <duplex>full</duplex>
      <type>0</type>
      <state>up</state>
      <st>10000/full/up</st>
      <mac>00:1b:17:%02x:%02x:%02x</mac>
      <mode>(autoneg)</mode>
      <speed>10000</speed>
      <id>%d</id>
    </entry>
`, i/24+1, i%24+1, i>>16&0xff, i>>8&0xff, i&0xff, 16+i)
	}
	b.WriteString("  </hw>\n</result></response>\n")
	return b.String()
}

// xmlShape counts the elements of body and its deepest nesting.
func xmlShape(t *testing.T, body string) (elements, depth int) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(body))
	level := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return elements, depth
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok.(type) {
		case xml.StartElement:
			elements++
			level++
			depth = max(depth, level)
		case xml.EndElement:
			level--
		}
	}
}

// TestDefaultLimitsFitLargeReply: the reply of a firewall with 1,000
// interfaces passes the default limits with room to spare, through the
// whole client, and the limits are what stops larger replies.
func TestDefaultLimitsFitLargeReply(t *testing.T) {
	reply := largeInterfaceReply(1000)
	elements, depth := xmlShape(t, reply)
	t.Logf("1,000 interfaces: %d bytes (%.2f MiB), %d elements, depth %d", len(reply), float64(len(reply))/(1<<20), elements, depth)
	if len(reply)*3 > probe.DefaultMaxReplyBytes || elements*10 > probe.DefaultMaxXMLElements || depth*4 > probe.DefaultMaxXMLDepth {
		t.Errorf("defaults (%d bytes, %d elements, depth %d) too tight for a 1,000-interface reply",
			probe.DefaultMaxReplyBytes, probe.DefaultMaxXMLElements, probe.DefaultMaxXMLDepth)
	}
	if _, err := probe.CheckXML([]byte(reply), probe.XMLLimits{MaxDepth: depth, MaxElements: elements}); err != nil {
		t.Errorf("exact limits: %v", err)
	}
	if _, err := probe.CheckXML([]byte(reply), probe.XMLLimits{MaxElements: elements - 1}); !errors.Is(err, probe.ErrMalformed) {
		t.Errorf("one element over the limit: %v", err)
	}
	if _, err := probe.CheckXML([]byte(reply), probe.XMLLimits{MaxDepth: depth - 1}); !errors.Is(err, probe.ErrMalformed) {
		t.Errorf("one level over the limit: %v", err)
	}

	f := newFakePeer(t, func(f *fakePeer) {
		f.override = map[string]http.HandlerFunc{"<interface>": func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(reply))
		}}
	})
	st := pollWithin(newFakeProber(t, fakeOpts(f, "fw-a", nil)), 10*time.Second)
	r, _ := st.Result(probe.CmdInterfaces)
	if r.Err != nil || st.Interfaces == nil || len(st.Interfaces.Logical) != 1000 || len(st.Interfaces.Hardware) != 1000 {
		t.Fatalf("interfaces: err=%v", r.Err)
	}

	o := fakeOpts(f, "fw-a", nil)
	o.MaxReplyBytes = int64(len(reply) - 1)
	st = pollWithin(newFakeProber(t, o), 10*time.Second)
	if r, _ := st.Result(probe.CmdInterfaces); !errors.Is(r.Err, probe.ErrReplyTooLarge) || !strings.Contains(r.Err.Error(), fmt.Sprint(len(reply)-1)) {
		t.Errorf("one byte over MaxReplyBytes: %v", r.Err)
	}
}

func TestCheckXML(t *testing.T) {
	for _, tc := range []struct {
		name, body, root string
		ok               bool
	}{
		{"reply", `<?xml version="1.0"?><response status="success"><result/></response>`, "response", true},
		{"pan-os quoting", `<response status = 'error' code = '403'><result><msg>Invalid Credential</msg></result></response>`, "response", true},
		{"html", "<!DOCTYPE html>\n<html><head><title>502</title></head><body>&nbsp;</body></html>", "html", false},
		{"empty", "", "", false},
		{"text", "Service Unavailable", "", false},
		{"stray end elements buy no depth", strings.Repeat("</a>", 10) + strings.Repeat("<a>", 70), "", false},
		{"truncated", `<response status="success"><result>`, "response", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, err := probe.CheckXML([]byte(tc.body), probe.XMLLimits{})
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, probe.ErrMalformed)) {
				t.Errorf("err = %v, want ok=%v", err, tc.ok)
			}
			if tc.ok && root != tc.root {
				t.Errorf("root = %q, want %q", root, tc.root)
			}
		})
	}
}

// BenchmarkCheckXML measures the token pass over a 1,000-interface reply.
func BenchmarkCheckXML(b *testing.B) {
	reply := []byte(largeInterfaceReply(1000))
	b.SetBytes(int64(len(reply)))
	for b.Loop() {
		if _, err := probe.CheckXML(bytes.Clone(reply), probe.XMLLimits{}); err != nil {
			b.Fatal(err)
		}
	}
}

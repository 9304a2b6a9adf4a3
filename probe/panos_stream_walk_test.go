package probe

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestWalkNamesOutliveTheReply: the names a visitor is given are its to
// keep; they do not change when the reply's buffer is reused.
func TestWalkNamesOutliveTheReply(t *testing.T) {
	body := []byte(`<response status="success"><result><p:ifnet><entry><name>a</name></entry></p:ifnet><hw/></result></response>`)
	var kept []xml.Name
	var w tokenWalk
	err := w.walk(body, XMLLimits{}, &replyEnvelope{}, func(path []xml.Name, _ []byte, end bool) {
		if !end {
			kept = append(kept, path[len(path)-1])
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	clear(body)
	want := []xml.Name{{Space: "p", Local: "ifnet"}, {Local: "entry"}, {Local: "name"}, {Local: "hw"}}
	if !slices.Equal(kept, want) {
		t.Errorf("kept %v, want %v", kept, want)
	}
}

// TestWalkInternsBoundedly: a reply of made-up names is read right, and
// the names it leaves in the table stay within the bounds.
func TestWalkInternsBoundedly(t *testing.T) {
	long := strings.Repeat("n", maxInternedLen+1)
	var b strings.Builder
	b.WriteString(`<response status="success"><result>`)
	for i := range maxInterned + 100 {
		fmt.Fprintf(&b, "<e%d/>", i)
	}
	b.WriteString("<" + long + "/></result></response>")
	var w tokenWalk
	seen := 0
	err := w.walk([]byte(b.String()), XMLLimits{}, &replyEnvelope{}, func(path []xml.Name, _ []byte, end bool) {
		if end {
			return
		}
		want := fmt.Sprintf("e%d", seen)
		if seen == maxInterned+100 {
			want = long
		}
		if got := path[0].Local; got != want {
			t.Fatalf("element %d named %q, want %q", seen, got, want)
		}
		seen++
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != maxInterned+101 {
		t.Errorf("visited %d elements", seen)
	}
	if len(w.names) > maxInterned {
		t.Errorf("%d names interned, bound %d", len(w.names), maxInterned)
	}
	if _, ok := w.names[long]; ok {
		t.Errorf("a name of %d bytes was interned", len(long))
	}
}

// TestWalkAllocations: once its buffers have grown, a walk allocates only
// what the envelope keeps (the status), whatever the reply's size.
func TestWalkAllocations(t *testing.T) {
	for _, n := range []int{10, 500} {
		body := interfaceReply(n)
		var w tokenWalk
		walk := func() {
			var env replyEnvelope
			if err := w.walk(body, XMLLimits{}, &env, func([]xml.Name, []byte, bool) {}); err != nil {
				t.Fatal(err)
			}
		}
		walk()
		if allocs := testing.AllocsPerRun(10, walk); allocs > 1 {
			t.Errorf("%d interfaces: %v allocations per walk", n, allocs)
		}
	}
}

package probe

import (
	"slices"
	"testing"
)

func TestAWSIndexKeep(t *testing.T) {
	// Items as a region-wide listing returns them: an ENI's private IPs
	// are its keys; one has two, one has none.
	type eni struct {
		id  string
		ips []string
	}
	items := []eni{
		{"eni-1", []string{"10.0.1.10"}},
		{"eni-2", []string{"10.0.1.11", "10.0.1.12"}},
		{"eni-3", nil},
		{"eni-4", []string{"10.0.2.10", ""}},
		{"eni-5", []string{"10.0.1.11"}}, // shares an address with eni-2
	}
	x := newAWSIndex(items, func(e eni) []string { return e.ips })
	ids := func(es []eni) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.id)
		}
		return out
	}
	for _, tc := range []struct {
		want []string
		ids  []string
	}{
		{nil, nil},
		{[]string{"10.9.9.9"}, nil},
		{[]string{""}, nil}, // an empty key matches nothing, as a filter would not
		{[]string{"10.0.2.10"}, []string{"eni-4"}},
		// Both of eni-2's addresses: eni-2 once; listing order kept, not want's.
		{[]string{"10.0.1.12", "10.0.2.10", "10.0.1.11"}, []string{"eni-2", "eni-4", "eni-5"}},
		{[]string{"10.0.1.10", "10.0.1.10"}, []string{"eni-1"}},
	} {
		if got := ids(x.keep(tc.want)); !slices.Equal(got, tc.ids) {
			t.Errorf("keep(%q) = %q, want %q", tc.want, got, tc.ids)
		}
	}
}

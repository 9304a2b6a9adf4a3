package probe

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// unmarshalCounters is the counter parser as encoding/xml's Unmarshal
// reads the reply: the reference the streaming parser must agree with.
func unmarshalCounters(body []byte) (*Counters, error) {
	type counterResult struct {
		resultHead
		Ifnet struct {
			Entries []counterXML `xml:"entry"`
			Nested  []counterXML `xml:"ifnet>entry"`
		} `xml:"ifnet"`
		HW []counterXML `xml:"hw>entry"`
	}
	r, err := decodeReply[counterResult](body, "counters", XMLLimits{})
	if err != nil {
		return nil, err
	}
	out := &Counters{Hardware: []InterfaceCounters{}, Logical: []InterfaceCounters{}}
	for i := range r.HW {
		out.Hardware = append(out.Hardware, r.HW[i].counters())
	}
	for _, list := range [...][]counterXML{r.Ifnet.Nested, r.Ifnet.Entries} {
		for i := range list {
			out.Logical = append(out.Logical, list[i].counters())
		}
	}
	return out, nil
}

// unmarshalIfaces is streamIfaces done by encoding/xml's Unmarshal.
func unmarshalIfaces(body []byte) (*ifaceResult, error) {
	r, err := decodeReply[ifaceResult](body, "interfaces", XMLLimits{})
	if r != nil {
		r.resultHead = resultHead{} // the envelope, which walkReply keeps apart
	}
	return r, err
}

// agree fails t when stream and unmarshal disagree on body: on the
// result, or on whether and how it is an error.
func agree[T any](t *testing.T, name string, body []byte, stream, unmarshal func([]byte) (T, error)) {
	t.Helper()
	got, err := stream(body)
	want, werr := unmarshal(body)
	if (err == nil) != (werr == nil) {
		t.Fatalf("%s: stream err=%v, unmarshal err=%v", name, err, werr)
	}
	if err != nil {
		var a, b *APIError
		if errors.Is(err, ErrMalformed) != errors.Is(werr, ErrMalformed) || errors.As(err, &a) != errors.As(werr, &b) ||
			(a != nil && *a != *b) {
			t.Errorf("%s: stream err=%v, unmarshal err=%v", name, err, werr)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\nstream    %+v\nunmarshal %+v", name, got, want)
	}
}

// sameAsUnmarshal holds both streaming parsers to Unmarshal on body.
func sameAsUnmarshal(t *testing.T, name string, body []byte) {
	t.Helper()
	agree(t, name, body, ParseCounters, unmarshalCounters)
	agree(t, name, body, func(b []byte) (*ifaceResult, error) { return streamIfaces(b, XMLLimits{}) }, unmarshalIfaces)
}

func TestStreamAgreesWithUnmarshal(t *testing.T) {
	for _, file := range []string{
		"counter-interface-all.xml",
		"counter-interface-all-flat-synthetic.xml",
		"counter-interface-all-port-errors-synthetic.xml",
		"show-counter-interface-all-empty-device_paloalto_firewall_perl.xml",
		"show-counter-interface-all-pa5060-7.1-EXCERPT-device_paloalto_firewall_perl.xml",
		"error-403.xml",
		"error-code17-multiline-cdata-device_paloalto_firewall_perl.xml",
		"error-unauth-code16-rsolomo_panxapi_js.xml",
		"truncated.xml",
		"interface-all.xml",
		"show-interface-all-vm-8.1.3-device_firewall_paloalto.xml",
		"interface-all-ae-synthetic.xml",
		"show-interface-all-ipv6-napalm_panos.xml",
		"show-interface-all-physical-ha-device_paloalto_firewall_perl.xml",
	} {
		sameAsUnmarshal(t, file, replyFixture(t, file))
	}
	// Unmarshal's rules on odd shapes: a repeated element overwrites, text
	// is the element's own character data, names match on the local part,
	// what follows the root is only checked.
	for _, body := range []string{
		`<response status="success"><result><hw><entry><name>a</name><name>b</name><ibytes>1<x>2</x>3</ibytes>` +
			`<port><rx-bytes>5</rx-bytes></port><port><tx-bytes>6</tx-bytes></port></entry></hw><hw><entry><p:name>c</p:name></entry></hw></result></response>`,
		`<response status="success"><result><ifnet><entry><name>e</name></entry><ifnet><entry><name>n</name></entry><ifnet><entry/></ifnet></ifnet></ifnet></result></response><other/>`,
		`<response status="success"><result><ifnet><entry><name>e</name></entry></ifnet></result></response><other>`,
		`<response status="error" code="17"><msg><line> a </line><line/><line>b</line></msg></response>`,
		`<response status="success"><result><error>bad</error></result></response>`,
		`<response status="success"></response>`,
		`<response><result/></response>`,
		`<?xml version="1.0"?><!-- c --><response status="success"><result><![CDATA[x]]></result></response>`,
		`<html><body>502</body></html>`,
		`<response status="success"><result><hw><entry></hw></result></response>`,
		`<response status="success"><result><ifnet><entry><name>x</name><addr><member>1</member><member>2</member></addr><addr><member>3</member></addr>` +
			`<addr6><member><b>4</b>5</member></addr6><zone>z</zone><zone/></entry></ifnet><hw><entry><ae_member><member>e1</member></ae_member><ae_member/>` +
			`<mac>m</mac></entry><entry/></hw></result></response>`,
	} {
		sameAsUnmarshal(t, body, []byte(body))
	}
}

// FuzzStreamParsers: the streaming parsers agree with Unmarshal on any
// input.
func FuzzStreamParsers(f *testing.F) {
	seedReplies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		if strings.Contains(string(body), "xmlns") {
			t.Skip() // Unmarshal's namespace translation is not followed
		}
		sameAsUnmarshal(t, "fuzz", body)
	})
}

package xmlscan

import (
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
)

// compact lists the tokens of doc as the Scanner reads them: <p|a x=1>,
// </p|a> (a prefix before the bar), and character data after a '#',
// adjacent runs joined.
func compact(doc string) ([]string, error) {
	var s Scanner
	s.Reset([]byte(doc))
	var out []string
	inText := false
	for {
		kind, err := s.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		switch kind {
		case StartElement:
			var b strings.Builder
			b.WriteString("<" + qualified(s.Name()))
			for _, a := range s.Attrs() {
				b.WriteString(" " + qualified(a.Name) + "=" + string(a.Value))
			}
			out = append(out, b.String()+">")
		case EndElement:
			out = append(out, "</"+qualified(s.Name())+">")
		case CharData:
			if inText {
				out[len(out)-1] += string(s.Text())
				continue
			}
			out = append(out, "#"+string(s.Text()))
		}
		inText = kind == CharData
	}
}

func qualified(n Name) string {
	if len(n.Space) == 0 {
		return string(n.Local)
	}
	return string(n.Space) + "|" + string(n.Local)
}

// acceptCases are documents encoding/xml accepts, with their tokens.
var acceptCases = []struct {
	name string
	doc  string
	want []string
}{
	{"declaration, comment, element", `<?xml version="1.0" encoding="UTF-8"?><!-- c --><a>t</a>`,
		[]string{"<a>", "#t", "</a>"}},
	{"attributes in both quotes, no space between", `<a x='1' y = "2"z="3">`,
		[]string{"<a x=1 y=2 z=3>"}},
	{"empty element", `<r><e/><f x="1" /></r>`,
		[]string{"<r>", "<e>", "</e>", "<f x=1>", "</f>", "</r>"}},
	{"prefixes", `<p:a q:x="1" xmlns:q="u"></p:a>`,
		[]string{"<p|a q|x=1 xmlns|q=u>", "</p|a>"}},
	{"colon first or last stays in the local name", `<:a b:="1"></:a>`,
		[]string{"<:a b:=1>", "</:a>"}},
	{"entities", `<a x="&lt;&quot;&apos;">&amp;&gt;&#65;&#x42;&#x00043;</a>`,
		[]string{`<a x=<"'>`, "#&>ABC", "</a>"}},
	{"character reference to a surrogate", `<a>&#xD800;</a>`,
		[]string{"<a>", "#\ufffd", "</a>"}},
	{"CDATA is literal", `<a>x<![CDATA[<b>&amp;]]]]>y</a>`,
		[]string{"<a>", "#x<b>&amp;]]y", "</a>"}},
	{"carriage returns", "<a x=\"1\r\n2\r3\">u\r\nv\rw\r\r\n<![CDATA[\r\n]]>&#13;\n</a>",
		[]string{"<a x=1\n2\n3>", "#u\nv\nw\n\n\n\r\n", "</a>"}},
	{"white space in tags", "<a\n\tx\r\n=\n'1'\t>\n</a\n >",
		[]string{"<a x=1>", "#\n", "</a>"}},
	{"processing instructions anywhere", `<?pi data?><a><?x-y ??>t</a>`,
		[]string{"<a>", "#t", "</a>"}},
	{"a directive is skipped", `<!DOCTYPE r [<!ENTITY e "a>b"> <!-- > --> <!x <y> >]><r/>`,
		[]string{"<r>", "</r>"}},
	{"text around the root and a second root", "x<a/>]]<b>",
		[]string{"#x", "<a>", "</a>", "#]]", "<b>"}},
	{"ends are not paired", "</b><a>", []string{"</b>", "<a>"}},
	{"non-ASCII names and text", "<été x='é'>ü\U0001F600</été>",
		[]string{"<été x=é>", "#ü😀", "</été>"}},
}

func TestScanAccepts(t *testing.T) {
	for _, tc := range acceptCases {
		got, err := compact(tc.doc)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// rejectCases are documents encoding/xml rejects.
var rejectCases = []string{
	"<a", "<a x", `<a x="1`, "<a>&amp", "<a/", "</a", "<!-- c", "<![CDATA[x", "<?xml", "<!DOCTYPE a",
	"<", "<!", "<!-", "<![", "<![CDAT", "< a>", "</ a>", "<a / >", "<1a>", "<-a>", "<a:b:c>", "<a 1x='1'>",
	`<a x=1>`, `<a x>`, `<a ="1">`, `<a x="<">`, "<a>]]></a>", "<!-- a -- b -->", "<!-x>", "<![cdata[x]]>",
	"<a>&foo;</a>", "<a>&amp</a>", "<a>&#;</a>", "<a>&#x;</a>", "<a>&#X41;</a>", "<a>&#65x;</a>",
	"<a>&#x110000;</a>", "<a>&#99999999999999999999;</a>", "<a>&#0;</a>", "<a x='&#1;'/>", "<a>\x01</a>",
	"<a>\xff</a>", "<a>\xed\xa0\x80</a>", "<![CDATA[\x00]]>", "<a x='\xc3'/>", "\xef\xbf\xbe",
	`<?xml version="1.1"?><a/>`, `<?xml version='1.0' encoding='ISO-8859-1'?><a/>`, "<?1x?>", "<? x?>",
	"<a></b c>", "<a\x00/>", "<\u0300x/>",
}

func TestScanRejects(t *testing.T) {
	for _, doc := range rejectCases {
		if got, err := compact(doc); err == nil {
			t.Errorf("%q accepted as %q", doc, got)
		}
	}
}

// TestScanErrorsAreSticky: after an error, Next fails again and yields
// nothing.
func TestScanErrorsAreSticky(t *testing.T) {
	var s Scanner
	s.Reset([]byte("<a>&bad;</a><b/>"))
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	_, err := s.Next()
	if err == nil || !strings.Contains(err.Error(), "&bad;") {
		t.Fatalf("err = %v, want the bad entity named", err)
	}
	if _, again := s.Next(); !errors.Is(again, err) {
		t.Errorf("after %v: %v", err, again)
	}
}

// TestScanErrorLine: errors name the line of the fault, as encoding/xml's.
func TestScanErrorLine(t *testing.T) {
	_, err := compact("<a>\n<b x='1'\r\ny='&#0;'/></a>")
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("err = %v, want line 3", err)
	}
}

// TestScanDoesNotAllocate: reading a reply with attributes, entities and
// carriage returns allocates nothing once the buffers have grown.
func TestScanDoesNotAllocate(t *testing.T) {
	doc, err := os.ReadFile("../testdata/show-interface-all-vm-8.1.3-device_firewall_paloalto.xml")
	if err != nil {
		t.Fatal(err)
	}
	doc = append(doc, "<r a='&amp;\r\n' b=\"&#x41;\">\r\n&lt;<![CDATA[x\r\ny]]></r>"...)
	var s Scanner
	tokens := 0
	read := func() {
		s.Reset(doc)
		for {
			if _, err := s.Next(); err != nil {
				if !errors.Is(err, io.EOF) {
					t.Fatal(err)
				}
				return
			}
			tokens++
		}
	}
	read()
	if tokens < 100 {
		t.Fatalf("only %d tokens", tokens)
	}
	if n := testing.AllocsPerRun(20, read); n != 0 {
		t.Errorf("%v allocations per document", n)
	}
}

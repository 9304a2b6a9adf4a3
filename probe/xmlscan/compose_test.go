package xmlscan

import (
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// pieces of markup, of references and of bad bytes, which composed at
// random reach the corners the byte-flipping fuzzer rarely builds.
var pieces = []string{
	"<", ">", "/", "a", ":", "b", "=", "'", `"`, "&", ";", "amp", "lt", "#", "x", "41", "D800", "110000", "0",
	"]]>", "]", "[", "<![CDATA[", "<!--", "-->", "--", "-", "<?", "?>", "?", "xml", " version=", "1.0", "1.1",
	"encoding=", "utf-8", "UTF-8", "latin1", "<!DOCTYPE", "<!", "!", "\r", "\n", "\r\n", " ", "\t", "\x00", "\x01",
	"é", "\u0300", "\xff", "\ufffe", "\U0001F600", "X", "_", ".", "1", "&#", "&#x",
	"<a>", "</a>", "<a/>", "<b x='1'>", "</b>", "<r>", "</r>", "<!--x-->",
}

// TestAgreesOnComposedDocuments holds the Scanner to encoding/xml on
// documents composed of up to 30 pieces, the same ones on every run.
func TestAgreesOnComposedDocuments(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	docs := 50_000
	if testing.Short() {
		docs = 5_000
	}
	for range docs {
		var b strings.Builder
		for range 1 + r.Intn(30) {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		doc := []byte(b.String())
		want, werr := rawTokens(doc)
		got, err := scanTokens(doc)
		if (err == nil) != (werr == nil) || werr == nil && !slices.Equal(got, want) {
			t.Fatalf("%q:\nscanner      %q, %v\nencoding/xml %q, %v", doc, got, err, want, werr)
		}
	}
}

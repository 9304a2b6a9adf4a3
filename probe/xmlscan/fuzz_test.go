package xmlscan

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// rawTokens is the reference: the elements and character data of doc as
// encoding/xml's RawToken reads them, adjacent character data joined (a
// comment or a CDATA section splits RawToken's), and whether it accepted
// the document.
func rawTokens(doc []byte) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var evs events
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return evs.list, nil
		}
		if err != nil {
			return evs.list, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			attrs := make([]string, len(t.Attr))
			for i, a := range t.Attr {
				attrs[i] = attrText(a.Name.Space, a.Name.Local, a.Value)
			}
			evs.add(startText(t.Name.Space, t.Name.Local, attrs))
		case xml.EndElement:
			evs.add(endText(t.Name.Space, t.Name.Local))
		case xml.CharData:
			evs.text(t)
		}
	}
}

// scanTokens is rawTokens done by the Scanner.
func scanTokens(doc []byte) ([]string, error) {
	var s Scanner
	s.Reset(doc)
	var evs events
	for {
		kind, err := s.Next()
		if errors.Is(err, io.EOF) {
			return evs.list, nil
		}
		if err != nil {
			return evs.list, err
		}
		switch kind {
		case StartElement:
			var attrs []string
			for _, a := range s.Attrs() {
				attrs = append(attrs, attrText(string(a.Name.Space), string(a.Name.Local), string(a.Value)))
			}
			evs.add(startText(string(s.Name().Space), string(s.Name().Local), attrs))
		case EndElement:
			evs.add(endText(string(s.Name().Space), string(s.Name().Local)))
		case CharData:
			evs.text(s.Text())
		}
	}
}

// events lists tokens as text, character data joined.
type events struct {
	list   []string
	inText bool
}

func (e *events) add(s string) { e.list, e.inText = append(e.list, s), false }

func (e *events) text(b []byte) {
	if len(b) == 0 {
		return
	}
	if e.inText {
		e.list[len(e.list)-1] += fmt.Sprintf("%q", b)
		return
	}
	e.add(fmt.Sprintf("text %q", b))
	e.inText = true
}

func startText(space, local string, attrs []string) string {
	return fmt.Sprintf("start %q:%q %v", space, local, attrs)
}

func endText(space, local string) string { return fmt.Sprintf("end %q:%q", space, local) }

func attrText(space, local, value string) string {
	return fmt.Sprintf("%q:%q=%q", space, local, value)
}

// seedFiles adds the replies of this package's and package probe's and the
// simulator's testdata to the corpus.
func seedFiles(f *testing.F) {
	f.Helper()
	var files []string
	for _, pattern := range []string{"testdata/*.xml", "../testdata/*.*ml", "../../sim/testdata/*.xml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 100 {
		f.Fatalf("only %d seed replies", len(files))
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzScanner holds the Scanner to encoding/xml's RawToken: on any input
// both accept with the same elements, attributes and character data, or
// both reject. There is no deliberate exception.
func FuzzScanner(f *testing.F) {
	seedFiles(f)
	for _, c := range acceptCases {
		f.Add([]byte(c.doc))
	}
	for _, doc := range rejectCases {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		want, werr := rawTokens(doc)
		got, err := scanTokens(doc)
		if (err == nil) != (werr == nil) {
			t.Fatalf("scanner err = %v, encoding/xml err = %v", err, werr)
		}
		if werr == nil && !slices.Equal(got, want) {
			t.Fatalf("tokens differ\nscanner      %q\nencoding/xml %q", got, want)
		}
	})
}

// Package xmlscan reads an XML document held in memory as a stream of
// start elements, end elements and character data, without allocating per
// token: names are sub-slices of the document, and character data is a
// sub-slice too unless a reference or a carriage return must be decoded,
// in which case it is decoded into a buffer the Scanner reuses.
//
// It accepts and rejects what encoding/xml's Decoder.RawToken does with
// its defaults (Strict, no AutoClose, no Entity map, no CharsetReader),
// and yields the same elements and character data; the package's fuzz
// test holds it to that. Like RawToken it does not pair end elements with
// start elements, nor check what surrounds the root: the caller does.
// Comments, processing instructions and directives (<!DOCTYPE ...>) are
// checked and skipped, as RawToken's callers that look only at elements
// skip them; an XML declaration that names a version other than 1.0 or an
// encoding other than UTF-8 is rejected, as encoding/xml without a
// CharsetReader rejects it.
package xmlscan

import (
	"bytes"
	"encoding/xml"
	"io"
)

// Kind is what a token is.
type Kind uint8

const (
	// StartElement is a start tag, or the first half of an empty-element
	// tag (<a/>).
	StartElement Kind = iota + 1
	// EndElement is an end tag, or the second half of an empty-element tag.
	EndElement
	// CharData is a run of text or a CDATA section.
	CharData
)

// Name is an element or attribute name, split at its colon as RawToken
// splits it: Space is the prefix, not a namespace URL.
type Name struct {
	Space, Local []byte
}

// Attr is an attribute of a start element, its value decoded.
type Attr struct {
	Name  Name
	Value []byte
}

// Scanner reads one document. The slices it returns (names, attributes,
// text) are valid until the next call of Next or Reset; they may point
// into the document, so the document must not change meanwhile.
type Scanner struct {
	src        []byte
	pos        int
	name       Name
	attrs      []Attr
	text       []byte
	pendingEnd bool   // the start element just returned was empty-element
	textBuf    []byte // decoded character data
	attrBuf    []byte // decoded attribute values
	err        error
}

// Reset keeps the buffers that are at most this large (bytes of text,
// attributes): what a rare huge document grew must not stay in memory
// with a Scanner kept for reuse.
const (
	maxKeptText  = 64 << 10
	maxKeptAttrs = 256
)

// Reset starts reading src, keeping the Scanner's buffers.
func (s *Scanner) Reset(src []byte) {
	*s = Scanner{src: src, attrs: keep(s.attrs, maxKeptAttrs),
		textBuf: keep(s.textBuf, maxKeptText), attrBuf: keep(s.attrBuf, maxKeptText)}
}

func keep[E any](buf []E, most int) []E {
	if cap(buf) > most {
		return nil
	}
	return buf[:0]
}

// Name is the name of the element that Next returned.
func (s *Scanner) Name() Name { return s.name }

// Attrs are the attributes of the start element that Next returned.
func (s *Scanner) Attrs() []Attr { return s.attrs }

// Text is the character data that Next returned.
func (s *Scanner) Text() []byte { return s.text }

// Next reads the next token. It returns io.EOF at the end of the document
// and a *xml.SyntaxError when the document is not XML; once it has
// failed, it fails again.
func (s *Scanner) Next() (Kind, error) {
	if s.err != nil {
		return 0, s.err
	}
	k, err := s.next()
	if err != nil {
		s.err = err
		return 0, err
	}
	return k, nil
}

func (s *Scanner) next() (Kind, error) {
	if s.pendingEnd {
		s.pendingEnd = false
		s.attrs = s.attrs[:0]
		return EndElement, nil
	}
	for {
		if s.pos >= len(s.src) {
			return 0, io.EOF
		}
		if s.src[s.pos] != '<' {
			return CharData, s.textRun()
		}
		s.pos++
		c, err := s.byte()
		if err != nil {
			return 0, err
		}
		switch c {
		case '/':
			s.pos++
			return EndElement, s.endTag()
		case '?':
			s.pos++
			if err := s.procInst(); err != nil {
				return 0, err
			}
		case '!':
			s.pos++
			cdata, err := s.markup()
			if err != nil || cdata {
				return CharData, err
			}
		default:
			return StartElement, s.startTag()
		}
	}
}

// byte is the byte at the read position, or an error at the end.
func (s *Scanner) byte() (byte, error) {
	if s.pos >= len(s.src) {
		return 0, s.syntaxError("unexpected EOF")
	}
	return s.src[s.pos], nil
}

// expect consumes c, or fails with msg.
func (s *Scanner) expect(c byte, msg string) error {
	b, err := s.byte()
	if err != nil {
		return err
	}
	if b != c {
		return s.syntaxError(msg)
	}
	s.pos++
	return nil
}

// skipSpace skips the bytes encoding/xml takes for white space.
func (s *Scanner) skipSpace() {
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

// syntaxError is msg at the read position, numbered by line as
// encoding/xml numbers it.
func (s *Scanner) syntaxError(msg string) error {
	end := min(s.pos, len(s.src))
	return &xml.SyntaxError{Msg: msg, Line: 1 + bytes.Count(s.src[:end], []byte{'\n'})}
}

// clip is a name for an error message, cut short: a hostile document's
// name can be megabytes long.
func clip(b []byte) string {
	const most = 40
	if len(b) > most {
		return string(b[:most]) + "..."
	}
	return string(b)
}

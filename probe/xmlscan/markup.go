package xmlscan

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"unicode/utf8"
)

// markup reads what follows "<!": a comment or a directive, which it
// skips, or a CDATA section, which becomes the current text (cdata true).
func (s *Scanner) markup() (cdata bool, err error) {
	c, err := s.byte()
	if err != nil {
		return false, err
	}
	switch c {
	case '-':
		s.pos++
		return false, s.comment()
	case '[':
		s.pos++
		for i := range len("CDATA[") {
			if err := s.expect("CDATA["[i], "invalid <![ sequence"); err != nil {
				return false, err
			}
		}
		n := bytes.Index(s.src[s.pos:], []byte("]]>"))
		if n < 0 {
			s.pos = len(s.src)
			return false, s.syntaxError("unexpected EOF in CDATA section")
		}
		if err := s.setText(s.src[s.pos:s.pos+n], n, false); err != nil {
			return false, err
		}
		s.pos += len("]]>")
		return true, nil
	}
	return false, s.directive()
}

// comment skips a comment after its "<!-". As in XML, "--" may appear in
// a comment only as part of its end.
func (s *Scanner) comment() error {
	if err := s.expect('-', "invalid sequence <!- not part of <!--"); err != nil {
		return err
	}
	n := bytes.Index(s.src[s.pos:], []byte("--"))
	if n < 0 {
		s.pos = len(s.src)
		return s.syntaxError("unexpected EOF")
	}
	s.pos += n + len("--")
	return s.expect('>', `invalid sequence "--" not allowed in comments`)
}

// directive skips a directive (<!DOCTYPE ...>, <!ENTITY ...>) after its
// "<!", as encoding/xml does, which keeps its text but does not act on
// it: it ends at the first '>' outside quotes that closes no '<' it
// holds, comments inside count for nothing, and, as in encoding/xml, the
// first byte is taken as it is. PAN-OS replies hold none; skipping
// rather than rejecting keeps the Scanner and encoding/xml agreeing on
// every document, so that a reply read by either is read alike.
func (s *Scanner) directive() error {
	s.pos++ // the first byte, read by markup
	var quote byte
	depth := 0
	for {
		c, err := s.byte()
		if err != nil {
			return err
		}
		s.pos++
		if quote == 0 && c == '>' && depth == 0 {
			return nil
		}
		// A '<' that does not start a comment hands the byte after it to
		// the same switch, as encoding/xml does.
		for handled := false; !handled; {
			handled = true
			switch {
			case c == quote:
				quote = 0
			case quote != 0:
			case c == '\'' || c == '"':
				quote = c
			case c == '>':
				depth--
			case c == '<':
				var comment bool
				if c, comment, err = s.directiveLess(); err != nil {
					return err
				}
				if !comment {
					depth++
					handled = false
				}
			}
		}
	}
}

// directiveLess reads what follows a '<' in a directive: a comment, which
// it skips, or else the first byte that is not part of "!--", which it
// returns.
func (s *Scanner) directiveLess() (c byte, comment bool, err error) {
	for i := range len("!--") {
		if c, err = s.byte(); err != nil {
			return 0, false, err
		}
		s.pos++
		if c != "!--"[i] {
			return c, false, nil
		}
	}
	n := bytes.Index(s.src[s.pos:], []byte("-->"))
	if n < 0 {
		s.pos = len(s.src)
		return 0, false, s.syntaxError("unexpected EOF")
	}
	s.pos += n + len("-->")
	return 0, true, nil
}

// procInst checks and skips a processing instruction after its "<?". For
// the XML declaration it checks the version and the encoding.
func (s *Scanner) procInst() error {
	start := s.pos
	s.pos = nameEnd(s.src, start)
	target := s.src[start:s.pos]
	if len(target) == 0 {
		return s.syntaxError("expected target name after <?")
	}
	if !isName(target) {
		return s.syntaxError("invalid XML name: " + clip(target))
	}
	s.skipSpace()
	n := bytes.Index(s.src[s.pos:], []byte("?>"))
	if n < 0 {
		s.pos = len(s.src)
		return s.syntaxError("unexpected EOF")
	}
	data := s.src[s.pos : s.pos+n]
	s.pos += n + len("?>")
	if string(target) != "xml" {
		return nil
	}
	if v := declParam(data, "version="); len(v) > 0 && string(v) != "1.0" {
		return s.syntaxError(fmt.Sprintf("unsupported version %q; only version 1.0 is supported", v))
	}
	if enc := declParam(data, "encoding="); len(enc) > 0 && !bytes.EqualFold(enc, []byte("utf-8")) {
		return s.syntaxError(fmt.Sprintf("encoding %q declared, only UTF-8 is read", enc))
	}
	return nil
}

// declParam reads a parameter of an XML declaration as encoding/xml reads
// it: the first `param=` (param ends with '=') followed by a quote,
// anywhere in decl, up to the next of the same quote; nil if none.
func declParam(decl []byte, param string) []byte {
	for rest := decl; ; {
		k := bytes.Index(rest, []byte(param))
		if k < 0 || k+len(param) >= len(rest) {
			return nil
		}
		q := rest[k+len(param)]
		rest = rest[k+len(param)+1:]
		if q == '"' || q == '\'' {
			if j := bytes.IndexByte(rest, q); j >= 0 {
				return rest[:j]
			}
			return nil
		}
	}
}

// qname reads an element or attribute name and splits it at its colon as
// encoding/xml's RawToken does: a name with two colons fails, and one
// with its colon first or last keeps it in Local. missing is the error
// when no name starts at the read position.
func (s *Scanner) qname(missing string) (Name, error) {
	start := s.pos
	s.pos = nameEnd(s.src, start)
	b := s.src[start:s.pos]
	if len(b) == 0 {
		return Name{}, s.syntaxError(missing)
	}
	if !isName(b) {
		return Name{}, s.syntaxError("invalid XML name: " + clip(b))
	}
	i := bytes.IndexByte(b, ':')
	switch {
	case i < 0:
		return Name{Local: b}, nil
	case bytes.IndexByte(b[i+1:], ':') >= 0:
		return Name{}, s.syntaxError(missing)
	case i == 0 || i == len(b)-1:
		return Name{Local: b}, nil
	}
	return Name{Space: b[:i], Local: b[i+1:]}, nil
}

// nameEnd is the end of the name that starts at i: as in encoding/xml,
// the longest run of ASCII name bytes and non-ASCII bytes, checked after.
func nameEnd(src []byte, i int) int {
	for i < len(src) && (src[i] >= utf8.RuneSelf || isNameByte(src[i])) {
		i++
	}
	return i
}

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// isName checks a name read by nameEnd. An ASCII name must start with a
// letter, '_' or ':'. The classes of non-ASCII letters are large tables
// that encoding/xml holds and does not export; such names are rare (the
// PAN-OS vocabulary is ASCII) and are checked by encoding/xml itself,
// which keeps the two in agreement at the price of an allocation.
func isName(b []byte) bool {
	c := b[0]
	if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && c != '_' && c != ':' && c < utf8.RuneSelf {
		return false
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return foreignName(b)
		}
	}
	return true
}

// foreignName checks a name with non-ASCII letters by reading it as the
// target of a processing instruction with encoding/xml.
func foreignName(b []byte) bool {
	doc := append(append([]byte("<?"), b...), "?>"...)
	_, err := xml.NewDecoder(bytes.NewReader(doc)).RawToken()
	return err == nil
}

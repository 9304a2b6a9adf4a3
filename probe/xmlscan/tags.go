package xmlscan

import "bytes"

// textError places a decoding error of the text at the read position.
func (s *Scanner) textError(err *textError) error {
	s.pos += err.at
	return s.syntaxError(err.msg)
}

// startTag reads a start tag after its '<'.
func (s *Scanner) startTag() error {
	name, err := s.qname("expected element name after <")
	if err != nil {
		return err
	}
	s.name = name
	s.attrs, s.attrBuf = s.attrs[:0], s.attrBuf[:0]
	for {
		s.skipSpace()
		c, err := s.byte()
		if err != nil {
			return err
		}
		switch c {
		case '/':
			s.pos++
			s.pendingEnd = true
			return s.expect('>', "expected /> in element")
		case '>':
			s.pos++
			return nil
		}
		if err := s.attr(); err != nil {
			return err
		}
	}
}

// attr reads one attribute. No space is needed before it: encoding/xml
// takes <a x="1"y="2"> too.
func (s *Scanner) attr() error {
	name, err := s.qname("expected attribute name in element")
	if err != nil {
		return err
	}
	s.skipSpace()
	if err := s.expect('=', "attribute name without = in element"); err != nil {
		return err
	}
	s.skipSpace()
	q, err := s.byte()
	if err != nil {
		return err
	}
	if q != '"' && q != '\'' {
		return s.syntaxError("unquoted or missing attribute value in element")
	}
	s.pos++
	n := bytes.IndexByte(s.src[s.pos:], q)
	if n < 0 {
		s.pos = len(s.src)
		return s.syntaxError("unexpected EOF")
	}
	raw := s.src[s.pos : s.pos+n]
	if i := bytes.IndexByte(raw, '<'); i >= 0 {
		s.pos += i
		return s.syntaxError("unescaped < inside quoted string")
	}
	// Decoded values are appended to attrBuf; a value decoded earlier
	// stays valid when a later append moves the buffer, as the old array
	// is not written again.
	value, grown, terr := decode(raw, s.attrBuf, true)
	if terr != nil {
		return s.textError(terr)
	}
	if grown != nil {
		s.attrBuf = grown
	}
	s.pos += n + 1
	s.attrs = append(s.attrs, Attr{Name: name, Value: value})
	return nil
}

// endTag reads an end tag after its "</".
func (s *Scanner) endTag() error {
	name, err := s.qname("expected element name after </")
	if err != nil {
		return err
	}
	s.name = name
	s.attrs = s.attrs[:0]
	s.skipSpace()
	c, err := s.byte()
	if err != nil {
		return err
	}
	if c != '>' {
		return s.syntaxError("invalid characters between </" + clip(name.Local) + " and >")
	}
	s.pos++
	return nil
}

// textRun reads character data up to the next '<' or the end.
func (s *Scanner) textRun() error {
	n := bytes.IndexByte(s.src[s.pos:], '<')
	if n < 0 {
		n = len(s.src) - s.pos
	}
	raw := s.src[s.pos : s.pos+n]
	if i := bytes.Index(raw, []byte("]]>")); i >= 0 {
		s.pos += i
		return s.syntaxError("unescaped ]]> not in CDATA section")
	}
	return s.setText(raw, n, true)
}

// setText decodes raw, which ends n bytes after the read position, into
// the current text, and moves past it.
func (s *Scanner) setText(raw []byte, n int, refs bool) error {
	text, grown, err := decode(raw, s.textBuf[:0], refs)
	if err != nil {
		return s.textError(err)
	}
	if grown != nil {
		s.textBuf = grown
	}
	s.text = text
	s.pos += n
	return nil
}
